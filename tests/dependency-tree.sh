#!/usr/bin/env bash
# Shows that the `mock` feature adds nothing to a build without it: the generated
# Beeper crate's normal dependency tree, crates and their enabled features, with
# default features, must equal the tree of the same manifest with the `mock`
# feature and its optional dependencies taken out. Then prints what the feature
# adds when it is on. Used by .ci/run; needs only cargo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${CARGO_TARGET_DIR:-$root/target}/dependency-tree"
rm -rf "$scratch"
for variant in with without; do
  mkdir -p "$scratch/$variant"
  cp -r "$root/generated/src" "$scratch/$variant/"
  # Examples and dev-dependencies do not change the normal tree; the examples
  # may name `mock`, which the stripped manifest no longer has.
  awk '/^\[\[example\]\]$/ { skip = 1; next } /^\[/ { skip = 0 } !skip' "$root/generated/Cargo.toml" \
    >"$scratch/$variant/Cargo.toml"
  printf '\n[workspace]\n' >>"$scratch/$variant/Cargo.toml"
  cp "$root/Cargo.lock" "$scratch/$variant/Cargo.lock"
done
sed -i -e '/^http-body-util = /d' -e '/^hyper = /d' -e '/^hyper-util = /d' -e '/^mock = /d' \
  "$scratch/without/Cargo.toml"
if grep -v '^#' "$scratch/without/Cargo.toml" | grep -q mock; then
  echo "the stripped manifest still names mock:" >&2
  grep -n mock "$scratch/without/Cargo.toml" >&2
  exit 1
fi

# One line per crate and per enabled feature, without paths and `(*)` marks.
tree() {
  cargo tree -q --manifest-path "$1/Cargo.toml" -e normal,features --prefix none "${@:2}" |
    sed -e 's/ (\*)$//' -e 's/ (\/[^)]*)//' | sort -u
}
tree "$scratch/with" >"$scratch/default.txt"
tree "$scratch/without" >"$scratch/stripped.txt"
if ! diff -u "$scratch/stripped.txt" "$scratch/default.txt"; then
  echo "the default build's dependency tree changes with the mock feature present (diff above)" >&2
  exit 1
fi
crates() { grep -v ' feature "' "$1" | sort -u; }
tree "$scratch/with" --features mock >"$scratch/mock.txt"
echo "default build: $(crates "$scratch/default.txt" | wc -l) crates, $(wc -l <"$scratch/default.txt") crate and feature lines, the same with and without the mock feature in the manifest"
added=$(comm -13 <(crates "$scratch/default.txt") <(crates "$scratch/mock.txt") | tr '\n' ' ')
echo "with --features mock: crates added: ${added:-none}"
echo "with --features mock: features added: $(comm -13 "$scratch/default.txt" "$scratch/mock.txt" | grep ' feature "' | tr '\n' ';' | sed 's/;$//')"
