#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suite: a temp dir, 127.0.0.1 on a free port,
# trust authentication (local test use only), one database.
#
#   scripts/pg_test_cluster.sh run CMD [ARG...]  start, run CMD with ZC_TEST_DATABASE_URL set,
#                                                then stop and delete the cluster (even on failure)
#   scripts/pg_test_cluster.sh start             start one and print its URL and directory
#   scripts/pg_test_cluster.sh stop DIR          stop and delete the cluster started in DIR
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
# (or a created system user `zc-pgtest` where there is none).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DB_NAME=zc_test
DB_USER=zc_test

die() { echo "pg_test_cluster: $*" >&2; exit 1; }

[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] \
  || die "PostgreSQL 15 not found in $PG_BIN (install the Debian package postgresql-15)"

if [ "$(id -u)" -eq 0 ]; then
  RUN_AS=${PG_TEST_USER:-postgres}
  if ! id -u "$RUN_AS" >/dev/null 2>&1; then
    RUN_AS=zc-pgtest
    id -u "$RUN_AS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_AS"
  fi
  as_pg() { runuser -u "$RUN_AS" -- "$@"; }
else
  RUN_AS=$(id -un)
  as_pg() { "$@"; }
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start: sets DIR and URL
start() {
  # as root, /tmp: the server's user must reach the directory, and $TMPDIR may be private
  local base=${TMPDIR:-/tmp}
  [ "$(id -u)" -eq 0 ] && base=/tmp
  DIR=$(mktemp -d "$base/zc-pgtest.XXXXXX")
  chmod 700 "$DIR"
  [ "$(id -u)" -eq 0 ] && chown "$RUN_AS" "$DIR"
  # C collation (the order the tests expect), but UTF-8 character classes: pg_trgm makes trigrams of
  # Chinese characters only under a UTF-8 LC_CTYPE, as in production (docs/deploy.md)
  as_pg "$PG_BIN/initdb" --pgdata="$DIR/data" --username="$DB_USER" --auth=trust \
    --encoding=UTF8 --no-locale --lc-ctype=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; return 1; }
  local port tries=0
  while :; do
    port=$(free_port)
    # fsync off: a test cluster that is thrown away needs no durability, only speed
    if as_pg "$PG_BIN/pg_ctl" --pgdata="$DIR/data" --log="$DIR/server.log" --wait --timeout=60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null; then
      break
    fi
    tries=$((tries + 1))
    [ $tries -lt 3 ] || { cat "$DIR/server.log" >&2; return 1; }
  done
  as_pg "$PG_BIN/createdb" --host=127.0.0.1 --port="$port" --username="$DB_USER" "$DB_NAME"
  PORT=$port
  URL="postgresql+psycopg2://$DB_USER@127.0.0.1:$port/$DB_NAME"
}

stop() {
  local dir=$1
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  run)
    shift
    [ $# -gt 0 ] || die "usage: $0 run CMD [ARG...]"
    DIR=""
    trap 'stop "$DIR"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    start
    echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') test cluster: $URL (running as $RUN_AS, in $DIR)"
    set +e
    ZC_TEST_DATABASE_URL=$URL "$@"
    rc=$?
    set -e
    exit $rc
    ;;
  start)
    DIR=""
    trap 'stop "$DIR"' ERR
    start
    trap - ERR
    echo "export ZC_TEST_DATABASE_URL=$URL"
    echo "# stop with: $0 stop $DIR"
    ;;
  stop)
    [ -n "${2:-}" ] || die "usage: $0 stop DIR"
    case "$2" in */zc-pgtest.*) ;; *) die "$2 is not a test cluster directory" ;; esac
    stop "$2"
    ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
