#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster with pgvector, for an elizaOS server with ENABLE_DATA_ISOLATION=true
# (that mode refuses PGlite). Idempotent: installs what is missing, reuses a cluster already running in DIR.
#
# Usage: start-postgres.sh [--watch-pid PID] [--install-only] DIR PORT
#   DIR            the cluster's folder (created; data in DIR/data, server log in DIR/postgres.log)
#   PORT           the port it listens on, on 127.0.0.1 only
#   --watch-pid    stop the cluster when process PID ends (the JVM of a test), so a killed test leaves nothing
#   --install-only install PostgreSQL 15 and pgvector if missing, start nothing (for CI's setup step)
# Prints on stdout, as its last line:
#   POSTGRES_URL=postgres://eliza@127.0.0.1:PORT/eliza
# Progress goes to stderr. Stop it with stop-postgres.sh DIR.
#
# The database "eliza" belongs to the role "eliza", which is NOT a superuser: a superuser bypasses row-level
# security, so data isolation would hold only in the server's code, not in the database. The extensions elizaOS
# wants (vector needs a superuser to create) are created here. Authentication is "trust" on 127.0.0.1: no
# credential exists that could leak into a log; the cluster is for tests on this machine only.
#
# elizaOS 1.7.x sets the row-level-security server id only inside some transactions; the server's own writes at
# start need it as the session default, else they fail with 'new row violates row-level security policy for
# table "message_servers"'. Give it in the URL: append ?options=-c%20app.server_id%3D<ELIZA_SERVER_ID as a UUID>.
set -euo pipefail

PG_MAJOR=15
PGVECTOR_VERSION=0.8.0
PGVECTOR_SHA256=867a2c328d4928a5a9d6f052cd3bc78c7d60228a9b914ad32aa3db88e9de27b0
# its place in a Debian archive; which archive is this machine's own apt configuration's (debian_archive below)
PGVECTOR_POOL_PATH="pool/main/p/pgvector/pgvector_${PGVECTOR_VERSION}.orig.tar.gz"
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"

log() { echo "start-postgres: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

watch_pid=""
install_only=false
while [[ $# -gt 0 && "$1" == --* ]]; do
  case "$1" in
    --watch-pid) watch_pid="$2"; shift 2 ;;
    --install-only) install_only=true; shift ;;
    *) die "unknown option $1" ;;
  esac
done

apt_updated=false
apt_install() {
  [[ $(id -u) -eq 0 ]] || die "missing Debian packages ($*); run this script once as root to install them"
  if ! $apt_updated; then
    apt-get update -qq >&2
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# The Debian archive this machine's apt fetches from, as its configuration names it: this script names no host, and
# a machine behind a mirror or a proxying cache downloads from there too. apt's own index targets first (what
# `apt-get update` resolved), else the URIs of its source lists; the security archive has no pgvector.
debian_archive() {
  local uri
  uri=$(apt-get indextargets --format '$(REPO_URI) $(LABEL) $(COMPONENT)' 2>/dev/null \
        | awk '$2 == "Debian" && $3 == "main" { print $1; exit }')
  if [[ -z "$uri" ]]; then
    uri=$({ grep -hE '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
            grep -hE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
              | awk '{ for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { print $i; break } }'
          } | grep -v -- '-security' | head -1)
  fi
  [[ -n "$uri" ]] || die "cannot tell which Debian archive apt uses: no 'deb' source in /etc/apt"
  echo "${uri%/}/"
}

install_postgres() {
  if [[ ! -x "$PG_BIN/initdb" ]]; then
    log "installing postgresql-$PG_MAJOR"
    apt_install "postgresql-$PG_MAJOR"
  fi
}

# pgvector is not packaged for Debian bookworm; Debian's source archive has the upstream tarball.
install_pgvector() {
  local sharedir
  sharedir=$("$PG_BIN/pg_config" --sharedir)
  if [[ -f "$sharedir/extension/vector.control" && -f "$("$PG_BIN/pg_config" --pkglibdir)/vector.so" ]]; then
    return
  fi
  log "building pgvector $PGVECTOR_VERSION"
  local need=()
  [[ -f "/usr/include/postgresql/$PG_MAJOR/server/postgres.h" ]] || need+=("postgresql-server-dev-$PG_MAJOR")
  command -v make >/dev/null || need+=(make)
  command -v gcc >/dev/null || need+=(gcc)
  command -v curl >/dev/null || need+=(curl ca-certificates)
  [[ ${#need[@]} -eq 0 ]] || apt_install "${need[@]}"
  [[ $(id -u) -eq 0 ]] || die "pgvector is not installed; run this script once as root to build and install it"

  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/camel-eliza-test"
  local tarball="$cache/pgvector_${PGVECTOR_VERSION}.orig.tar.gz"
  mkdir -p "$cache"
  if [[ ! -f "$tarball" ]] || ! echo "$PGVECTOR_SHA256  $tarball" | sha256sum -c --status; then
    local archive
    archive=$(debian_archive)
    log "downloading pgvector's source from the Debian archive apt uses ($archive)"
    curl -fsSL --retry 3 -o "$tarball.part" "$archive$PGVECTOR_POOL_PATH"
    mv "$tarball.part" "$tarball"
  fi
  echo "$PGVECTOR_SHA256  $tarball" | sha256sum -c --status || die "checksum mismatch for $tarball"

  local build
  build=$(mktemp -d)
  tar -xzf "$tarball" -C "$build"
  # OPTFLAGS="": no -march=native, so the library runs on any x86-64 machine, not only the one that built it
  make -C "$build/pgvector-$PGVECTOR_VERSION" -j"$(nproc)" OPTFLAGS="" PG_CONFIG="$PG_BIN/pg_config" >&2
  make -C "$build/pgvector-$PGVECTOR_VERSION" install PG_CONFIG="$PG_BIN/pg_config" >&2
  rm -rf "$build"
}

install_postgres
install_pgvector
if $install_only; then
  exit 0
fi

[[ $# -eq 2 ]] || die "usage: start-postgres.sh [--watch-pid PID] [--install-only] DIR PORT"
dir=$(realpath -m "$1")
port="$2"
[[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number: $port"
data="$dir/data"

# PostgreSQL refuses to run as root: root hands the cluster to the user the Debian package created.
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || die "user postgres is missing (it comes with the postgresql-common package)"
  as_owner() { runuser -u postgres -- "$@"; }
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
else
  as_owner() { "$@"; }
  mkdir -p "$dir"
fi
as_owner test -w "$dir" || die "$dir is not writable by the cluster's owner (postgres cannot reach a folder under /root)"

if [[ ! -f "$data/PG_VERSION" ]]; then
  log "initdb $data"
  as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >&2
  # a throwaway cluster: durability buys nothing, speed does
  as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi

if as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  log "already running in $data"
else
  as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 -o "-p $port" start >&2 \
    || die "the cluster did not start; see $dir/postgres.log"
fi

psql_su() { as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_su -d postgres >&2 <<'EOF'
SELECT 'CREATE ROLE eliza LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eliza') \gexec
SELECT 'CREATE DATABASE eliza OWNER eliza'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'eliza') \gexec
EOF
psql_su -d eliza >&2 <<'EOF'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
EOF

if [[ -n "$watch_pid" ]]; then
  # detached, so it outlives this script. It watches this postmaster only (its pid, the first line of postmaster.pid):
  # a later cluster in the same folder is not its business. It ends by itself once that postmaster is gone.
  postmaster=$(head -n 1 "$data/postmaster.pid")
  setsid bash -c '
    running() { [[ "$(head -n 1 "$2/postmaster.pid" 2>/dev/null)" == "$3" ]]; }
    while kill -0 "$1" 2>/dev/null && running "$@"; do sleep 2; done
    if running "$@"; then "$4" "$2/.." >/dev/null 2>&1; fi
  ' watch "$watch_pid" "$data" "$postmaster" "$(dirname "$(realpath "$0")")/stop-postgres.sh" \
    </dev/null >/dev/null 2>&1 &
fi

echo "POSTGRES_URL=postgres://eliza@127.0.0.1:$port/eliza"
