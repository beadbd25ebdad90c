#!/usr/bin/env bash
# Runs a hyperrep command on a Spark standalone cluster (client deploy mode: the driver runs here, so configs and
# logs are local files):
#   SPARK_HOME=/opt/spark MASTER_URL=spark://head:7077 deploy/submit-standalone.sh -- \
#       zoo build --config conf/zoos/tetris-hyp.conf --out hdfs:///zoos/tetris-hyp
# Resources: see deploy/lib/submit-common.sh. Also TOTAL_CORES (cores of the whole application, empty = all).
# --dry-run prints the spark-submit command instead of running it.
source "$(dirname "${BASH_SOURCE[0]}")/lib/submit-common.sh"
parse_args "$@"
# The driver logs through conf/log4j2.properties (our events at INFO, Spark's warnings) to this terminal; executors
# keep Spark's defaults and their logs stay in each worker's work directory (stdout/stderr per executor).
DRIVER_EXTRA_JAVA_OPTIONS="-Dlog4j2.configurationFile=$HYPERREP_LOG_CONFIG ${DRIVER_EXTRA_JAVA_OPTIONS:-}"
common_spark_args
MASTER_URL="${MASTER_URL:-spark://localhost:7077}"
TOTAL_CORES="${TOTAL_CORES:-}"
args=(--master "$MASTER_URL" --deploy-mode client "${COMMON_ARGS[@]}")
[ -n "$TOTAL_CORES" ] && args+=(--total-executor-cores "$TOTAL_CORES")
run_submit "${args[@]}" "${SPARK_ARGS[@]}" "$HYPERREP_JAR" "${APP_ARGS[@]}"
