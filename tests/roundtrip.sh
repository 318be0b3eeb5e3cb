#!/usr/bin/env bash
# The round-trip harness: do the Rust types the generator writes carry every value
# their schemas allow? For every spec given (files, or folders of *.yaml, *.yml,
# *.json), and --apis-guru N documents of the APIs-guru directory:
#
# 1. the generator writes the crate and its type map (`--type-map`: each component
#    schema's and each operation's JSON body schemas' pointer, and the Rust type);
# 2. tests/roundtrip/sample.mjs makes --samples instances of each of those schemas
#    with json-schema-faker (seeded), keeps those ajv accepts against the schema as
#    written on disk, and writes the crate a program, roundtrip.rs, that decodes
#    each instance with its type (serde_json, from the text) and encodes it again;
# 3. every crate's program is built in one scratch workspace with one target
#    directory (debug, default features: every resource group but not `mock`; no
#    debug info, not incremental) and run;
# 4. tests/roundtrip/compare.mjs compares what came back with the instance, as the
#    schema says (undeclared keys may be dropped where the schema says nothing of
#    additionalProperties; numbers as numbers; date-times as instants), and prints
#    a table per spec (components, bodies, mapped, samples, decoded, equal, dropped
#    undeclared keys), the totals, the failure classes with one example each, and
#    `N passed, N failed` (a spec passes when its crate built and its own figures
#    meet the targets), and writes a JSON summary.
#
# Exits 1 when the totals miss the targets (at least --min-decode % of the valid
# samples decode, --min-equal % come back equal) or a crate does not generate or
# build; 2 on a usage error.
#
# Usage: tests/roundtrip.sh [--samples N] [--seed S] [--apis-guru N] [--min-decode P]
#                           [--min-equal P] [--summary FILE] SPEC_OR_DIR...
#   --samples N     instances per schema (default 8)
#   --seed S        seed of the instances and of the APIs-guru sample (default 1)
#   --apis-guru N   also N documents of the APIs-guru directory (tests/corpus/install.sh
#                   installs it), drawn with the seed from those up to 1 MB
#   --min-decode P  target: percent of valid samples that decode (default 99.5)
#   --min-equal P   target: percent of valid samples that come back equal (default 99)
#   --summary FILE  where the JSON summary goes (default $SCRATCH/summary.json)
# Environment: SCRATCH (default $CARGO_TARGET_DIR/roundtrip), CARGO_TARGET_DIR
#   (default target/), GENERATOR (a generator binary to use instead of building the
#   optimized one, cargo's `ci` profile), ROUNDTRIP_JOBS (cargo's -j for the build, default: cargo's).
# Needs Node.js >= 20 with npm (the pinned packages are installed with `npm ci`
# into $SCRATCH/npm), and cargo.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
scratch="${SCRATCH:-$CARGO_TARGET_DIR/roundtrip}"
samples=8
seed=1
apis_guru=0
min_decode=99.5
min_equal=99
summary=""
specs=()
max_guru_bytes=$((1024 * 1024))
while [ $# -gt 0 ]; do
  case "$1" in
    --samples) samples="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --apis-guru) apis_guru="$2"; shift ;;
    --min-decode) min_decode="$2"; shift ;;
    --min-equal) min_equal="$2"; shift ;;
    --summary) summary="$2"; shift ;;
    -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
    -*) echo "unknown flag: $1 (see --help)" >&2; exit 2 ;;
    *) if [ -d "$1" ]; then
         while IFS= read -r f; do specs+=("$f"); done < <(find "$1" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort)
       else specs+=("$1"); fi ;;
  esac
  shift
done
[ -n "$summary" ] || summary="$scratch/summary.json"

export SCARF_ANALYTICS=false DO_NOT_TRACK=1
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
step() { printf '\n==> [%d s] %s\n' "$SECONDS" "$*"; }
for tool in node npm cargo; do
  command -v "$tool" >/dev/null 2>&1 || { echo "roundtrip: $tool is required (Node.js >= 20 with npm, and Rust)" >&2; exit 1; }
done

step "the harness's npm packages (pinned in tests/roundtrip/package-lock.json)"
npm_dir="$scratch/npm"
mkdir -p "$npm_dir"
if ! cmp -s "$root/tests/roundtrip/package-lock.json" "$npm_dir/package-lock.json" || [ ! -d "$npm_dir/node_modules" ]; then
  cp "$root/tests/roundtrip/package.json" "$root/tests/roundtrip/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || exit 1
fi
# The scripts run from beside node_modules, where Node looks for their imports.
cp "$root"/tests/roundtrip/*.mjs "$npm_dir/"

if [ "$apis_guru" -gt 0 ]; then
  step "$apis_guru documents of the APIs-guru directory (seed $seed; up to 1 MB each)"
  api=$("$root/tests/corpus/install.sh") || exit 1
  mapfile -t guru < <(cd "$api" && find . -name '*.json' -size -$((max_guru_bytes / 1024 + 1))k | sed 's|^\./||' | sort |
    awk -v seed="$seed" 'BEGIN { srand(seed) } { printf "%.12f\t%s\n", rand(), $0 }' |
    sort -n | head -n "$apis_guru" | cut -f2)
  for path in "${guru[@]}"; do specs+=("$api/$path"); done
fi
[ ${#specs[@]} -gt 0 ] || { echo "no specs given (see --help)" >&2; exit 2; }

if [ -n "${GENERATOR:-}" ]; then
  generator="$GENERATOR"
else
  step "cargo build --profile ci -p generator"
  cargo build -q --profile ci --locked -p generator --manifest-path "$root/Cargo.toml" || exit 1
  generator="$CARGO_TARGET_DIR/ci/openapi-rustgen"
fi

# A package name for a spec: its folder and file name, so `a/openapi.yaml` and
# `b/openapi.yaml` get crates of their own (as in tests/compile-specs.sh).
crate_name() {
  local folder
  folder=$(basename "$(dirname "$1")")
  printf 'rt-%s-%s' "$folder" "$(basename "$1")" | tr -c 'A-Za-z0-9\n' '-' | tr 'A-Z' 'a-z' | cut -c1-64
}

rm -rf "$scratch/crates" "$scratch/specs" && mkdir -p "$scratch/crates" "$scratch/specs"
step "generating ${#specs[@]} crates and their samples ($samples per schema, seed $seed)"
members=()
names=()
gen_ms=0
sample_start=$(date +%s%N)
for spec in "${specs[@]}"; do
  name="$(crate_name "$spec")"
  names+=("$name")
  out="$scratch/crates/$name"
  dir="$scratch/specs/$name"
  mkdir -p "$dir"
  printf '%s\n' "$spec" >"$dir/spec"
  start=$(date +%s%N)
  config=()
  settings="${spec%.*}.generator.toml"
  [ -f "$settings" ] && config=(--config "$settings")
  if ! "$generator" -q --spec "$spec" --out "$out" --type-map "$dir/type-map.json" "${config[@]}" >"$dir/generate.log" 2>&1; then
    echo "generation failed" >"$dir/status"
    gen_ms=$(( gen_ms + ($(date +%s%N) - start) / 1000000 ))
    continue
  fi
  gen_ms=$(( gen_ms + ($(date +%s%N) - start) / 1000000 ))
  # Unique package and library names, so specs with the same title share a workspace.
  lib="${name//-/_}"
  sed -i "0,/^name = .*/s//name = \"$name\"/" "$out/Cargo.toml"
  sed -i "/^\[lib\]/,/^$/ s/^name = \"[a-z0-9_]*\"$/name = \"$lib\"/" "$out/Cargo.toml"
  # The program sits outside src/bin, under a name of its own: every crate's
  # binary lands in the one target directory.
  printf '\n[[bin]]\nname = "%s"\npath = "roundtrip.rs"\n' "$name" >>"$out/Cargo.toml"
  # Node samples one spec on one core: two specs at a time keep both busy.
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
  (
    node "$npm_dir/sample.mjs" --spec "$spec" --type-map "$dir/type-map.json" --out "$dir" \
      --bin "$out/roundtrip.rs" --lib "$lib" --samples "$samples" --seed "$seed" >"$dir/sample.log" 2>&1 ||
      echo "sampling failed" >"$dir/status"
  ) &
done
wait
sample_ms=$(( ($(date +%s%N) - sample_start) / 1000000 - gen_ms ))
for name in "${names[@]}"; do
  [ -f "$scratch/specs/$name/status" ] || members+=("\"crates/$name\"")
done
echo "generation $(( gen_ms / 1000 )) s, samples $(( sample_ms / 1000 )) s (two at a time)"

{
  echo "[workspace]"
  echo 'resolver = "2"'
  echo "members = [$(IFS=,; echo "${members[*]}")]"
  echo
  echo "# Only to run each sample once: no debug info to write, nothing to keep for next time."
  echo "[profile.dev]"
  echo "debug = 0"
  echo "incremental = false"
} >"$scratch/Cargo.toml"
cp "$root/Cargo.lock" "$scratch/Cargo.lock"

step "building ${#members[@]} round-trip programs (one workspace, default features)"
start=$(date +%s)
packages=()
for member in "${members[@]}"; do
  member="${member//\"/}"
  packages+=(-p "${member#crates/}")
done
jobs=()
[ -n "${ROUNDTRIP_JOBS:-}" ] && jobs=(-j "$ROUNDTRIP_JOBS")
# A program left from an earlier run must not stand in for one that fails to build now.
for name in "${names[@]}"; do rm -f "$CARGO_TARGET_DIR/debug/$name"; done
if [ ${#packages[@]} -gt 0 ]; then
  # Default features are every resource group; `--all-features` would add
  # `mock`, whose expectations for every operation the programs never use
  # (Stripe's alone are thousands of methods).
  CARGO_INCREMENTAL=0 cargo build -q --bins --keep-going "${jobs[@]}" "${packages[@]}" \
    --manifest-path "$scratch/Cargo.toml" >"$scratch/build.log" 2>&1
fi
build_s=$(( $(date +%s) - start ))
echo "build $build_s s (log: $scratch/build.log)"

step "running them"
start=$(date +%s)
for name in "${names[@]}"; do
  dir="$scratch/specs/$name"
  [ -f "$dir/status" ] && continue
  program="$CARGO_TARGET_DIR/debug/$name"
  if [ ! -x "$program" ]; then
    echo "build failed" >"$dir/status"
    continue
  fi
  "$program" <"$dir/samples.jsonl" >"$dir/results.jsonl" 2>"$dir/run.log" || echo "the program failed (see run.log)" >"$dir/status"
done
run_s=$(( $(date +%s) - start ))
echo "run $run_s s"

step "comparing"
dirs=()
for name in "${names[@]}"; do dirs+=("$scratch/specs/$name"); done
node "$npm_dir/compare.mjs" --min-decode "$min_decode" --min-equal "$min_equal" --summary "$summary" \
  --timing "generation=$gen_ms,samples=$sample_ms,build=$((build_s * 1000)),run=$((run_s * 1000))" "${dirs[@]}"
