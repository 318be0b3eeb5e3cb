#!/usr/bin/env bash
# Generates a client crate for every spec given (files or folders of *.yaml, *.yml,
# *.json), then lints the generated crates (default features with `mock`, and
# single features) with `cargo clippy -D warnings` and builds their docs with
# `cargo doc --no-deps` under `RUSTDOCFLAGS=-D warnings`, all in one scratch
# workspace, each kind of build one cargo command over every crate (so two
# compilers run side by side), and prints a table:
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
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
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

feature_seed="${FEATURE_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
[ "$single" -gt 0 ] && echo "single features: seed $feature_seed (FEATURE_SEED=$feature_seed repeats it)"

# N of a crate's resource-group features (not `default`, `events` or the internal
# `_shared_N`), picked by the seed.
pick_features() {
  sed -n '/^\[features\]/,/^\[/ s/^\([a-z0-9][a-z0-9_]*\) = \[.*/\1/p' "$1" | grep -vx -e default -e events |
    awk -v seed="$feature_seed" -v salt="$2" 'BEGIN { srand(seed + salt) } { printf "%.12f\t%s\n", rand(), $0 }' |
    sort -n | head -n "$3" | cut -f2
}

# Each kind of build is one cargo command over every crate at once, with
# `--keep-going`: cargo then runs two compilers side by side on the two cores
# and pays its own start-up once, where a command per crate kept one core idle
# (the fixtures' step took 764 s so). A crate failed when cargo says it could
# not compile (or document) it; the command's whole output is in `$log` and each
# failed crate's log gets the lines that name its folder.
declare -A failed_in
# $1: label; $2: log; then the cargo command. Sets failed_in[name]=label for
# each crate cargo names in a `could not compile`/`could not document` line.
run_all() {
  local label="$1" log="$2" name ours=yes found=no
  shift 2
  echo "== $*" >>"$log"
  "$@" >>"$log" 2>&1 && return 0
  while IFS= read -r name; do
    found=yes
    if [[ " ${built[*]} " == *" $name "* ]]; then
      [ -n "${failed_in[$name]:-}" ] || failed_in[$name]="$label"
    else
      ours=no
    fi
  done < <(sed -n 's/.*could not \(compile\|document\) `\([^`]*\)`.*/\2/p' "$log" | sort -u)
  if [ "$found" = no ] || [ "$ours" = no ]; then
    # Cargo failed before any crate (a manifest or lock problem) or in a
    # dependency, which skips the crates that need it: all of them fail.
    for name in "${built[@]}"; do [ -n "${failed_in[$name]:-}" ] || failed_in[$name]="$label"; done
  fi
  return 1
}

passed=0; failed=0; doc_ms=0; failures=()
built=()
for spec in "${specs[@]}"; do
  [ "${generated[$spec]}" = yes ] && built+=("$(crate_name "$spec")")
done
packages() { local name; for name in "$@"; do printf -- '-p\n%s\n' "$name"; done; }
manifest=(--manifest-path "$scratch/Cargo.toml" --keep-going)
if [ "$mode" != none ] && [ ${#built[@]} -gt 0 ]; then
  if [ "$mode" = clippy ]; then
    lint=(cargo clippy -q --all-targets); deny=(-- -D warnings)
  else
    lint=(cargo check -q --all-targets); deny=()
  fi
  # The default features with the `mock` feature's typed expectations, which
  # mirror every operation. (Single features are linted without it: each
  # feature with `mock` is linted for the two crates of this workspace by
  # tests/feature-matrix.sh.)
  mapfile -t selected < <(packages "${built[@]}")
  run_all "default features with mock" "$scratch/lint.log" \
    "${lint[@]}" "${manifest[@]}" "${selected[@]}" --features mock "${deny[@]}"
  if [ "$single" -gt 0 ]; then
    # Every crate that passed, each with its own seeded features, in one command:
    # `--features crate/feature` turns a feature on in that crate only.
    picked=(); singles=()
    for name in "${built[@]}"; do
      [ -z "${failed_in[$name]:-}" ] || continue
      singles+=("$name")
      salt=$(printf '%s' "$name" | cksum | cut -d' ' -f1)
      while IFS= read -r feature; do picked+=("$name/$feature"); done \
        < <(pick_features "$scratch/crates/$name/Cargo.toml" "$salt" "$single")
    done
    if [ ${#singles[@]} -gt 0 ]; then
      echo "single features: ${picked[*]:-(none)}"
      mapfile -t selected < <(packages "${singles[@]}")
      features=(); [ ${#picked[@]} -gt 0 ] && features=(--features "$(IFS=,; echo "${picked[*]}")")
      run_all "single features" "$scratch/single.log" \
        "${lint[@]}" "${manifest[@]}" "${selected[@]}" --no-default-features "${features[@]}" "${deny[@]}"
    fi
  fi
  # Spec prose ends up in doc comments: rustdoc must read it as intended (no
  # broken links, HTML tags or bare URLs), so its warnings fail the crate.
  if [ "$docs" = yes ]; then
    documented_ones=()
    for name in "${built[@]}"; do [ -n "${failed_in[$name]:-}" ] || documented_ones+=("$name"); done
    if [ ${#documented_ones[@]} -gt 0 ]; then
      mapfile -t selected < <(packages "${documented_ones[@]}")
      doc_start=$(date +%s%N)
      run_all docs "$scratch/doc.log" \
        env RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps "${manifest[@]}" "${selected[@]}" --features mock
      doc_ms=$(( ($(date +%s%N) - doc_start) / 1000000 ))
    fi
  fi
  # A crate's own log gets the lines of the shared logs that name its folder.
  for name in "${built[@]}"; do
    [ -n "${failed_in[$name]:-}" ] || continue
    { echo "== failed: ${failed_in[$name]}"
      cat "$scratch"/{lint,single,doc}.log 2>/dev/null | grep -F -B 3 -A 12 -e "crates/$name/" -e "\`$name\`" | head -n 400
    } >>"$scratch/$name.log"
  done
fi

printf '%-60s %-10s %-9s %-5s %8s %8s\n' spec generated compiles docs "gen ms" "lines"
for spec in "${specs[@]}"; do
  name="$(crate_name "$spec")"
  compiles=-
  documented=-
  if [ "${generated[$spec]}" = yes ] && [ "$mode" != none ]; then
    case "${failed_in[$name]:-}" in
      "") compiles=yes; [ "$docs" = yes ] && documented=yes ;;
      docs) compiles=yes; documented=no ;;
      "single features") compiles="no (single)" ;;
      *) compiles=no ;;
    esac
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
