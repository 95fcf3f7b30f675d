#!/usr/bin/env bash
# Runs every test binary and sums cmocka's counts into one closing line
# "N passed, N failed". A binary that dies without a summary (a sanitizer
# report, a crash) counts as one failure. The driver, store, CLI, auth and
# HTTP suites run twice: on SQLite, then on a throwaway PostgreSQL cluster
# (with a streaming replica).
# Usage: tests/run.sh [--server DUBAN] BUILD_DIR BIN...
#   --server: the duban the tests start and run (make tsan: a ThreadSanitizer build)
set -u
server=
if [ "${1:-}" = --server ]; then server=$2; shift 2; fi
build=$1; shift
export DUBAN_BIN="$PWD/${server:-$build/duban}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# a race report makes the server exit non-zero, which its test reports
export TSAN_OPTIONS=exitcode=66:second_deadlock_stack=1
. tests/pg.sh
passed=0 failed=0

run_one() { # BIN LABEL
  local t=$1 label=$2 log rc p f
  log=$(mktemp)
  "$t" >"$log" 2>&1
  rc=$?
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | tail -1)
  p=${p:-0} f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
    echo "--- $label: FAILED (exit $rc)"; grep -v '^\[ \(RUN\|       OK\) ' "$log" | tail -40
  else
    echo "--- $label: $p passed"
  fi
  passed=$((passed + p)) failed=$((failed + f))
  rm -f "$log"
}

both=()
for t in "$@"; do
  run_one "$t" "${t#$build/}"
  case "$t" in */tests/db/*|*/tests/store/*|*/tests/http/*|*/tests/cli/*|*/tests/auth/*) both+=("$t") ;; esac
done

# The browser tests (tests/browser, Node's own test runner driving Chromium
# through playwright-core) against this build's server and build/web.
if [ -z "$server" ] && ls tests/browser/*.test.mjs > /dev/null 2>&1; then
  log=$(mktemp)
  timeout 900 node --test --test-reporter=tap tests/browser/ > "$log" 2>&1
  rc=$?
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1) f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1)
  p=${p:-0} f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ]; then
    echo "--- tests/browser: FAILED (exit $rc)"; grep -v '^ *duration_ms\|^ *\.\.\.$\|^ *---$' "$log" | tail -60
  else
    echo "--- tests/browser: $p passed"
  fi
  passed=$((passed + p)) failed=$((failed + f))
  rm -f "$log"
fi

trap pg_stop EXIT
if pg_start "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" && pg_start_standby; then
  for t in "${both[@]}"; do
    DUBAN_TEST_DRIVER=postgresql run_one "$t" "${t#$build/} [postgresql]"
  done
  pg_stop
else
  echo "--- PostgreSQL suites: FAILED (no cluster)"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
