#!/bin/sh
# The streaming replica: copy the primary once (pg_basebackup -R writes the standby settings), then run
# as a hot standby that the public register reads (DATABASE_REPLICA_URL).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready -h db -U regulator; do sleep 1; done
    PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h db -U replicator -D "$PGDATA" -R -X stream -c fast
    chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on
