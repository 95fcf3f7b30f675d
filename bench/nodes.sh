#!/usr/bin/env bash
# Two duban nodes on one PostgreSQL, for reads (GET a case), beside one node
# in the same run. Also reports how busy the machine's cores were (from
# /proc/stat) and how many PostgreSQL backends waited on a lock, sampled
# through the runs: a shared bottleneck other than PostgreSQL's own work
# would show as lock waits or as idle cores.
# Usage: bench/nodes.sh BINARY TMPDIR TARGET   (needs PG_BIN and DUBAN_TEST_PG from tests/pg.sh)
set -euo pipefail
bin=$1 tmp=$2 target=$3 secs=${BENCH_SECS:-8}
"$bin" --db "$target" demo --months 1 --per-month 2000 > /dev/null 2>&1
token=$("$bin" --db "$target" token create bench dispatcher | sed -n 's/.*"token": "\([0-9a-f]*\)".*/\1/p')
id=$("$bin" --db "$target" case list --limit 1 --status closed | sed -n 's/^      "id": \([0-9]*\),/\1/p' | head -1)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
start_node() { # PORT
  "$bin" --db "$target" serve --listen 127.0.0.1:$1 --threads 4 --sweep-interval 0 > "$tmp/node$1.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$tmp/node$1.out" 2>/dev/null && break; sleep 0.1; done
}
rps() { awk '/Requests\/sec/ { print int($2) }'; }
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }
waits_while() { # PID: the most backends waiting on a lock at once, sampled every 0.2 s while PID runs
  local most=0 n
  while kill -0 "$1" 2>/dev/null; do
    n=$("$PG_BIN/psql" -qAt "${DUBAN_TEST_PG}postgres" -c \
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'" 2>/dev/null || echo 0)
    [ "$n" -gt "$most" ] && most=$n
    sleep 0.2
  done
  echo "$most"
}
get() { wrk "$@" -H "Authorization: Bearer $token"; }

p1=$((19321 + RANDOM % 500)) p2=$((19921 + RANDOM % 500))
start_node $p1
read -r b0 i0 < <(busy)
get -t2 -c32 -d${secs}s "http://127.0.0.1:$p1/api/v1/cases/$id" > "$tmp/one.out" &
w=$!
one_waits=$(waits_while $w)
read -r b1 i1 < <(busy)
one=$(rps < "$tmp/one.out")
one_busy=$(awk -v b=$((b1 - b0)) -v i=$((i1 - i0)) 'BEGIN { printf "%.0f", 100 * b / (b + i) }')

start_node $p2
read -r b0 i0 < <(busy)
get -t1 -c16 -d${secs}s "http://127.0.0.1:$p1/api/v1/cases/$id" > "$tmp/a.out" &
wa=$!
get -t1 -c16 -d${secs}s "http://127.0.0.1:$p2/api/v1/cases/$id" > "$tmp/b.out" &
wb=$!
two_waits=$(waits_while $wa)
wait $wb
read -r b1 i1 < <(busy)
a=$(rps < "$tmp/a.out") b=$(rps < "$tmp/b.out")
two=$((a + b))
two_busy=$(awk -v b=$((b1 - b0)) -v i=$((i1 - i0)) 'BEGIN { printf "%.0f", 100 * b / (b + i) }')
echo "| GET a case on two nodes, one PostgreSQL | $two req/s ($a + $b), cores ${two_busy}% busy, at most $two_waits backends waiting on a lock | one node $one req/s, cores ${one_busy}% busy, at most $one_waits waiting | $(awk -v a=$two -v b=$one 'BEGIN { printf "%.3g", a / b }') | report (2 cores shared by the nodes, PostgreSQL and wrk) |"
