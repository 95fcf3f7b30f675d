#!/usr/bin/env bash
# HTTP load with wrk against `duban serve` on a demo database, beside a
# ceiling from the same server in the same run (a static 2-byte file).
# Prints table rows; usage: bench/http.sh BINARY TMPDIR
set -euo pipefail
bin=$1 tmp=$2 db=$2/http.db port=18321 secs=${BENCH_SECS:-8}
"$bin" --db "$db" demo --months 1 --per-month 2000 > /dev/null 2>&1
token=$("$bin" --db "$db" token create bench dispatcher | sed -n 's/.*"token": "\([0-9a-f]*\)".*/\1/p')
id=$("$bin" --db "$db" case list --limit 1 --status closed | sed -n 's/^      "id": \([0-9]*\),/\1/p' | head -1)
"$bin" --db "$db" serve --listen 127.0.0.1:$port --threads 2 --web web > "$tmp/serve.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done

# wrk's summary: requests/s and the 99th percentile latency in ms.
run() { wrk --latency "$@" | awk '
  /Requests\/sec/ { rps = $2 }
  / 99% / { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) }
            else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; p99 = v }
  /Non-2xx/ { bad = $4 }
  END { printf "%d %.2f %d\n", rps, p99, bad }'; }

read -r ceil ceil_p99 _ < <(run -t2 -c32 -d${secs}s "http://127.0.0.1:$port/ping.txt")
read -r get get_p99 get_bad < <(run -t2 -c32 -d${secs}s -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/cases/$id")
cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"channel":"hotline","class":"general","title":"压测：路灯不亮","requester_phone":"13800000000"}'
LUA
read -r post post_p99 post_bad < <(run -t2 -c32 -d${secs}s -s "$tmp/post.lua" "http://127.0.0.1:$port/api/v1/cases")
rss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' /proc/$pid/status)
kill -TERM $pid; wait $pid 2>/dev/null || true

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3g", (b > 0 ? a / b : 0) }'; }
met() { awk -v c="$1" 'BEGIN { print (c ? "met" : "NOT met") }'; }
echo "| GET /api/v1/cases/{id} (Bearer, 32 connections) | $get req/s, p99 $get_p99 ms, non-2xx ${get_bad:-0} | static 2-byte file $ceil req/s, p99 $ceil_p99 ms | $(ratio $get $ceil) | ≥ 15,000 req/s and p99 < 10 ms: $(met "$(awk -v r=$get -v p=$get_p99 'BEGIN{print (r >= 15000 && p < 10)}')") |"
echo "| durable intake POST /api/v1/cases (each acknowledged after its commit) | $post cases/s, p99 $post_p99 ms, non-2xx ${post_bad:-0} | static 2-byte file $ceil req/s | $(ratio $post $ceil) | ≥ 5,000 cases/s: $(met "$(awk -v r=$post 'BEGIN{print (r >= 5000)}')") |"
echo "| peak RSS of the server under that load | $rss MB | | | < 100 MB: $(met "$(awk -v r=$rss 'BEGIN{print (r < 100)}')") |"
