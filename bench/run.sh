#!/usr/bin/env bash
# Runs the benchmarks and writes their table to bench/RESULTS.md.
# Usage: bench/run.sh BUILD_DIR   (called by `make bench`)
set -euo pipefail
build=$1
bin=$build/duban
tmp=$(mktemp -d "$PWD/build/bench-tmp.XXXXXX")
. tests/pg.sh
trap 'pg_stop; rm -rf "$tmp"' EXIT
# A durable cluster (fsync, synchronous commit, the default wal_sync_method):
# intake and actions are measured against its own flush ceiling.
pg_start "-c shared_buffers=256MB" > /dev/null
pgdb() { "$PG_BIN/psql" -qAt "${DUBAN_TEST_PG}postgres" -c "$1"; }
pgdb "CREATE DATABASE bench1" && pgdb "CREATE DATABASE bench2"
sync_method=$(pgdb "SHOW wal_sync_method")
# pg_test_fsync's rate for that method, on the cluster's own disk (one 8 kB write per flush)
flush=$(pg_as "$PG_BIN/pg_test_fsync" -s 2 -f "$PG_DIR/fsync.test" 2>/dev/null |
        awk -v m="$sync_method" '/one 8kB write/ { s = 1 } s && $1 == m { print int($2); exit }')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3g", (b > 0 ? a / b : 0) }'; }
val() { awk -v l="$1" -v o="$2" -v f="$3" '$1 == l && $2 == o { print $f }' "$tmp/http.results"; }

{
  echo "# Benchmarks"
  echo
  echo "Made by \`make bench\` on $(date -u +%Y-%m-%d) — $(nproc) cores, $(uname -m), $(df -h "$tmp" | awk 'NR==2{print $1}') disk,"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') (wal_sync_method $sync_method)."
  echo "Each figure is beside a baseline or ceiling measured in the same run; ratio = figure / baseline"
  echo "(for times, lower is better; for rates, higher is better)."
  echo
  echo "| figure | value | baseline (same run) | ratio | target |"
  echo "|---|---|---|---|---|"
  "$build/bench/bench_calendar"
  BENCH_KEEP=1 "$build/bench/bench_store" "$tmp"
  # the web pages, the dashboard over bench_store's 1,000,000 cases
  node bench/web.mjs "$bin" "$tmp/big.db" "$tmp"
  # the 通报, the 清零 ledger and hot spots over the same cases (it opens and moves them)
  "$build/bench/bench_supervise" "$tmp"
  rm -f "$tmp"/big.db*
  "$build/bench/bench_search" "$tmp"
  "$build/bench/bench_slow" "$bin" "$tmp"

  # The HTTP figures on both drivers, one node each.
  # SQLite is at its best with a worker per core; PostgreSQL, whose requests
  # wait on round trips, with more workers than cores.
  bench/http.sh "$bin" "$tmp" "$tmp/http.db" sqlite
  THREADS=8 bench/http.sh "$bin" "$tmp" "${DUBAN_TEST_PG}bench1" postgresql
  # The floor under any PostgreSQL request: one indexed lookup per round trip,
  # prepared, from 8 clients (pgbench), on the same database.
  echo "\\set id random(1, 2000)" > "$tmp/lookup.sql"
  echo "SELECT id, case_no, status FROM cases WHERE id = :id;" >> "$tmp/lookup.sql"
  lookups=$("$PG_BIN/pgbench" -n -M prepared -c 8 -j 2 -T "${BENCH_SECS:-8}" -f "$tmp/lookup.sql" \
            "${DUBAN_TEST_PG}bench1" 2>/dev/null | awk '/^tps/ { print int($3) }')
  pgdb "DROP DATABASE bench1" && pgdb "CREATE DATABASE bench1"
  THREADS=8 bench/http.sh "$bin" "$tmp" "${DUBAN_TEST_PG}bench1" pg-batched --group-commit on
  for op in get list intake action; do
    s=$(val sqlite $op 3) p=$(val postgresql $op 3)
    sc=$(val sqlite $op 6) pc=$(val postgresql $op 6) pd=$(val postgresql $op 7)
    pt=$(awk -v a="$pc" -v b="$pd" 'BEGIN { printf "%.3f", a + b }')
    echo "| HTTP $op, SQLite | $s req/s, p99 $(val sqlite $op 4) ms, non-2xx $(val sqlite $op 5), $sc CPU-ms/req | static file $(val sqlite static 3) req/s | $(ratio "$s" "$(val sqlite static 3)") | |"
    echo "| HTTP $op, PostgreSQL | $p req/s, p99 $(val postgresql $op 4) ms, non-2xx $(val postgresql $op 5), $pt CPU-ms/req (duban $pc + PostgreSQL $pd) | SQLite $s req/s, $sc CPU-ms/req | $(ratio "$p" "$s") req/s; node CPU $(ratio "$pc" "$sc"), with PostgreSQL's $(ratio "$pt" "$sc") | the node's CPU within 2× of SQLite: $(awk -v c="$(ratio "$pc" "$sc")" 'BEGIN { print (c <= 2 ? "met" : "NOT met") }'); throughput and CPU with the database's on the same 2 cores within 2×: $(awk -v r="$(ratio "$p" "$s")" -v c="$(ratio "$pt" "$sc")" 'BEGIN { print (r >= 0.5 && c <= 2 ? "met" : "NOT met (see notes)") }') |"
  done
  echo "| PostgreSQL's floor: one indexed lookup per round trip (pgbench, prepared, 8 clients) | $lookups lookups/s | | | what a GET (token, case, assisting units, events: 4 round trips) is held to: at most $((lookups / 4)) req/s |"
  for op in intake action; do
    echo "| durable $op on PostgreSQL, one commit each | $(val postgresql $op 3) req/s | pg_test_fsync $sync_method $flush flushes/s | $(ratio "$(val postgresql $op 3)" "$flush") | ratio to the flush ceiling |"
    echo "| durable $op on PostgreSQL, group commit (one transaction per group) | $(val pg-batched $op 3) req/s | pg_test_fsync $sync_method $flush flushes/s | $(ratio "$(val pg-batched $op 3)" "$flush") | ratio to the flush ceiling |"
  done
  echo "| durable intake on SQLite (group commit) | $(val sqlite intake 3) cases/s, p99 $(val sqlite intake 4) ms | static file $(val sqlite static 3) req/s | $(ratio "$(val sqlite intake 3)" "$(val sqlite static 3)") | ≥ 5,000 cases/s: $(awk -v r="$(val sqlite intake 3)" 'BEGIN { print (r >= 5000 ? "met" : "NOT met") }') |"
  echo "| peak RSS of the server under that load | SQLite $(awk '$1 == "sqlite" && $2 == "rss" { print $3 }' "$tmp/http.results") MB, PostgreSQL $(awk '$1 == "postgresql" && $2 == "rss" { print $3 }' "$tmp/http.results") MB | | | < 100 MB |"

  # Two nodes on one PostgreSQL, for reads.
  bench/nodes.sh "$bin" "$tmp" "${DUBAN_TEST_PG}bench2"
  # SQLite before and after a change, in the same run (make bench BENCH_BASE=COMMIT).
  if [ -n "${BENCH_BASE:-}" ]; then
    echo
    echo "## SQLite before and after, same run (\`make bench BENCH_BASE=$BENCH_BASE\`)"
    echo
    bench/compare.sh "$BENCH_BASE"
  fi
  cat <<'NOTES'

Notes:
- Working-day additions are O(1) (prefix counts and a table of working days); the baseline is
  the day-by-day loop they replace, over the same calendar and inputs.
- Durable writes: one transaction (one WAL fsync) per case with synchronous=FULL; the ceiling is
  a 4 KiB write + fdatasync loop on the same disk in the same run.
- Bulk import goes through store_case_create (case number, deadlines, event, hash chain, alert
  state), 10,000 cases per transaction; the baseline inserts bare two-column rows.
- Sweep: each open case carries its next alert time (indexed), so a sweep reads only the cases
  whose time has come. "Steady state" is the periodic sweep over 1,000,000 open cases. "First run"
  is a backlog: 1,000,000 cases that were never swept and all overdue, raising every notice at
  once; its cost is dominated by writing those notices, so its baseline is a bare INSERT of the
  same rows into an identical table.
- Stats read a 34-byte packed record per case through a covering index; the baseline computes the
  same figures with one SQL GROUP BY over the case columns.
- HTTP: wrk (2 threads, 32 connections) on the same 2 cores as the server and, for PostgreSQL,
  the database; 2 worker threads on SQLite, 8 on PostgreSQL (its requests wait on round trips);
  each database holds one demo month (2,000 cases). The action is a
  handler's feedback on a random accepted case of the unit with the most. CPU-ms per request is
  the server's user + system time over the run (from /proc) divided by the requests; for
  PostgreSQL the cluster's processes are added, since SQLite's work is inside duban.
- PostgreSQL runs durable here (fsync on, synchronous_commit on); its flush ceiling is
  pg_test_fsync's rate for the cluster's wal_sync_method on the same disk.
- PostgreSQL beside SQLite: the node's own CPU per request (duban's) is what a node on its own
  machine spends, and the figure that decides how many nodes a load needs. On this 2-core machine
  PostgreSQL's backends share the cores with duban and wrk, and their CPU per request alone
  (the "PostgreSQL" part of each row) is more than SQLite's whole request: an intake executes five
  statements with their index and WAL work in the server (pg_stat_statements: 60-130 µs each),
  while SQLite does all of it in-process in about 0.15-0.19 ms. No client can bring that part
  under 2× SQLite's whole request, so throughput on one shared 2-core machine stays at 0.2-0.6 of
  SQLite's. What duban controls it has cut: a case read is one round trip, list pages have a
  LIMIT, search text lives in its own table (updates do not rewrite trigram indexes), the
  configuration check rides on LISTEN/NOTIFY, and a case's writes go in libpq's pipeline (an
  intake is 2 round trips, an action 2-3).
- Group commit on PostgreSQL (one committer, one transaction per group) measured slower than
  each worker committing (its one connection's round trips become the limit): the default,
  `--group-commit auto`, groups on SQLite only.
- Two nodes: the nodes, PostgreSQL and wrk share 2 cores, so a second node can only use what the
  first left idle. No lock waits were seen in the sampled pg_stat_activity, and the nodes share
  nothing but the database (sessions, throttles, idempotency keys and the sweep's lead are in it),
  so on separate machines the limit is PostgreSQL's own capacity.
NOTES
} | tee bench/RESULTS.md
