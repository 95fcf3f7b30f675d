#!/usr/bin/env bash
# HTTP load with wrk against `duban serve` on one database (a one-year demo,
# BENCH_MONTHS), one figure per operation: a static file and GET a case
# (three runs each, in turn, the median kept), a list page, durable intake,
# an action (a handler's feedback on a random accepted case). For each:
# requests/s, p99, non-2xx, and the server CPU per request (duban's
# own, plus PostgreSQL's backends when the database is PostgreSQL), read from
# /proc before and after the run. Then a unit's queue, one client at a time:
# the unit's page and its page of one status (p50 and mean), and on
# PostgreSQL how much of that page's time the server spent planning
# (pg_stat_statements, loaded by bench/run.sh).
# Usage: [THREADS=N] bench/http.sh BINARY TMPDIR TARGET LABEL [serve options...]
# Writes "LABEL OP RPS P99_MS NON2XX CPU_MS DB_CPU_MS" lines to $TMPDIR/http.results,
# "LABEL queue_unit|queue_status P50_MS MEAN_MS" and "LABEL planning PLAN_MS_PER_PAGE CALLS".
set -euo pipefail
bin=$1 tmp=$2 target=$3 label=$4; shift 4
port=$((18321 + RANDOM % 1000)) secs=${BENCH_SECS:-8}
out="$tmp/http.results"
tck=$(getconf CLK_TCK)

"$bin" --db "$target" demo --months "${BENCH_MONTHS:-12}" --per-month 2000 > /dev/null 2>&1
token=$("$bin" --db "$target" token create bench dispatcher | sed -n 's/.*"token": "\([0-9a-f]*\)".*/\1/p')
id=$("$bin" --db "$target" case list --limit 1 --status closed | sed -n 's/^      "id": \([0-9]*\),/\1/p' | head -1)
# The unit with the most accepted cases: its clerk's feedback is the action.
"$bin" --db "$target" case list --status accepted --limit 1000 > "$tmp/accepted.json"
unit=$(awk '/"lead_unit": \{/ { getline; gsub(/[",]/, ""); print $2 }' "$tmp/accepted.json" |
       sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
htoken=$("$bin" --db "$target" token create bench-clerk handler --unit "$unit" |
         sed -n 's/.*"token": "\([0-9a-f]*\)".*/\1/p')
ids=$("$bin" --db "$target" case list --status accepted --unit "$unit" --limit 1000 |
      sed -n 's/^      "id": \([0-9]*\),/\1/p' | paste -sd, -)

# SERVE_OPTS: for an older duban without the background sweep, set it empty.
# shellcheck disable=SC2086
"$bin" --db "$target" serve --listen 127.0.0.1:$port --threads ${THREADS:-2} --web web \
  ${SERVE_OPTS---sweep-interval 0} "$@" > "$tmp/serve.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
# The server's anonymous memory (its heap: caches, buffers), sampled through
# the runs; VmHWM, read at the end, also counts the database file's pages
# SQLite maps, which are the page cache's, shared and given back on demand.
( while kill -0 $pid 2>/dev/null; do awk '/^RssAnon/ { print $2 }' /proc/$pid/status 2>/dev/null; sleep 0.1; done |
  sort -n | tail -1 > "$tmp/anon.peak" ) &
sampler=$!

# CPU ticks of duban, and of the PostgreSQL cluster's processes (if any).
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
db_cpu() {
  local pm sum=0 p
  [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ] || { echo 0; return; }
  pm=$(head -1 "$PG_DIR/data/postmaster.pid")
  for p in $pm $(pgrep -P "$pm"); do sum=$((sum + $(cpu_of "$p"))); done
  echo $sum
}

# wrk's summary: requests/s, p99 in ms, non-2xx and the requests made.
summary() { awk '
  /Requests\/sec/ { rps = $2 }
  / 99% / { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) }
            else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; p99 = v }
  /Non-2xx/ { bad = $4 }
  / requests in / { n = $1 }
  END { printf "%d %.2f %d %d\n", rps, p99, bad, n }'; }

measure() { # OP wrk-args...
  local op=$1; shift
  local c0 d0 c1 d1 rps p99 bad n
  c0=$(cpu_of $pid) d0=$(db_cpu)
  read -r rps p99 bad n < <(wrk --latency "$@" | summary)
  c1=$(cpu_of $pid) d1=$(db_cpu)
  awk -v l="$label" -v op="$op" -v r=$rps -v p=$p99 -v b=$bad -v n=$n -v c=$((c1 - c0)) \
      -v d=$((d1 - d0)) -v t="$tck" \
      'BEGIN { printf "%s %s %d %.2f %d %.3f %.3f\n", l, op, r, p, b, (n ? c * 1000 / t / n : 0), (n ? d * 1000 / t / n : 0) }' >> "$out"
}

url="http://127.0.0.1:$port"
# The static file and the GET in turn, three times: a shared machine's
# minute-to-minute swing falls on both, and each keeps its median run.
for round in 1 2 3; do
  measure static -t2 -c32 -d${secs}s "$url/ping.txt"
  measure get -t2 -c32 -d${secs}s -H "Authorization: Bearer $token" "$url/api/v1/cases/$id"
done
keep_median() { # OP: of its lines in $out, only the one with the median requests/s
  local op=$1 keep
  keep=$(awk -v l="$label" -v o="$op" '$1 == l && $2 == o' "$out" | sort -k3,3n | sed -n 2p)
  awk -v l="$label" -v o="$op" '!($1 == l && $2 == o)' "$out" > "$out.tmp"
  echo "$keep" >> "$out.tmp"
  mv "$out.tmp" "$out"
}
keep_median static
keep_median get
measure list -t2 -c32 -d${secs}s -H "Authorization: Bearer $token" "$url/api/v1/cases?limit=50"

# A unit's queue as its clerk reads it, one client at a time: its page, and
# its page of one status. (The clerk sees contacts masked, so neither page
# writes an access-log row, as a dispatcher's page with contacts in full does.)
p50_mean() { awk '
  function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms/, "", v); return v }
                   if (v ~ /s$/) { sub(/s/, "", v); return v * 1000 } return v }
  /^    Latency / { mean = ms($2) } / 50% / { p50 = ms($2) } END { printf "%.3f %.3f\n", p50, mean }'; }
queue() { # OP QUERY
  local p50 mean
  read -r p50 mean < <(wrk --latency -t1 -c1 -d${secs}s -H "Authorization: Bearer $htoken" "$url/api/v1/cases?$2" | p50_mean)
  echo "$label $1 $p50 $mean" >> "$out"
}
pg_sql() { "$PG_BIN/psql" -qAt "$target" -c "$1"; }
queue queue_unit "unit=$unit&limit=20"
if [ "${target#postgres}" != "$target" ]; then
  pg_sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" > /dev/null
  pg_sql "SELECT pg_stat_statements_reset()" > /dev/null
fi
queue queue_status "unit=$unit&status=accepted&limit=20"
if [ "${target#postgres}" != "$target" ]; then
  # the page's statement: the cases of the unit's rows (store_case_list)
  pg_sql "SELECT round((sum(total_plan_time) / greatest(sum(calls), 1))::numeric, 3), sum(calls)
          FROM pg_stat_statements WHERE query LIKE '%FROM case_units cu JOIN cases c%' AND query NOT LIKE '%count(%'" |
    awk -F'|' -v l="$label" '{ printf "%s planning %s %s\n", l, ($1 == "" ? 0 : $1), ($2 == "" ? 0 : $2) }' >> "$out"
fi
cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"channel":"hotline","class":"general","title":"压测：路灯不亮","requester_phone":"13800000000"}'
LUA
measure intake -t2 -c32 -d${secs}s -s "$tmp/post.lua" "$url/api/v1/cases"
cat > "$tmp/act.lua" <<LUA
local ids = {$ids}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $htoken"
wrk.body = '{"note":"压测：已到现场核实"}'
request = function()
  return wrk.format(nil, "/api/v1/cases/" .. ids[math.random(#ids)] .. "/actions/feedback")
end
LUA
measure action -t2 -c32 -d${secs}s -s "$tmp/act.lua" "$url"
hwm=$(awk '/VmHWM/ { print $2 }' /proc/$pid/status)
kill -TERM $pid; wait $pid 2>/dev/null || true
wait $sampler 2>/dev/null || true
awk -v l="$label" -v h="$hwm" -v a="$(cat "$tmp/anon.peak" 2>/dev/null || echo 0)" \
    'BEGIN { printf "%s rss %.1f %.1f\n", l, h / 1024, a / 1024 }' >> "$out"
trap - EXIT
