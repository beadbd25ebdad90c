#!/usr/bin/env bash
# Runs a hyperrep command on YARN (cluster deploy mode: the driver runs in the application master).
#   SPARK_HOME=/opt/spark HADOOP_CONF_DIR=/etc/hadoop/conf NUM_EXECUTORS=8 deploy/submit-yarn.sh -- \
#       zoo build --config conf/zoos/tetris-hyp.conf --out hdfs:///zoos/tetris-hyp
# Config files named by --config are shipped with --files and read by their base name in the driver's container;
# --out and other paths must be cluster URIs (hdfs://, s3a://). Resources: deploy/lib/submit-common.sh, plus
# NUM_EXECUTORS [2], YARN_QUEUE [default]. YARN kills a container above heap + EXECUTOR_OVERHEAD: raise the overhead
# (not the heap) when executors die with "exceeding memory limits" (ND4J's arrays live off-heap).
# --dry-run prints the spark-submit command instead of running it.
source "$(dirname "${BASH_SOURCE[0]}")/lib/submit-common.sh"
parse_args "$@"
common_spark_args
NUM_EXECUTORS="${NUM_EXECUTORS:-2}"
YARN_QUEUE="${YARN_QUEUE:-default}"
files=()
app=()
prev=""
for a in "${APP_ARGS[@]}"; do
  if [ "$prev" = "--config" ] && [[ "$a" != *://* ]]; then
    files+=("$a")
    app+=("$(basename "$a")")
  else
    app+=("$a")
  fi
  prev="$a"
done
APP_ARGS=("${app[@]}")
args=(--master yarn --deploy-mode cluster --queue "$YARN_QUEUE" --num-executors "$NUM_EXECUTORS"
  --conf "spark.driver.memoryOverhead=$EXECUTOR_OVERHEAD"
  # a failed zoo build is rerun by the schedule (it resumes); a second attempt inside YARN only doubles the logs
  --conf spark.yarn.maxAppAttempts=1
  "${COMMON_ARGS[@]}")
if [ ${#files[@]} -gt 0 ]; then
  args+=(--files "$(IFS=,; echo "${files[*]}")")
fi
run_submit "${args[@]}" "${SPARK_ARGS[@]}" "$HYPERREP_JAR" "${APP_ARGS[@]}"
