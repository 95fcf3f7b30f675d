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
# Timings swing by a fifth from minute to minute on a shared machine:
# before and after alternate, ROUNDS times each, and the median is kept.
for r in $(seq "${ROUNDS:-3}"); do
  store_rows "$wt/build/bench/bench/bench_store" "$tmp/b" >> "$tmp/store.before"
  store_rows build/bench/bench/bench_store "$tmp/a" >> "$tmp/store.after"
done
median_rows() { # the median value of each figure, in first-seen order
  awk -F'\t' '{ v = $2; n = v; sub(/ .*/, "", n); k = $1
    if (!(k in seen)) { seen[k] = 1; order[++m] = k }
    vals[k, ++cnt[k]] = n; text[k, cnt[k]] = v }
  END { for (i = 1; i <= m; i++) { k = order[i]; c = cnt[k]
      for (a = 1; a <= c; a++) idx[a] = a
      for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++)
        if (vals[k, idx[b]] + 0 < vals[k, idx[a]] + 0) { t = idx[a]; idx[a] = idx[b]; idx[b] = t }
      print k "\t" text[k, idx[int((c + 1) / 2)]] } }' "$1"
}
median_rows "$tmp/store.before" > "$tmp/store.b"
median_rows "$tmp/store.after" > "$tmp/store.a"
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
paste "$tmp/store.b" "$tmp/store.a" | awk -F'\t' -v r="${ROUNDS:-3}" '{
  b = $2; a = $4; sub(/ .*/, "", b); sub(/ .*/, "", a)
  printf "| %s (median of %d) | %s | %s | %.3g |\n", $1, r, $2, $4, (b > 0 ? a / b : 0) }'
for op in static get list intake action; do
  b=$(awk -v o=$op '$2 == o { print $3 }' "$tmp/b/http.results" | median)
  a=$(awk -v o=$op '$2 == o { print $3 }' "$tmp/a/http.results" | median)
  bc=$(awk -v o=$op '$2 == o { print $6 }' "$tmp/b/http.results" | median)
  ac=$(awk -v o=$op '$2 == o { print $6 }' "$tmp/a/http.results" | median)
  echo "| HTTP $op (median of ${ROUNDS:-3}) | $b req/s, $bc CPU-ms/req | $a req/s, $ac CPU-ms/req | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3g", (b > 0 ? a / b : 0) }') |"
done

# Instructions (callgrind) repeat exactly where timings do not.
if command -v valgrind > /dev/null; then
  libs=$(pkg-config --libs sqlite3 libpq jansson libsodium libxml-2.0)
  for side in b a; do
    tree=$PWD; [ $side = b ] && tree=$wt
    gcc -O2 -DNDEBUG -std=c11 -D_GNU_SOURCE -I"$tree/src" bench/bench_intake.c \
      "$tree/build/bench/libduban.a" $libs -lm -lpthread -o "$tmp/$side/intake"
  done
  ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
         awk '/Collected/ { print $4 }'; }
  ib=$(ir "$tmp/b/intake" "$tmp/b/ir.db") ia=$(ir "$tmp/a/intake" "$tmp/a/ir.db")
  echo "| instructions: 20,000 cases through store_case_create (callgrind) | $ib | $ia | $(awk -v a="$ia" -v b="$ib" 'BEGIN { printf "%.3g", a / b }') |"
  db=$(ir "$wt/build/bench/duban" --db "$tmp/b/demo.db" demo --months 1 --per-month 2000)
  da=$(ir build/bench/duban --db "$tmp/a/demo.db" demo --months 1 --per-month 2000)
  echo "| instructions: duban demo, one month of 2,000 cases and their actions (callgrind) | $db | $da | $(awk -v a="$da" -v b="$db" 'BEGIN { printf "%.3g", a / b }') |"
fi
