#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS over its committed corpus
# (fuzz/corpus/NAME, read only: what it finds new goes to a scratch folder),
# and says per target how many inputs ran and whether anything crashed; a
# crash's input is kept under build/fuzz/crashes. Ends with "N passed, N
# failed" (one per target).
# Usage: tests/fuzz.sh SECONDS BIN...
set -u
secs=$1; shift
passed=0 failed=0
mkdir -p build/fuzz/crashes
for bin in "$@"; do
  name=$(basename "$bin"); name=${name#fuzz_}
  scratch=$(mktemp -d /tmp/duban-fuzz.XXXXXX)
  log=$scratch/log
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/crashes/"$name"- "$scratch" "fuzz/corpus/$name" > "$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ "$rc" -eq 0 ]; then
    echo "--- fuzz/$name: ${runs:-?} inputs in ${secs} s, nothing found"; passed=$((passed + 1))
  else
    echo "--- fuzz/$name: FAILED (exit $rc)"; grep -E "ERROR|SUMMARY|Test unit written|#[0-9]+ " "$log" | tail -20
    failed=$((failed + 1))
  fi
  rm -rf "$scratch"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
