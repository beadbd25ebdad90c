#!/usr/bin/env bash
# Runs a hyperrep command on Kubernetes (cluster deploy mode: driver and executors are pods of HYPERREP_IMAGE,
# built by deploy/k8s/Dockerfile, which holds the jar at /opt/hyperrep/hyperrep-jobs.jar and conf/ at
# /opt/hyperrep/conf).
#   SPARK_HOME=/opt/spark K8S_API=https://k8s.example:6443 HYPERREP_IMAGE=registry/hyperrep:0.1.0 \
#       deploy/submit-k8s.sh -- zoo build --config conf/zoos/tetris-hyp.conf --out s3a://zoos/tetris-hyp
# A relative --config path is resolved inside the image (/opt/hyperrep/<path>); --out must be a shared URI.
# Resources: deploy/lib/submit-common.sh, plus NUM_EXECUTORS [2], K8S_NAMESPACE [default],
# K8S_SERVICE_ACCOUNT [spark]. The pod memory limit is heap + EXECUTOR_OVERHEAD (ND4J's arrays live off-heap).
# --dry-run prints the spark-submit command instead of running it.
source "$(dirname "${BASH_SOURCE[0]}")/lib/submit-common.sh"
parse_args "$@"
common_spark_args
K8S_API="${K8S_API:-https://kubernetes.default.svc}"
HYPERREP_IMAGE="${HYPERREP_IMAGE:-hyperrep:0.1.0-SNAPSHOT}"
K8S_NAMESPACE="${K8S_NAMESPACE:-default}"
K8S_SERVICE_ACCOUNT="${K8S_SERVICE_ACCOUNT:-spark}"
NUM_EXECUTORS="${NUM_EXECUTORS:-2}"
app=()
prev=""
for a in "${APP_ARGS[@]}"; do
  if [ "$prev" = "--config" ] && [[ "$a" != /* ]] && [[ "$a" != *://* ]]; then app+=("/opt/hyperrep/$a"); else app+=("$a"); fi
  prev="$a"
done
APP_ARGS=("${app[@]}")
args=(--master "k8s://$K8S_API" --deploy-mode cluster
  --conf "spark.kubernetes.container.image=$HYPERREP_IMAGE"
  --conf "spark.kubernetes.namespace=$K8S_NAMESPACE"
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=$K8S_SERVICE_ACCOUNT"
  --conf "spark.executor.instances=$NUM_EXECUTORS"
  --conf "spark.kubernetes.executor.request.cores=$EXECUTOR_CORES"
  --conf "spark.driver.memoryOverhead=$EXECUTOR_OVERHEAD"
  "${COMMON_ARGS[@]}")
# the jar is inside the image: local:// tells Spark not to upload it
run_submit "${args[@]}" "${SPARK_ARGS[@]}" "local:///opt/hyperrep/hyperrep-jobs.jar" "${APP_ARGS[@]}"
