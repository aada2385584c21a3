#!/usr/bin/env bash
# Stops a cluster that start-postgres.sh started in DIR (fast shutdown: open sessions are ended). Does nothing when
# none runs there. The folder stays; delete it to throw the cluster away.
#
# Usage: stop-postgres.sh DIR
# The same by hand: runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D DIR/data -m fast -w stop
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: stop-postgres.sh DIR" >&2; exit 1; }
data="$(realpath -m "$1")/data"
pg_ctl=/usr/lib/postgresql/15/bin/pg_ctl

[[ -f "$data/postmaster.pid" ]] || exit 0
if [[ $(id -u) -eq 0 ]]; then
  runuser -u postgres -- "$pg_ctl" -D "$data" -m fast -w -t 60 stop >&2
else
  "$pg_ctl" -D "$data" -m fast -w -t 60 stop >&2
fi
