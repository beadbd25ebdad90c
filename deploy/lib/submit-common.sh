# Shared by the spark-submit launchers (sourced, not run). Turns the resource settings below into spark-submit
# options, splits "launcher options -- hyperrep command", and runs or prints (--dry-run) the command.
#
# Resources (environment, defaults in brackets):
#   HYPERREP_JAR            the application jar                     [<repo>/dist/target/hyperrep-jobs.jar]
#   DRIVER_MEMORY           driver heap                             [4g]
#   EXECUTOR_MEMORY         executor heap                           [4g]
#   EXECUTOR_CORES          cores per executor                      [4]
#   EXECUTOR_OVERHEAD       off-heap per executor: ND4J keeps its arrays outside the heap (JavaCPP), so YARN and
#                           Kubernetes must reserve room for them    [2g]
#   TASK_CPUS               cores per task; ND4J/OpenMP threads per task follow it (zoo build: 1, one model per
#                           core; train: EXECUTOR_CORES, one parameter-averaging worker per executor)   [1]
#   EVENT_LOG_DIR           Spark event log (history server) URI, empty = off                            []
#   HYPERREP_LOG_CONFIG     log4j2 file for the driver                                [<repo>/conf/log4j2.properties]
#   DRIVER_EXTRA_JAVA_OPTIONS  more driver JVM options (a launcher adds its log configuration here)   []
#   SPARK_HOME              Spark 3.5 (Scala 2.12) installation; its bin/spark-submit is used
set -euo pipefail

HYPERREP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HYPERREP_JAR="${HYPERREP_JAR:-$HYPERREP_ROOT/dist/target/hyperrep-jobs.jar}"
DRIVER_MEMORY="${DRIVER_MEMORY:-4g}"
EXECUTOR_MEMORY="${EXECUTOR_MEMORY:-4g}"
EXECUTOR_CORES="${EXECUTOR_CORES:-4}"
EXECUTOR_OVERHEAD="${EXECUTOR_OVERHEAD:-2g}"
TASK_CPUS="${TASK_CPUS:-1}"
EVENT_LOG_DIR="${EVENT_LOG_DIR:-}"
HYPERREP_LOG_CONFIG="${HYPERREP_LOG_CONFIG:-$HYPERREP_ROOT/conf/log4j2.properties}"

DRY_RUN=false
SPARK_ARGS=()     # extra spark-submit options given before "--"
APP_ARGS=()       # the hyperrep command after "--"

# parse_args "$@": [--dry-run] [spark-submit options ...] -- <hyperrep command ...>
# Without "--" every argument is part of the hyperrep command.
parse_args() {
  local seen_sep=false a
  for a in "$@"; do [ "$a" = "--" ] && seen_sep=true; done
  if [ "$seen_sep" = false ]; then
    for a in "$@"; do
      if [ "$a" = "--dry-run" ] && [ ${#APP_ARGS[@]} -eq 0 ]; then DRY_RUN=true; else APP_ARGS+=("$a"); fi
    done
    return
  fi
  while [ $# -gt 0 ]; do
    case "$1" in
      --dry-run) DRY_RUN=true ;;
      --) shift; APP_ARGS=("$@"); return ;;
      *) SPARK_ARGS+=("$1") ;;
    esac
    shift
  done
}

# Options every hyperrep submission needs, whatever the cluster manager.
common_spark_args() {
  # maxPhysicalBytes=0: JavaCPP would otherwise measure the process's resident memory on every native allocation
  # (2x slower training, see ./hyperrep); the memory overhead above is what bounds ND4J's off-heap use instead.
  # jdk.incubator.vector: the Vector API kernels of the zoo's convolutions (without it: slower plain-Java loops).
  local jvm="--add-modules=jdk.incubator.vector -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
  local driver_jvm="$jvm${DRIVER_EXTRA_JAVA_OPTIONS:+ $DRIVER_EXTRA_JAVA_OPTIONS}"
  COMMON_ARGS=(
    --class org.hyperrep.jobs.Main
    --driver-memory "$DRIVER_MEMORY"
    --executor-memory "$EXECUTOR_MEMORY"
    --executor-cores "$EXECUTOR_CORES"
    --conf "spark.task.cpus=$TASK_CPUS"
    --conf "spark.executor.memoryOverhead=$EXECUTOR_OVERHEAD"
    # one OpenMP / libnd4j thread per core of a task: more threads than cores made training several times slower
    --conf "spark.executorEnv.OMP_NUM_THREADS=$TASK_CPUS"
    --conf "spark.executorEnv.SD_MAX_THREADS=$TASK_CPUS"
    --conf "spark.executorEnv.SD_MASTER_THREADS=$TASK_CPUS"
    # OpenMP threads sleep between ops instead of spinning against OpenBLAS's threads (see ./hyperrep)
    --conf "spark.executorEnv.OMP_WAIT_POLICY=PASSIVE"
    # Spark 3.5 adds the Java 17 --add-opens flags to both JVMs itself; these options come on top of them.
    --conf "spark.driver.extraJavaOptions=$driver_jvm"
    --conf "spark.executor.extraJavaOptions=$jvm"
    # Parameter averaging splits the data by the executors present when training starts: wait for all of them.
    --conf "spark.scheduler.minRegisteredResourcesRatio=1.0"
    --conf "spark.scheduler.maxRegisteredResourcesWaitingTime=120s"
  )
  if [ -n "$EVENT_LOG_DIR" ]; then
    COMMON_ARGS+=(--conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=$EVENT_LOG_DIR")
  fi
}

# run_submit <spark-submit args...>: runs $SPARK_HOME/bin/spark-submit, or prints the command for --dry-run.
run_submit() {
  local submit="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
  if [ "$DRY_RUN" = true ]; then
    printf '%q' "$submit"
    printf ' %q' "$@"
    printf '\n'
    return 0
  fi
  if [ ${#APP_ARGS[@]} -eq 0 ]; then
    echo "usage: $(basename "$0") [--dry-run] [spark-submit options] -- <hyperrep command>" >&2
    exit 64
  fi
  [ -f "$HYPERREP_JAR" ] || { echo "no application jar at $HYPERREP_JAR (mvn -B -DskipTests package)" >&2; exit 66; }
  exec "$submit" "$@"
}
