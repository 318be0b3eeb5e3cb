#!/usr/bin/env bash
# Decoding speed of the generated types against serde's derive.
#
# Generates the Beeper crate (spec/) and GitHub's issues (the `issues` tag of
# GitHub's description in ../shared/corpus/open/, or GITHUB_SPEC) twice each:
# as usual, and with `--derive-decoders` (the same structs, decoded by serde's
# derive). Builds them with the benchmark tests/decode-bench/decode.rs in one
# scratch workspace (release, one shared target directory, the repository's
# Cargo.lock), and runs it: divan's figures, then the median time of each side
# over interleaved rounds and their ratio (generated / derive; target <= 1.0).
#
# Usage: tests/decode-bench.sh [DIVAN ARGS...]
# Environment: SCRATCH (default target/decode-bench), CARGO_TARGET_DIR (default
#   target), GITHUB_SPEC, GENERATOR (a generator binary to use instead of
#   building one).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${SCRATCH:-$root/target/decode-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
github="${GITHUB_SPEC:-$root/../shared/corpus/open/oxidecomputer-progenitor-api-github-com.json}"
[ -f "$github" ] || { echo "GitHub's description is not at $github (set GITHUB_SPEC)" >&2; exit 2; }
github="$(cd "$(dirname "$github")" && pwd)/$(basename "$github")"

if [ -n "${GENERATOR:-}" ]; then
  generator="$GENERATOR"
else
  cargo build -q --release -p generator --manifest-path "$root/Cargo.toml"
  generator="$CARGO_TARGET_DIR/release/openapi-rustgen"
fi

rm -rf "$scratch" && mkdir -p "$scratch/crates" "$scratch/bench"
generate() { # NAME SPEC [FLAGS...]
  local name="$1" spec="$2"
  shift 2
  "$generator" --quiet --spec "$spec" --out "$scratch/crates/$name" --crate-name "$name" "$@"
}
generate beeper-tables "$root/spec/beeper-desktop-api.yaml"
generate beeper-derive "$root/spec/beeper-desktop-api.yaml" --derive-decoders
generate github-tables "$github" --include-tag issues
generate github-derive "$github" --include-tag issues --derive-decoders

cat >"$scratch/Cargo.toml" <<'EOF'
[workspace]
resolver = "2"
members = ["crates/*", "bench"]

[profile.bench]
debug = false
EOF
cat >"$scratch/bench/Cargo.toml" <<EOF
[package]
name = "decode-bench"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
beeper-tables = { path = "../crates/beeper-tables" }
beeper-derive = { path = "../crates/beeper-derive" }
github-tables = { path = "../crates/github-tables" }
github-derive = { path = "../crates/github-derive" }
divan = "0.1"
serde = "1"
serde_json = "1"

[[bench]]
name = "decode"
path = "decode.rs"
harness = false
EOF
cp "$root/tests/decode-bench/decode.rs" "$scratch/bench/decode.rs"
cp "$root/Cargo.lock" "$scratch/Cargo.lock"

cd "$scratch"
GITHUB_SPEC="$github" cargo bench -q -p decode-bench --bench decode -- "$@"
