#!/usr/bin/env bash
# Runs every test binary and sums cmocka's counts into one closing line
# "N passed, N failed". A binary that dies without a summary (a sanitizer
# report, a crash) counts as one failure. The driver, store, CLI, auth and
# HTTP suites run twice: on SQLite, then on a throwaway PostgreSQL cluster
# (with a streaming replica); the fuzz targets run briefly (tests/fuzz.sh).
# Suites of a stage run TEST_JOBS at a time (each has its own database and
# port); each stage and suite says how long it took.
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
jobs=${TEST_JOBS:-3}
passed=0 failed=0 t0=$SECONDS
out=$(mktemp -d /tmp/duban-tests.XXXXXX)
trap 'pg_stop; rm -rf "$out"' EXIT

# One suite — a cmocka binary, or a browser test file (Node's own runner,
# TAP) — its summary line (and a failure's log) into $out/N.txt, its counts
# into $out/N.counts.
run_one() { # N BIN LABEL
  local n=$1 t=$2 label=$3 log=$out/$1.log rc p f start=$SECONDS
  case "$t" in
    */fuzz/fuzz_*) # a libFuzzer target, briefly over its corpus (tests/fuzz.sh)
      tests/fuzz.sh "${FUZZ_SMOKE_SECONDS:-10}" "$t" >"$log" 2>&1
      rc=$?
      p=$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed$/\1/p' "$log" | tail -1)
      f=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' "$log" | tail -1) ;;
    *.mjs)
      timeout 900 node --test --test-reporter=tap "$t" >"$log" 2>&1
      rc=$?
      p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1) f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1) ;;
    *)
      "$t" >"$log" 2>&1
      rc=$?
      p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -1)
      f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | tail -1) ;;
  esac
  p=${p:-0} f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
    { echo "--- $label: FAILED (exit $rc, $((SECONDS - start)) s)"
      grep -v '^\[ \(RUN\|       OK\) \|^ *duration_ms\|^ *\.\.\.$\|^ *---$' "$log" | tail -60; } > "$out/$n.txt"
  else
    echo "--- $label: $p passed ($((SECONDS - start)) s)" > "$out/$n.txt"
  fi
  echo "$p $f" > "$out/$n.counts"
}

# A stage: its suites TEST_JOBS at a time, reported in the order given.
stage() { # NAME LABEL_SUFFIX BIN...
  local name=$1 suffix=$2 start=$SECONDS i=0 n t p f
  shift 2
  for t in "$@"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_one "$name.$i" "$t" "${t#$build/}$suffix" &
    i=$((i + 1))
  done
  wait
  for n in $(seq 0 $((i - 1))); do
    cat "$out/$name.$n.txt"
    read -r p f < "$out/$name.$n.counts"
    passed=$((passed + p)) failed=$((failed + f))
  done
  echo "=== $name: $i suites in $((SECONDS - start)) s"
}

units=() both=() crash=()
for t in "$@"; do
  case "$t" in
    */tests/http/test_crash) crash+=("$t") ;; # a stage of its own on each driver
    */tests/db/*|*/tests/store/*|*/tests/http/*|*/tests/cli/*|*/tests/auth/*) both+=("$t") ;;
    *) units+=("$t") ;;
  esac
done
[ ${#units[@]} -eq 0 ] || stage "C units" "" "${units[@]}"
[ ${#both[@]} -eq 0 ] || stage "API and store on SQLite" "" "${both[@]}"
[ ${#crash[@]} -eq 0 ] || stage "crash tests on SQLite" "" "${crash[@]}"

# The fuzz targets (make fuzz-smoke), each for a few seconds over its corpus.
fuzzers=()
for f in build/fuzz/fuzz/fuzz_*; do [ -x "$f" ] && [ "${f%.d}" = "$f" ] && fuzzers+=("$f"); done
[ -n "$server" ] || [ ${#fuzzers[@]} -eq 0 ] || stage "fuzz smoke" "" "${fuzzers[@]}"

# The security mutants (src/util/mutant.h): each check switched off in the
# test build's server, in turn; the suite that guards it must then fail.
mutants=(scope:test_api_cases masking:test_api_cases roles:test_api_cases csrf:test_api_cases public:test_open311)
if [ -z "$server" ] && [ -x "$build/tests/http/test_api_cases" ]; then
  start=$SECONDS
  for mg in "${mutants[@]}"; do
    m=${mg%%:*} guard=$build/tests/http/${mg#*:}
    if DUBAN_MUTANT=$m timeout 600 "$guard" > "$out/mutant.$m.log" 2>&1; then
      echo "--- mutant $m: NOT caught by ${guard#$build/}: FAILED"; failed=$((failed + 1))
    else
      echo "--- mutant $m: caught by ${guard#$build/} ($(grep -ac '^\[  FAILED  \] [a-z]' "$out/mutant.$m.log") test(s) failed)"
      passed=$((passed + 1))
    fi
  done
  echo "=== security mutants: ${#mutants[@]} in $((SECONDS - start)) s"
fi

# The browser tests (tests/browser, Node's own test runner driving Chromium
# through playwright-core; each file its own server and browser) against
# this build's server and build/web.
if [ -z "$server" ] && ls tests/browser/*.test.mjs > /dev/null 2>&1; then
  stage "browser" "" tests/browser/*.test.mjs
fi

if [ $((${#both[@]} + ${#crash[@]})) -gt 0 ]; then
  start=$SECONDS
  if pg_start "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" && pg_start_standby; then
    echo "=== PostgreSQL cluster and standby: $((SECONDS - start)) s"
    export DUBAN_TEST_DRIVER=postgresql
    [ ${#both[@]} -eq 0 ] || stage "API and store on PostgreSQL" " [postgresql]" "${both[@]}"
    [ ${#crash[@]} -eq 0 ] || stage "crash tests on PostgreSQL" " [postgresql]" "${crash[@]}"
    unset DUBAN_TEST_DRIVER
    pg_stop
  else
    echo "--- PostgreSQL suites: FAILED (no cluster)"; failed=$((failed + 1))
  fi
fi
echo "=== total: $((SECONDS - t0)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
