#!/usr/bin/env bash
# Before and after in one run: builds the commit BASE (default: the last one
# before the store moved onto the SQL drivers) in a git worktree, then runs the
# SQLite store benchmarks and the SQLite HTTP figures of BASE and of this tree
# one after the other on the same machine, and prints both with their ratio.
# Usage: bench/compare.sh [BASE]   (after `make build/bench/duban build/bench/bench/bench_store`)
set -euo pipefail
base=${1:-59c0d4c}
wt=$PWD/build/base-$base
[ -d "$wt" ] || git worktree add -f "$wt" "$base" > /dev/null
make -C "$wt" build/bench/duban build/bench/bench/bench_store > /dev/null
tmp=$(mktemp -d "$PWD/build/compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
store_rows() { # BENCH_STORE DIR -> "figure<TAB>value" lines
  "$1" "$2" | awk -F' \\| ' '{ sub(/^\| /, "", $1); print $1 "\t" $2 }'
}
mkdir -p "$tmp/b" "$tmp/a"
store_rows "$wt/build/bench/bench/bench_store" "$tmp/b" > "$tmp/store.before"
store_rows build/bench/bench/bench_store "$tmp/a" > "$tmp/store.after"
# The HTTP figures vary by a fifth from run to run on a shared machine: run
# before and after alternately, ROUNDS times each, and keep the median.
for r in $(seq "${ROUNDS:-3}"); do
  rm -f "$tmp"/b/http.db* "$tmp"/a/http.db*
  SERVE_OPTS= bench/http.sh "$wt/build/bench/duban" "$tmp/b" "$tmp/b/http.db" before > /dev/null 2>&1
  bench/http.sh build/bench/duban "$tmp/a" "$tmp/a/http.db" after > /dev/null 2>&1
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "| figure (SQLite) | before ($base) | after ($(git rev-parse --short HEAD)) | after / before (rates: higher is better; times: lower) |"
echo "|---|---|---|---|"
paste "$tmp/store.before" "$tmp/store.after" | awk -F'\t' '{
  b = $2; a = $4; sub(/ .*/, "", b); sub(/ .*/, "", a)
  printf "| %s | %s | %s | %.3g |\n", $1, $2, $4, (b > 0 ? a / b : 0) }'
for op in static get list intake action; do
  b=$(awk -v o=$op '$2 == o { print $3 }' "$tmp/b/http.results" | median)
  a=$(awk -v o=$op '$2 == o { print $3 }' "$tmp/a/http.results" | median)
  bc=$(awk -v o=$op '$2 == o { print $6 }' "$tmp/b/http.results" | median)
  ac=$(awk -v o=$op '$2 == o { print $6 }' "$tmp/a/http.results" | median)
  echo "| HTTP $op (median of ${ROUNDS:-3}) | $b req/s, $bc CPU-ms/req | $a req/s, $ac CPU-ms/req | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3g", (b > 0 ? a / b : 0) }') |"
done
