#!/usr/bin/env bash
# Lints a generated crate of this workspace with no features, then with each of
# its features alone (not the internal `_shared_N` ones) with `mock`, whose
# typed expectations follow the same gates (`cargo clippy --all-targets -D
# warnings`); all features together are the default, which the workspace lint
# covers (with `mock`, which the tests crate turns on), and `cargo build
# --examples -p beeper-desktop-api` without it.
#
# Usage: tests/feature-matrix.sh CRATE_DIR...   (e.g. generated tests/kitchen-sink)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
for dir in "$@"; do
  manifest="$dir/Cargo.toml"
  package=$(sed -n '0,/^name = "\(.*\)"$/ s//\1/p' "$manifest")
  mapfile -t features < <(sed -n '/^\[features\]/,/^\[/ s/^\([a-z0-9][a-z0-9_]*\) = \[.*/\1/p' "$manifest" | grep -vx default)
  echo "$package: no features, then each of ${#features[@]} alone with mock"
  cargo clippy -q -p "$package" --all-targets --no-default-features --locked --manifest-path "$root/Cargo.toml" -- -D warnings
  for feature in "${features[@]}"; do
    echo "  --features $feature,mock"
    cargo clippy -q -p "$package" --all-targets --no-default-features --features "$feature,mock" --locked --manifest-path "$root/Cargo.toml" -- -D warnings
  done
done
