#!/usr/bin/env bash
# Conformance check of the generated client against an independent mock server.
#
# Installs the Prism mock pinned in tests/mock/ (package.json + package-lock.json,
# `npm ci`) and runs the `conformance` test target of the tests crate twice, each
# time against Prism started on 127.0.0.1 with request validation on (`--errors`:
# a request that breaks the spec gets an error status):
#
# 1. with our spec, spec/beeper-desktop-api.yaml: every test must pass;
# 2. with Beeper's own description, ../shared/reference/beeper-desktop-openapi.json
#    beside the repository (skipped, saying so, when it is absent): the same suite
#    without the tests of the deprecated v0 route, which Beeper's description does
#    not have (`--skip get_chat_v0`); every other test must pass, which shows that
#    our spec says what Beeper's does.
#
# Each run waits until the mock answers, sets CONFORMANCE_BASE_URL for the suite
# and stops the server on the way out, also when the suite fails or the script
# is interrupted. Exits non-zero if either run failed.
#
# Needs Node.js >= 18.20.1 with npm, and cargo. Extra arguments are passed to the
# test binary in both runs, e.g. `tests/conformance.sh errors::` to run only the
# error tests.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
mock_dir="$root/tests/mock"
spec="$root/spec/beeper-desktop-api.yaml"
upstream_spec="$root/../shared/reference/beeper-desktop-openapi.json"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
log_dir="$target_dir/conformance"
ready_timeout_s=60

# No analytics or update checks from npm or the mock. Prism 5.14.2 ships no
# telemetry (later releases pull in @scarf/scarf, whose install script reports
# downloads); these switches keep it that way if the pin is ever bumped, and
# `--ignore-scripts` below runs no package's install script at all.
export SCARF_ANALYTICS=false
export DO_NOT_TRACK=1
export npm_config_update_notifier=false
export npm_config_fund=false
export npm_config_audit=false

step() { printf '\n==> %s\n' "$*"; }
fail() {
  printf 'conformance: %s\n' "$*" >&2
  exit 1
}

for tool in node npm cargo; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is required (Node.js >= 18.20.1 with npm, and Rust)"
done

step "npm ci in tests/mock (Prism, pinned by package-lock.json)"
(cd "$mock_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
prism="$mock_dir/node_modules/@stoplight/prism-cli/dist/index.js"
[[ -f "$prism" ]] || fail "npm ci did not install Prism at $prism"

mkdir -p "$log_dir"
mock_pid=""
stop_mock() {
  if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  mock_pid=""
}
trap stop_mock EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_suite NAME SPEC [TEST-BINARY-ARGS...]: starts Prism with SPEC, runs the
# suite against it, stops Prism; returns the suite's status. The mock's log is
# $log_dir/prism-NAME.log and the suite's output $log_dir/suite-NAME.log.
run_suite() {
  local name="$1" spec_file="$2"
  shift 2
  local log="$log_dir/prism-$name.log" out="$log_dir/suite-$name.log"
  : >"$log"

  # A port nobody listens on: ask the OS for one, then release it for Prism.
  local port base_url
  port="$(node -e 'const s = require("net").createServer();
s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
  base_url="http://127.0.0.1:$port"

  step "[$name] prism mock on $base_url with ${spec_file#"$root/"} (log: $log)"
  node "$prism" mock "$spec_file" --host 127.0.0.1 --port "$port" --errors >"$log" 2>&1 &
  mock_pid=$!

  # Ready when an HTTP request gets any answer (Prism listens only once the spec is loaded).
  local probe='fetch(process.argv[1]).then(() => process.exit(0), () => process.exit(1))'
  local deadline=$((SECONDS + ready_timeout_s))
  until node -e "$probe" "$base_url/" >/dev/null 2>&1; do
    if ! kill -0 "$mock_pid" 2>/dev/null; then
      cat "$log" >&2
      fail "the mock server exited before it was ready (log above)"
    fi
    if ((SECONDS >= deadline)); then
      cat "$log" >&2
      fail "the mock server did not answer on $base_url within ${ready_timeout_s} s (log above)"
    fi
    sleep 0.5
  done
  echo "ready after $((SECONDS + ready_timeout_s - deadline)) s"

  # `--workspace`, as plain `cargo test` builds: the same features, so only the
  # suite itself is compiled (with `-p tests` every dependency was built again).
  step "[$name] cargo test --workspace --test conformance -- $*"
  local status=0
  CONFORMANCE_BASE_URL="$base_url" cargo test --workspace --test conformance -- "$@" 2>&1 |
    tee "$out" || status=$?
  stop_mock
  if ((status != 0)); then
    echo "conformance [$name]: the suite failed; the mock's log is $log" >&2
  fi
  return "$status"
}

# The counts line of the test binary ("ok. N passed; N failed; ..."), if it got that far.
summary() {
  local line
  line="$(grep -E '^test result:' "$log_dir/suite-$1.log" | tail -n 1)" || true
  if [[ -n "$line" ]]; then
    echo "${line#test result: }"
  else
    echo "no test results (see $log_dir/suite-$1.log)"
  fi
}

ours_status=0
run_suite ours "$spec" "$@" || ours_status=$?

upstream_status=0
upstream_ran=false
if [[ -f "$upstream_spec" ]]; then
  upstream_ran=true
  CONFORMANCE_UPSTREAM_SPEC="$upstream_spec" \
    run_suite upstream "$upstream_spec" --skip get_chat_v0 "$@" || upstream_status=$?
fi

step "summary"
echo "against spec/beeper-desktop-api.yaml: $(summary ours) (exit $ours_status)"
if $upstream_ran; then
  echo "against Beeper's description (v0 tests skipped): $(summary upstream) (exit $upstream_status)"
else
  echo "SKIPPED the run against Beeper's description: no file at $upstream_spec"
fi
if ((ours_status != 0)); then
  exit "$ours_status"
fi
exit "$upstream_status"
