#!/usr/bin/env bash
# Before and after on the same data, for the reads people wait on: builds the
# commit BASE in a git worktree, makes a one-year demo with it, gives a copy
# to this tree's duban (`init` upgrades its schema), then serves each copy in
# turn, ROUNDS times each, alternating, and prints one line per run: a static
# file and GET /cases/1 over keep-alive (wrk 2×32, req/s), a list of 50 (a
# leader), and one client's p50 for a unit's page and its page of one status
# (its clerk), and a page of one status over every unit, by id and by the
# next deadline (a leader). SQLite, 2 worker threads.
# Usage: bench/ab.sh BASE   (after `make build/release/duban`)
set -euo pipefail
base=$1 rounds=${ROUNDS:-3} secs=${BENCH_SECS:-5}
wt=$PWD/build/base-$base
[ -d "$wt" ] || git worktree add -f "$wt" "$base" > /dev/null
make -C "$wt" build/release/duban > /dev/null
old=$wt/build/release/duban new=$PWD/build/release/duban
tmp=$(mktemp -d "$PWD/build/ab.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$old" --db "$tmp/before.db" demo --months 12 --per-month 2000 > /dev/null 2>&1
cp "$tmp/before.db" "$tmp/after.db"
"$new" --db "$tmp/after.db" init > /dev/null

token() { "$1" --db "$2" token create "ab$RANDOM" "${@:3}" | sed -n 's/.*"token": "\([0-9a-f]*\)".*/\1/p'; }
rps() { wrk -t2 -c32 -d"${secs}s" "$@" | awk '/Requests\/sec/ { printf "%d", $2 }'; }
p50() { wrk --latency -t1 -c1 -d3s "$@" |
        awk '/ 50% / { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) sub(/ms/, "", v); printf "%.2f", v }'; }
run() { # LABEL BINARY DB PORT
  local bin=$2 db=$3 u=http://127.0.0.1:$4 pid d l h
  d=$(token "$bin" "$db" dispatcher) l=$(token "$bin" "$db" leader) h=$(token "$bin" "$db" handler --unit zjj)
  "$bin" --db "$db" serve --listen "127.0.0.1:$4" --threads 2 --web web --sweep-interval 0 > /dev/null 2>&1 &
  pid=$!
  sleep 1
  echo "$1 static $(rps "$u/ping.txt") get $(rps -H "Authorization: Bearer $d" "$u/api/v1/cases/1")" \
       "list50 $(rps -H "Authorization: Bearer $l" "$u/api/v1/cases?limit=50")" \
       "unit_p50 $(p50 -H "Authorization: Bearer $h" "$u/api/v1/cases?unit=zjj&limit=20")" \
       "unit_status_p50 $(p50 -H "Authorization: Bearer $h" "$u/api/v1/cases?unit=zjj&status=accepted&limit=20")" \
       "status_p50 $(p50 -H "Authorization: Bearer $l" "$u/api/v1/cases?status=accepted&limit=20")" \
       "status_due_p50 $(p50 -H "Authorization: Bearer $l" "$u/api/v1/cases?status=accepted&sort=next_due&limit=20")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
for r in $(seq "$rounds"); do
  run "before($base)" "$old" "$tmp/before.db" 19801
  run "after($(git rev-parse --short HEAD))" "$new" "$tmp/after.db" 19802
done
