#!/usr/bin/env bash
# Runs every test binary and sums cmocka's counts into one closing line
# "N passed, N failed". A binary that dies without a summary (a sanitizer
# report, a crash) counts as one failure. Usage: tests/run.sh BUILD_DIR BIN...
set -u
build=$1; shift
export DUBAN_BIN="$PWD/$build/duban"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
passed=0 failed=0
for t in "$@"; do
  log=$(mktemp)
  "$t" >"$log" 2>&1
  rc=$?
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | tail -1)
  p=${p:-0} f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
    echo "--- ${t#$build/}: FAILED (exit $rc)"; grep -v '^\[ \(RUN\|       OK\) ' "$log" | tail -40
  else
    echo "--- ${t#$build/}: $p passed"
  fi
  passed=$((passed + p)) failed=$((failed + f))
  rm -f "$log"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
