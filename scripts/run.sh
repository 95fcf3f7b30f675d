#!/usr/bin/env bash
# make run: builds a demo database if there is none, then serves it.
# Usage: scripts/run.sh BINARY DB [LISTEN]
set -euo pipefail
bin=$1 db=$2 listen=${3:-127.0.0.1:8080}
if [ ! -f "$db" ]; then
  "$bin" --db "$db" demo > "$db.demo.json"
  echo "demo database $db: $(grep -o '"cases": [0-9]*' "$db.demo.json" | grep -o '[0-9]*') cases"
fi
echo "demo accounts (username, password, role, unit; a password is mz13710# and the first three letters of its username):"
"$bin" --db "$db" user list | grep -o '"username": "[^"]*"\|"role": "[^"]*"\|"unit": [^,}]*' |
  paste - - - | sed 's/"username": //; s/"role": //; s/"unit": //; s/"//g' |
  awk '{ printf "  %-14s mz13710#%-4s %-11s %s\n", $1, substr($1, 1, 3), $2, ($3 == "null" ? "" : $3) }'
echo "open http://$listen/ — API at http://$listen/api/v1 (docs/openapi.yaml); Ctrl-C stops"
exec "$bin" --db "$db" serve --listen "$listen"
