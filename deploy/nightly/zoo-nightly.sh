#!/usr/bin/env bash
# One night of zoo growth: runs `hyperrep zoo build` for ZOO_CONFIG into ZOO_URI with SEEDS_PER_NIGHT more seeds
# than the night before (seeds 1..SEEDS_PER_NIGHT*(nights since START_DATE + 1)). The build trains only the models
# that are not in the zoo yet, so a missed or failed night is caught up by the next one, and a rerun is a no-op.
#
# Settings (environment; the systemd unit reads them from /etc/hyperrep/nightly.env):
#   ZOO_CONFIG       zoo config file                           [<repo>/conf/zoos/tetris-seed.conf]
#   ZOO_URI          where the zoo lives (Hadoop URI)          required
#   START_DATE       the first night, YYYY-MM-DD               [2026-01-01]
#   SEEDS_PER_NIGHT  seeds added each night                    [10]
#   LAUNCHER         deploy/submit-standalone.sh or submit-yarn.sh   [submit-standalone.sh]
#   HYPERREP_LOG_DIR one log file per night                    [/var/log/hyperrep]
#   plus the launcher's resources (deploy/lib/submit-common.sh) and MASTER_URL / SPARK_HOME.
# --dry-run prints the spark-submit command.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ZOO_CONFIG="${ZOO_CONFIG:-$root/conf/zoos/tetris-seed.conf}"
: "${ZOO_URI:?set ZOO_URI, the zoo to grow}"
START_DATE="${START_DATE:-2026-01-01}"
SEEDS_PER_NIGHT="${SEEDS_PER_NIGHT:-10}"
LAUNCHER="${LAUNCHER:-submit-standalone.sh}"
HYPERREP_LOG_DIR="${HYPERREP_LOG_DIR:-/var/log/hyperrep}"
TODAY="${TODAY:-$(date -u +%F)}"

nights=$(( ( $(date -u -d "$TODAY" +%s) - $(date -u -d "$START_DATE" +%s) ) / 86400 ))
if [ "$nights" -lt 0 ]; then echo "START_DATE $START_DATE is after $TODAY" >&2; exit 64; fi
seeds=$(( SEEDS_PER_NIGHT * (nights + 1) ))
cmd=("$root/deploy/$LAUNCHER")
[ "${1:-}" = "--dry-run" ] && cmd+=(--dry-run)
cmd+=(-- zoo build --config "$ZOO_CONFIG" --out "$ZOO_URI" --set "zoo.factors.seeds={from=1,to=$seeds}")

if [ "${1:-}" = "--dry-run" ]; then exec "${cmd[@]}"; fi
mkdir -p "$HYPERREP_LOG_DIR"
log="$HYPERREP_LOG_DIR/zoo-nightly-$TODAY.log"
# flock: a build that runs past the next night's start makes that one wait instead of training the same models
exec 9>"$HYPERREP_LOG_DIR/.zoo-nightly.lock"
flock 9
echo "$(date -u +%FT%TZ) zoo nightly: seeds 1..$seeds into $ZOO_URI" >>"$log"
"${cmd[@]}" >>"$log" 2>&1
