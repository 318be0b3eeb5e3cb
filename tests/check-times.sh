#!/usr/bin/env bash
# Times `cargo check` of crates generated from large real specs, with all features
# and with a single one, and prints seconds and peak memory (the largest process
# cargo waited for, rustc in practice):
#
#   spec | features | generate s | check s | peak MB | lines
#
# Dependencies are checked once before the timings, so each figure is the
# generated crate alone, as a user pays it on every change of features.
#
# Usage: tests/check-times.sh [SPEC:FEATURE ...]
#   Each argument is a spec file and the feature its single-feature run turns on
#   (several, comma-separated, are timed one at a time).
#   Without arguments: Stripe (customers), GitHub (gists) and Oxide's Nexus
#   (projects) from ../shared/corpus/open.
# Environment: SCRATCH (default target/check-times), CARGO_TARGET_DIR (default
#   target), GENERATOR (a generator binary; default: a release build of ours).
# Slow (minutes: Stripe's crate alone is 350,000 lines), so not part of CI.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/../shared/corpus/open"
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
  runs=(
    "$corpus/stripe-openapi-spec3.json:customers"
    "$corpus/oxidecomputer-progenitor-api-github-com.json:gists"
    "$corpus/oxidecomputer-omicron-nexus.json:projects"
  )
fi
command -v /usr/bin/time >/dev/null || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }

scratch="${SCRATCH:-$root/target/check-times}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
# Incremental caches of an earlier run of the same crate name made figures vary
# by half; every timing starts from nothing but the dependencies.
export CARGO_INCREMENTAL=0
if [ -n "${GENERATOR:-}" ]; then
  generator="$GENERATOR"
else
  cargo build -q --release -p generator --manifest-path "$root/Cargo.toml" || exit 1
  generator="$CARGO_TARGET_DIR/release/openapi-rustgen"
fi
rm -rf "$scratch" && mkdir -p "$scratch/crates"

declare -A gen_s name_of
members=()
for run in "${runs[@]}"; do
  spec="${run%:*}"
  name="check-$(basename "$spec" | tr -c 'A-Za-z0-9\n' '-' | tr 'A-Z' 'a-z')"
  name_of[$spec]="$name"
  out="$scratch/crates/$name"
  start=$(date +%s%N)
  "$generator" --spec "$spec" --out "$out" >"$scratch/$name.log" 2>&1 || { echo "generation failed: $spec (see $scratch/$name.log)" >&2; exit 1; }
  gen_s[$spec]=$(awk -v ns=$(( $(date +%s%N) - start )) 'BEGIN { printf "%.2f", ns / 1e9 }')
  sed -i "0,/^name = .*/s//name = \"$name\"/" "$out/Cargo.toml"
  members+=("\"crates/$name\"")
done
{ echo "[workspace]"; echo 'resolver = "2"'; echo "members = [$(IFS=,; echo "${members[*]}")]"; } >"$scratch/Cargo.toml"
cp "$root/Cargo.lock" "$scratch/Cargo.lock"

# Dependencies once, with the crates' own code reduced to nothing (no features).
first="${name_of[${runs[0]%:*}]}"
echo "checking dependencies once..." >&2
cargo check -q -p "$first" --no-default-features --manifest-path "$scratch/Cargo.toml" >>"$scratch/$first.log" 2>&1 || { echo "cargo check failed (see $scratch/$first.log)" >&2; exit 1; }

time_check() { # name, then cargo's feature arguments; prints "seconds peak_mb"
  local name="$1"; shift
  touch "$scratch/crates/$name/src/lib.rs"
  local report="$scratch/$name.time"
  if ! /usr/bin/time -o "$report" -f '%e %M' cargo check -q -p "$name" "$@" --manifest-path "$scratch/Cargo.toml" >>"$scratch/$name.log" 2>&1; then
    echo "failed - -"; return
  fi
  awk '{ printf "%s %d", $1, $2 / 1024 }' "$report"
}

printf '%-48s %-20s %10s %8s %8s %8s\n' spec features "generate s" "check s" "peak MB" lines
for run in "${runs[@]}"; do
  spec="${run%:*}"; feature="${run##*:}"; name="${name_of[$spec]}"
  lines=$(find "$scratch/crates/$name/src" -name '*.rs' -exec cat {} + | wc -l)
  read -r all_s all_mb <<<"$(time_check "$name")"
  printf '%-48s %-20s %10s %8s %8s %8s\n' "$(basename "$spec")" all "${gen_s[$spec]}" "$all_s" "$all_mb" "$lines"
  for one in ${feature//,/ }; do
    read -r one_s one_mb <<<"$(time_check "$name" --no-default-features --features "$one")"
    ratio=$(awk -v a="$all_s" -v o="$one_s" 'BEGIN { if (a > 0) printf "%.0f%%", 100 * o / a; else print "-" }')
    printf '%-48s %-20s %10s %8s %8s %8s\n' "" "$one ($ratio)" - "$one_s" "$one_mb" -
  done
done
echo "logs: $scratch/*.log"
