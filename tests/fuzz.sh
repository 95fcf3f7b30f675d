#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS over its committed corpus
# (fuzz/corpus/NAME, read only: what it finds new goes to a scratch folder),
# and says per target how many inputs ran and whether anything crashed; a
# crash's input and the target's log are kept under build/fuzz/crashes. Ends
# with "N passed, N failed" (one per target). FUZZ_JOBS targets run at once
# (default 1: a campaign on a 2-core machine sets 2 and takes half the time).
# Usage: tests/fuzz.sh SECONDS BIN...
set -u
secs=$1; shift
jobs=${FUZZ_JOBS:-1}
mkdir -p build/fuzz/crashes
results=$(mktemp -d /tmp/duban-fuzz-results.XXXXXX)
trap 'rm -rf "$results"' EXIT

one() { # BIN: runs it, writes its verdict to $results/NAME
  local name scratch log rc runs cpu
  name=$(basename "$1"); name=${name#fuzz_}
  scratch=$(mktemp -d /tmp/duban-fuzz.XXXXXX)
  log=$scratch/log
  # the CPU it used (user and system, its server threads included), beside the time it ran
  local TIMEFORMAT='%U %S'
  { time "$1" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix=build/fuzz/crashes/"$name"- "$scratch" "fuzz/corpus/$name" > "$log" 2>&1; } 2> "$scratch/cpu"
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cpu=$(awk '{ printf "%d", $1 + $2 }' "$scratch/cpu")
  if [ "$rc" -eq 0 ]; then
    echo "--- fuzz/$name: ${runs:-?} inputs in ${secs} s (${cpu} CPU-seconds), nothing found" > "$results/$name"
  else
    { echo "--- fuzz/$name: FAILED (exit $rc; its whole log: build/fuzz/crashes/$name.log)"
      grep -E "ERROR|SUMMARY|Test unit written|#[0-9]+ " "$log" | tail -20; } > "$results/$name"
    cp "$log" build/fuzz/crashes/"$name".log
  fi
  rm -rf "$scratch"
}

for bin in "$@"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  one "$bin" &
done
wait
passed=0 failed=0
for bin in "$@"; do
  name=$(basename "$bin"); name=${name#fuzz_}
  cat "$results/$name"
  if grep -q '^--- .*nothing found$' "$results/$name"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
