# Sourced by tests/run.sh and bench/run.sh: a throwaway PostgreSQL 15 cluster
# in a temporary folder, on 127.0.0.1 and a free port, run by the postgres
# user (the server refuses root) from Debian's own layout, not from PATH.
# pg_start exports DUBAN_TEST_PG (a URL ending in '/'; add a database name);
# pg_start_standby adds a streaming replica of it; pg_stop stops both and
# removes the folder.
PG_BIN=/usr/lib/postgresql/15/bin

pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_start() {
  local opts=${1:-}
  [ -x "$PG_BIN/initdb" ] || { echo "pg.sh: $PG_BIN/initdb is missing (install postgresql-15)" >&2; return 1; }
  PG_DIR=$(mktemp -d /tmp/duban-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  # C.UTF-8: byte order for text, and pg_trgm counts Chinese characters as
  # word characters (under the C locale it would see no trigrams in them).
  pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 -N > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  local try port
  for try in $(seq 20); do
    port=$(( 20000 + (RANDOM * 7 + $$ + try * 131) % 40000 ))
    if pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 start \
         -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 $opts" \
         > /dev/null 2>&1; then
      export DUBAN_TEST_PG="postgresql://postgres@127.0.0.1:$port/"
      PG_PORT=$port
      export PG_DIR PG_BIN
      return 0
    fi
  done
  echo "pg.sh: the cluster did not start:" >&2; tail -5 "$PG_DIR/server.log" >&2
  return 1
}

# A hot standby of the cluster, streaming from it, on another free port:
# exports DUBAN_TEST_PG_STANDBY (a URL ending in '/').
pg_start_standby() {
  local try port
  pg_as "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$PG_DIR/standby" -R \
    -X stream > "$PG_DIR/standby.log" 2>&1 || { cat "$PG_DIR/standby.log" >&2; return 1; }
  for try in $(seq 20); do
    port=$(( 20000 + (RANDOM * 11 + $$ + try * 137) % 40000 ))
    if pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/standby" -l "$PG_DIR/standby-server.log" -w -t 30 start \
         -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" \
         > /dev/null 2>&1; then
      export DUBAN_TEST_PG_STANDBY="postgresql://postgres@127.0.0.1:$port/"
      return 0
    fi
  done
  echo "pg.sh: the standby did not start:" >&2; tail -5 "$PG_DIR/standby-server.log" >&2
  return 1
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  [ -d "$PG_DIR/standby" ] && pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/standby" -m immediate -w stop > /dev/null 2>&1
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop > /dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
