#!/usr/bin/env bash
# Generates a client crate for every spec given (files or folders of *.yaml, *.yml,
# *.json), then lints each generated crate (default features with `mock`, and single features) with `cargo clippy -D warnings` and
# builds its docs with `cargo doc --no-deps` under `RUSTDOCFLAGS=-D warnings`, all
# in one scratch workspace with one shared target directory, and prints a table:
#
#   spec | generated | compiles | docs | generation ms | lines of Rust
#
# followed by `N passed, N failed`. Exits 1 when any spec fails.
#
# Usage: tests/compile-specs.sh [--check-only] [--no-docs] [--doctests] [--no-compile] [--release] [--single-features N] SPEC_OR_DIR...
#   --check-only   `cargo check` instead of clippy
#   --no-docs      skip `cargo doc`
#   --doctests     also compile the doctests (`cargo test --doc`; slow, not in CI)
#   --no-compile   generate only (fast; fails on any generator error)
#   --release      time an optimized generator (the default debug build is quicker to build)
#   --single-features N
#                  also lint each crate with only N of its resource-group features
#                  (no default features), picked by FEATURE_SEED (random unless set;
#                  the seed is printed so a failure can be repeated)
# A spec with a `<stem>.generator.toml` beside it is generated with that config.
# Environment: SCRATCH (default target/spec-crates), CARGO_TARGET_DIR (default target),
#   FEATURE_SEED (see --single-features),
#   GENERATOR (a generator binary to use instead of building one).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode=clippy
docs=yes
doctests=no
profile=debug
single=0
specs=()
expect_single=no
for arg in "$@"; do
  if [ "$expect_single" = yes ]; then single="$arg"; expect_single=no; continue; fi
  case "$arg" in
    --single-features) expect_single=yes ;;
    --check-only) mode=check ;;
    --no-docs) docs=no ;;
    --doctests) doctests=yes ;;
    --no-compile) mode=none ;;
    --release) profile=release ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) if [ -d "$arg" ]; then
         while IFS= read -r f; do specs+=("$f"); done < <(find "$arg" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort)
       else specs+=("$arg"); fi ;;
  esac
done
[ ${#specs[@]} -gt 0 ] || { echo "no specs given (see --help)" >&2; exit 2; }

scratch="${SCRATCH:-$root/target/spec-crates}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
rm -rf "$scratch" && mkdir -p "$scratch/crates"
if [ "$profile" = release ]; then build=(--release); else build=(); fi
if [ -n "${GENERATOR:-}" ]; then
  generator="$GENERATOR"
else
  cargo build -q "${build[@]}" -p generator --manifest-path "$root/Cargo.toml" || exit 1
  generator="$CARGO_TARGET_DIR/$profile/openapi-rustgen"
fi

# A package name for a spec: its folder and file name, so `a/openapi.yaml` and
# `b/openapi.yaml` (or `x.yaml` and `x.json`) get crates of their own.
crate_name() {
  local folder
  folder=$(basename "$(dirname "$1")")
  printf 'spec-%s-%s' "$folder" "$(basename "$1")" | tr -c 'A-Za-z0-9\n' '-' | tr 'A-Z' 'a-z'
}

declare -A generated ms lines
members=()
for spec in "${specs[@]}"; do
  name="$(crate_name "$spec")"
  out="$scratch/crates/$name"
  start=$(date +%s%N)
  # A spec's settings, when it has any, sit beside it as <stem>.generator.toml.
  config=()
  settings="${spec%.*}.generator.toml"
  [ -f "$settings" ] && config=(--config "$settings")
  if "$generator" --spec "$spec" --out "$out" "${config[@]}" >"$scratch/$name.log" 2>&1; then
    generated[$spec]=yes
    # Unique package and library names, so specs with the same title can share a
    # workspace; the crate docs' examples name the library.
    # Only the `[lib]` section's name is the library's (`[[example]]`s have names too).
    lib=$(sed -n '/^\[lib\]/,/^$/ s/^name = "\([a-z0-9_]*\)"$/\1/p' "$out/Cargo.toml")
    sed -i "0,/^name = .*/s//name = \"$name\"/" "$out/Cargo.toml"
    sed -i "/^\[lib\]/,/^$/ s/^name = \"[a-z0-9_]*\"$/name = \"${name//-/_}\"/" "$out/Cargo.toml"
    if [ -n "$lib" ]; then
      find "$out/src/lib.rs" "$out/examples" -name '*.rs' 2>/dev/null |
        xargs sed -i "s/\b$lib::/${name//-/_}::/g"
    fi
    members+=("\"crates/$name\"")
    lines[$spec]=$(find "$out/src" -name "*.rs" -exec cat {} + | wc -l)
  else
    generated[$spec]=no
    lines[$spec]=-
  fi
  ms[$spec]=$(( ($(date +%s%N) - start) / 1000000 ))
done

{ echo "[workspace]"; echo 'resolver = "2"'; echo "members = [$(IFS=,; echo "${members[*]}")]"; } >"$scratch/Cargo.toml"
cp "$root/Cargo.lock" "$scratch/Cargo.lock"

passed=0; failed=0; doc_ms=0; failures=()
feature_seed="${FEATURE_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
[ "$single" -gt 0 ] && echo "single features: seed $feature_seed (FEATURE_SEED=$feature_seed repeats it)"

# N of a crate's resource-group features (not `default`, `events` or the internal
# `_shared_N`), picked by the seed.
pick_features() {
  sed -n '/^\[features\]/,/^\[/ s/^\([a-z0-9][a-z0-9_]*\) = \[.*/\1/p' "$1" | grep -vx -e default -e events |
    awk -v seed="$feature_seed" -v salt="$2" 'BEGIN { srand(seed + salt) } { printf "%.12f\t%s\n", rand(), $0 }' |
    sort -n | head -n "$3" | cut -f2
}
printf '%-60s %-10s %-9s %-5s %8s %8s\n' spec generated compiles docs "gen ms" "lines"
for spec in "${specs[@]}"; do
  name="$(crate_name "$spec")"
  compiles=-
  documented=-
  if [ "${generated[$spec]}" = yes ] && [ "$mode" != none ]; then
    if [ "$mode" = clippy ]; then
      cmd=(cargo clippy -q -p "$name" --all-targets --manifest-path "$scratch/Cargo.toml" -- -D warnings)
    else
      cmd=(cargo check -q -p "$name" --all-targets --manifest-path "$scratch/Cargo.toml")
    fi
    # The default features with the `mock` feature's typed expectations, which
    # mirror every operation. (Single features are linted without it: each
    # feature with `mock` is linted for the two crates of this workspace by
    # tests/feature-matrix.sh, which keeps this step within CI's time.)
    cmd=("${cmd[@]:0:5}" --features mock "${cmd[@]:5}")
    if "${cmd[@]}" >>"$scratch/$name.log" 2>&1; then compiles=yes; else compiles=no; fi
    if [ "$compiles" = yes ] && [ "$single" -gt 0 ]; then
      salt=$(printf '%s' "$name" | cksum | cut -d' ' -f1)
      while IFS= read -r feature; do
        echo "== --no-default-features --features $feature" >>"$scratch/$name.log"
        if ! "${cmd[@]:0:5}" --no-default-features --features "$feature" "${cmd[@]:7}" >>"$scratch/$name.log" 2>&1; then
          compiles="no ($feature)"
          break
        fi
      done < <(pick_features "$scratch/crates/$name/Cargo.toml" "$salt" "$single")
    fi
    # Spec prose ends up in doc comments: rustdoc must read it as intended (no
    # broken links, HTML tags or bare URLs), so its warnings fail the crate.
    if [ "$docs" = yes ] && [ "$compiles" = yes ]; then
      doc_start=$(date +%s%N)
      if RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps --features mock -p "$name" --manifest-path "$scratch/Cargo.toml" >>"$scratch/$name.log" 2>&1
      then documented=yes; else documented=no; fi
      doc_ms=$(( doc_ms + ($(date +%s%N) - doc_start) / 1000000 ))
    fi
    if [ "$doctests" = yes ] && [ "$documented" = yes ]; then
      cargo test -q --doc -p "$name" --manifest-path "$scratch/Cargo.toml" >>"$scratch/$name.log" 2>&1 || documented=no
    fi
  fi
  if [ "${generated[$spec]}" = yes ] && [ "${compiles%% *}" != no ] && [ "$documented" != no ]; then passed=$((passed+1)); else failed=$((failed+1)); failures+=("$name"); fi
  printf '%-60s %-10s %-9s %-5s %8s %8s\n' "$(basename "$spec")" "${generated[$spec]}" "$compiles" "$documented" "${ms[$spec]}" "${lines[$spec]}"
done
# A CI log is often all there is to read: the end of each failure's log, and
# the free disk space (a full disk fails every crate after some point).
for name in "${failures[@]}"; do
  echo "---- the last 25 lines of $scratch/$name.log"
  tail -n 25 "$scratch/$name.log"
done
[ "$failed" -gt 0 ] && df -h "$CARGO_TARGET_DIR" "$scratch" 2>/dev/null
echo "logs: $scratch/*.log"
[ "$docs" = yes ] && [ "$mode" != none ] && echo "cargo doc: $(( doc_ms / 1000 )) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
