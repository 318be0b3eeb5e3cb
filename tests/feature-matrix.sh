#!/usr/bin/env bash
# Lints a generated crate of this workspace with no features, then with each of
# its features alone (not the internal `_shared_N` ones) with `mock`, whose
# typed expectations follow the same gates (`cargo clippy --all-targets -D
# warnings`); all features together are the default, which the workspace lint
# covers (with `mock`, which the tests crate turns on), and `cargo build
# --examples -p beeper-desktop-api` without it.
#
# Each feature set gets its own copy of the crate (a package of its own, same
# library name) in one scratch workspace, and one `cargo clippy --keep-going`
# lints them all: two compilers run side by side, where a command per feature
# set kept one core idle. A failing set is named with cargo's own message.
#
# Usage: tests/feature-matrix.sh CRATE_DIR...   (e.g. generated tests/kitchen-sink)
# Environment: CARGO_TARGET_DIR (default target/), SCRATCH (default
#   $CARGO_TARGET_DIR/feature-matrix).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
scratch="${SCRATCH:-$CARGO_TARGET_DIR/feature-matrix}"
rm -rf "$scratch" && mkdir -p "$scratch/crates"

members=()
selected=()
features=()
labels=()
# Copies `dir` as package `copy` for one feature set.
copy_crate() {
  local dir="$1" copy="$2"
  mkdir -p "$scratch/crates/$copy"
  cp -r "$dir/Cargo.toml" "$dir/src" "$scratch/crates/$copy/"
  [ -f "$dir/README.md" ] && cp "$dir/README.md" "$scratch/crates/$copy/"
  [ -d "$dir/examples" ] && cp -r "$dir/examples" "$scratch/crates/$copy/"
  sed -i "0,/^name = .*/s//name = \"$copy\"/" "$scratch/crates/$copy/Cargo.toml"
  members+=("\"crates/$copy\"")
  selected+=(-p "$copy")
}
for dir in "$@"; do
  manifest="$dir/Cargo.toml"
  package=$(sed -n '0,/^name = "\(.*\)"$/ s//\1/p' "$manifest")
  mapfile -t wanted < <(sed -n '/^\[features\]/,/^\[/ s/^\([a-z0-9][a-z0-9_]*\) = \[.*/\1/p' "$manifest" | grep -vx -e default -e mock)
  echo "$package: no features, then each of ${#wanted[@]} alone with mock: ${wanted[*]}"
  copy_crate "$dir" "$package--none"
  labels+=("$package--none: no features")
  for feature in "${wanted[@]}"; do
    copy="$package--${feature//_/-}"
    copy_crate "$dir" "$copy"
    features+=("$copy/$feature" "$copy/mock")
    labels+=("$copy: --features $feature,mock")
  done
done
{ echo "[workspace]"; echo 'resolver = "2"'; echo "members = [$(IFS=,; echo "${members[*]}")]"; } >"$scratch/Cargo.toml"
cp "$root/Cargo.lock" "$scratch/Cargo.lock"

log="$scratch/clippy.log"
if cargo clippy -q --keep-going --all-targets --manifest-path "$scratch/Cargo.toml" \
  --no-default-features "${selected[@]}" --features "$(IFS=,; echo "${features[*]}")" \
  -- -D warnings >"$log" 2>&1; then
  echo "${#labels[@]} feature sets pass"
  exit 0
fi
cat "$log"
echo "failed (the whole output is in $log):"
failed=no
for label in "${labels[@]}"; do
  if grep -q "could not compile \`${label%%:*}\`" "$log"; then echo "  ${label}"; failed=yes; fi
done
[ "$failed" = yes ] || echo "  cargo failed before linting any feature set"
exit 1
