#!/usr/bin/env bash
# A/B test of two generators on the compile time of what they generate: both
# crates from one spec sit in one scratch workspace (one set of dependencies),
# and `cargo check` of each runs in turn, so a slow minute of the machine falls
# on both alike. Prints every run and the median of each:
#
#   run | A s | B s
#   median A s | median B s | B/A
#
# Usage: tests/ab-check.sh GENERATOR_A GENERATOR_B SPEC [RUNS] [FEATURES]
#   RUNS (default 5) checks of each crate; FEATURES (default: the default ones)
#   is passed to cargo as `--no-default-features --features FEATURES`.
# Environment: SCRATCH (default target/ab-check), CARGO_TARGET_DIR (default target).
# Slow (RUNS x 2 checks of a generated crate), so not part of CI.
set -uo pipefail
[ $# -ge 3 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
gen_a="$1"; gen_b="$2"; spec="$3"; runs="${4:-5}"; features="${5:-}"
scratch="${SCRATCH:-$root/target/ab-check}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export CARGO_INCREMENTAL=0
command -v /usr/bin/time >/dev/null || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
rm -rf "$scratch" && mkdir -p "$scratch/crates"

generate() { # generator, crate name
  local out="$scratch/crates/$2"
  "$1" --spec "$spec" --out "$out" >"$scratch/$2.log" 2>&1 || { echo "generation failed with $1 (see $scratch/$2.log)" >&2; exit 1; }
  sed -i "0,/^name = .*/s//name = \"$2\"/" "$out/Cargo.toml"
}
generate "$gen_a" ab-a
generate "$gen_b" ab-b
printf '[workspace]\nresolver = "2"\nmembers = ["crates/ab-a", "crates/ab-b"]\n' >"$scratch/Cargo.toml"
cp "$root/Cargo.lock" "$scratch/Cargo.lock"
feature_args=()
[ -n "$features" ] && feature_args=(--no-default-features --features "$features")

echo "checking dependencies once..." >&2
cargo check -q -p ab-a --no-default-features --manifest-path "$scratch/Cargo.toml" >>"$scratch/ab-a.log" 2>&1 \
  || { echo "cargo check failed (see $scratch/ab-a.log)" >&2; exit 1; }

time_check() { # crate name; prints seconds
  touch "$scratch/crates/$1/src/lib.rs"
  if ! /usr/bin/time -o "$scratch/$1.time" -f '%e' cargo check -q -p "$1" "${feature_args[@]}" \
    --manifest-path "$scratch/Cargo.toml" >>"$scratch/$1.log" 2>&1; then
    echo "cargo check of $1 failed (see $scratch/$1.log)" >&2; exit 1
  fi
  cat "$scratch/$1.time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

a_times=(); b_times=()
printf '%-5s %8s %8s\n' run "A s" "B s"
for i in $(seq 1 "$runs"); do
  # Alternate which crate goes first, so neither always follows a cold cache.
  if [ $((i % 2)) -eq 1 ]; then a=$(time_check ab-a); b=$(time_check ab-b); else b=$(time_check ab-b); a=$(time_check ab-a); fi
  a_times+=("$a"); b_times+=("$b")
  printf '%-5s %8s %8s\n' "$i" "$a" "$b"
done
med_a=$(printf '%s\n' "${a_times[@]}" | median)
med_b=$(printf '%s\n' "${b_times[@]}" | median)
printf 'median A %s s, median B %s s, B/A %s\n' "$med_a" "$med_b" "$(awk -v a="$med_a" -v b="$med_b" 'BEGIN { printf "%.3f", b / a }')"
