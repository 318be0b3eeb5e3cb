#!/usr/bin/env bash
# Conformance check of the generated client against an independent mock server.
#
# Installs the Prism mock pinned in tests/mock/ (package.json + package-lock.json,
# `npm ci`), starts it on 127.0.0.1 with spec/beeper-desktop-api.yaml and request
# validation on (`--errors`: a request that breaks the spec gets an error status),
# waits until it answers, runs the `conformance` test target of the tests crate
# against it (CONFORMANCE_BASE_URL) and stops the server on the way out, also when
# the suite fails or the script is interrupted. Exits with the suite's status.
#
# Needs Node.js >= 18.20.1 with npm, and cargo. Extra arguments are passed to the
# test binary, e.g. `tests/conformance.sh errors::` to run only the error tests.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
mock_dir="$root/tests/mock"
spec="$root/spec/beeper-desktop-api.yaml"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
log_dir="$target_dir/conformance"
log="$log_dir/prism.log"
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

# A port nobody listens on: ask the OS for one, then release it for Prism.
port="$(node -e 'const s = require("net").createServer();
s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
base_url="http://127.0.0.1:$port"

mkdir -p "$log_dir"
: >"$log"
mock_pid=""
stop_mock() {
  if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
}
trap stop_mock EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "prism mock on $base_url (log: $log)"
node "$prism" mock "$spec" --host 127.0.0.1 --port "$port" --errors >"$log" 2>&1 &
mock_pid=$!

# Ready when an HTTP request gets any answer (Prism listens only once the spec is loaded).
probe='fetch(process.argv[1]).then(() => process.exit(0), () => process.exit(1))'
deadline=$((SECONDS + ready_timeout_s))
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

step "cargo test -p tests --test conformance"
status=0
CONFORMANCE_BASE_URL="$base_url" cargo test -p tests --test conformance -- "$@" || status=$?
if ((status != 0)); then
  echo "conformance: the suite failed; the mock's log is $log" >&2
fi
exit "$status"
