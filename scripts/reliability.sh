#!/usr/bin/env bash
# Writes docs/reliability.md: runs the reliability suites on both drivers
# (kills under load, the demo and an import killed midway, backup under
# writes, a full disk, bad input, hostile clients), the slow-client load
# (bench_slow, against an optimised server) and a fuzz campaign of
# FUZZ_SECONDS per target (two at a time), and tabulates what they printed.
# Usage: make reliability [FUZZ_SECONDS=600]  (the builds must exist: make test builds them)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-600}
out=$(mktemp -d /tmp/duban-reliability.XXXXXX)
. tests/pg.sh
trap 'pg_stop; rm -rf "$out"' EXIT
export DUBAN_BIN="$PWD/build/test/duban" ASAN_OPTIONS=detect_leaks=1
suites=(test_crash test_backup test_full test_api_cases test_hostile)

run() { # DRIVER
  for s in "${suites[@]}"; do
    if build/test/tests/http/"$s" > "$out/$s.$1" 2>&1; then echo "ok" >> "$out/$s.$1"; else echo "FAILED" >> "$out/$s.$1"; fi
  done
}
run sqlite
build/bench/bench/bench_slow build/bench/duban "$out" > "$out/slow.sqlite" 2>&1 || echo "FAILED" >> "$out/slow.sqlite"
pg_start "-c fsync=off -c synchronous_commit=off" && pg_start_standby
DUBAN_TEST_DRIVER=postgresql run postgresql
"$PG_BIN/psql" -qAt "${DUBAN_TEST_PG}postgres" -c "CREATE DATABASE reliability_slow"
build/bench/bench/bench_slow build/bench/duban "$out" "${DUBAN_TEST_PG}reliability_slow" > "$out/slow.postgresql" 2>&1 ||
  echo "FAILED" >> "$out/slow.postgresql"
pg_stop

fuzzers=()
for f in build/fuzz/fuzz/fuzz_*; do [ -x "$f" ] && [ "${f%.d}" = "$f" ] && fuzzers+=("$f"); done
FUZZ_JOBS=2 tests/fuzz.sh "$secs" "${fuzzers[@]}" > "$out/fuzz" 2>&1 || true

# what a suite printed, or "FAILED"
said() { # SUITE DRIVER PATTERN
  local f="$out/$1.$2"
  if grep -q '^FAILED$' "$f"; then echo "FAILED (see the suite)"; else grep -h "$3" "$f" | head -1 | sed 's/^[^:]*: //'; fi
}
verdict() { grep -q '^FAILED$' "$out/$1.$2" && echo "FAILED" || echo "held"; }
# bench_slow's row: "p99 X ms (…) against unloaded p99 Y ms: ratio R"
slow() { # DRIVER
  awk -F' [|] ' '/^[|] GET while/ { printf "%s, against %s: %s×", $2, $3, $4; found = 1 }
                 END { if (!found) printf "FAILED (bench_slow said nothing)" }' "$out/slow.$1"
}

commit=$(git rev-parse --short HEAD)
marker="## Findings and their fixes"
{
  echo "# Reliability"
  echo
  echo "Made by \`make reliability FUZZ_SECONDS=$secs\` at $commit on $(date -u +%Y-%m-%d) ($(nproc) cores);"
  echo "every figure is what the suites printed in that run (tests/http/test_crash.c, test_backup.c,"
  echo "test_full.c, test_api_cases.c, test_hostile.c; fuzz/README.md). The same suites run in \`make test\`."
  echo
  echo "| what | SQLite | PostgreSQL |"
  echo "|---|---|---|"
  echo "| kills survived under intake and dispatches (SIGKILL at random moments, restarted) | $(said test_crash sqlite '^killed_under_load: [0-9]* kills') | $(said test_crash postgresql '^killed_under_load: [0-9]* kills') |"
  echo "| … checked afterwards | every acknowledged case and dispatch present, events = counts, audit verify: $(verdict test_crash sqlite) | the same: $(verdict test_crash postgresql) |"
  echo "| \`duban demo\` killed midway (3 times) | $(grep -c '^demo_killed_midway: killed' "$out/test_crash.sqlite") kills, each database verifies | $(grep -c '^demo_killed_midway: killed' "$out/test_crash.postgresql") kills, each database verifies |"
  echo "| an import killed midway | $(said test_crash sqlite '^import_killed_midway') | $(said test_crash postgresql '^import_killed_midway') |"
  echo "| backup under load | $(said test_backup sqlite '^backup under load') (restored: every case and event equal, audit ok) | pg_dump under writes restored, every case and event equal, audit ok: $(verdict test_backup postgresql) |"
  echo "| a full disk (injected) | writes refused whole (503 storage_full), reads, search, sign-in (a pass) and sign-out go on, a reveal shows nothing, writes resume without a restart: $(verdict test_full sqlite) | the same: $(verdict test_full postgresql) |"
  echo "| bad input tried | $(said test_api_cases sqlite '^bad input') | $(said test_api_cases postgresql '^bad input') |"
  echo "| hostile clients | thousands of trickling connections, one address over its cap, headers that never end; others still answered: $(verdict test_hostile sqlite) | the same: $(verdict test_hostile postgresql) |"
  echo "| slow clients: GETs while 2,000 connections trickle a header line every 2 s (bench/bench_slow.c, optimised server) | $(slow sqlite) | $(slow postgresql) |"
  echo
  echo "## Fuzzing"
  echo
  n=${#fuzzers[@]}
  cpu=$(sed -n 's/.*(\([0-9]*\) CPU-seconds).*/\1/p' "$out/fuzz" | awk '{ t += $1 } END { printf "%.2f", t / 3600 }')
  echo "$n targets, ${secs} s each, two at a time: $(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.2f", n * s / 3600 }') target-hours, $cpu CPU-hours used (user"
  echo "and system time, measured; fuzz_http waits on the sockets to its server, so it uses less CPU"
  echo "than it runs)."
  echo
  echo "| target | inputs run | seconds | CPU-seconds | found |"
  echo "|---|---|---|---|---|"
  grep '^--- fuzz/' "$out/fuzz" | sed -E 's/^--- fuzz\/([a-z_]+): ([0-9?]+) inputs in ([0-9]+) s \(([0-9]+) CPU-seconds\), nothing found/| \1 | \2 | \3 | \4 | nothing |/; s/^--- fuzz\/([a-z_]+): FAILED.*/| \1 | — | — | — | a crash: build\/fuzz\/crashes |/'
  echo
  # what the campaigns found and how it was mended: written by hand, kept from run to run
  if grep -q "^$marker" docs/reliability.md 2>/dev/null; then
    sed -n "/^$marker/,\$p" docs/reliability.md
  else
    echo "$marker"
    echo
    echo "None so far."
  fi
} > "$out/reliability.md"
mv "$out/reliability.md" docs/reliability.md
cat docs/reliability.md
