#!/usr/bin/env bash
# Runs the benchmarks and writes their table to bench/RESULTS.md.
# Usage: bench/run.sh BUILD_DIR   (called by `make bench`)
set -euo pipefail
build=$1
tmp=$(mktemp -d "$PWD/build/bench-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
{
  echo "# Benchmarks"
  echo
  echo "Made by \`make bench\` on $(date -u +%Y-%m-%d) — $(nproc) cores, $(uname -m), $(df -h "$tmp" | awk 'NR==2{print $1}') disk."
  echo "Each figure is beside a baseline or ceiling measured in the same run; ratio = figure / baseline"
  echo "(for times, lower is better; for rates, higher is better)."
  echo
  echo "| figure | value | baseline (same run) | ratio | target |"
  echo "|---|---|---|---|---|"
  "$build/bench/bench_calendar"
  "$build/bench/bench_store" "$tmp"
  bench/http.sh "$build/duban" "$tmp"
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
- HTTP: wrk (2 threads, 32 connections) on the same 2 cores as the server (2 worker threads);
  the ceiling is the same server returning a static 2-byte file.
NOTES
} | tee bench/RESULTS.md
