# Sourced by .ci/run: starts a throwaway PostgreSQL server on loopback for the tests that load a
# real PostgreSQL (`--warehouse postgres://...`), exports TEST_POSTGRES_URL, stops it on exit.
# A TEST_POSTGRES_URL already set is used as it is. As root (Debian's server refuses to run as
# root) the server runs as the postgres user; as anyone else it runs as that user. PostgreSQL is
# installed with apt only when it is missing and apt can be used (root); otherwise this fails
# saying what to install, since under CI=true the PostgreSQL suites fail without a server.

start_test_postgres() {
  if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    echo "postgres.sh: using the TEST_POSTGRES_URL already set" >&2
    return 0
  fi
  local pg_bin
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ] && command -v pg_ctl >/dev/null 2>&1; then
    pg_bin=$(dirname "$(command -v pg_ctl)")
  fi
  if [ -z "$pg_bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
      pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    else
      echo "postgres.sh: no PostgreSQL server found (initdb, pg_ctl); install it (apt-get install postgresql) or set TEST_POSTGRES_URL" >&2
      return 1
    fi
  fi

  # As root, every server command runs as the postgres user; otherwise as the current user.
  local as_owner=()
  pg_dir=$(mktemp -d)
  if [ "$(id -u)" = 0 ]; then
    as_owner=(runuser -u postgres --)
    chown postgres "$pg_dir"
  fi
  pg_stop=("${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop)

  local pg_port
  pg_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  "${as_owner[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
  trap stop_test_postgres EXIT
  export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
}

stop_test_postgres() {
  "${pg_stop[@]}" >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}

start_test_postgres
