"""Airflow DAG: grow the hyperrep zoo every night (deploy/nightly/zoo-nightly.sh does the work).

The seed range follows the DAG's logical date ({{ ds }}), so a backfill or a cleared run trains exactly the models
of its night that are missing; zoo build skips models already in the zoo, so reruns are cheap no-ops.
Settings come from the same keys as /etc/hyperrep/nightly.env, as Airflow Variables prefixed "hyperrep_".
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

HYPERREP_HOME = "/opt/hyperrep"
KEYS = ["ZOO_CONFIG", "ZOO_URI", "START_DATE", "SEEDS_PER_NIGHT", "LAUNCHER", "SPARK_HOME", "MASTER_URL",
        "HYPERREP_JAR", "EXECUTOR_CORES", "EXECUTOR_MEMORY", "EVENT_LOG_DIR", "HYPERREP_LOG_DIR"]


def _env():
    env = {k: Variable.get("hyperrep_" + k.lower(), default_var="") for k in KEYS}
    return {k: v for k, v in env.items() if v}


with DAG(
    dag_id="hyperrep_zoo_nightly",
    start_date=datetime(2026, 1, 1),
    schedule="30 1 * * *",
    catchup=False,
    max_active_runs=1,  # two builds of one zoo would train the same missing models twice
    default_args={"retries": 1, "retry_delay": timedelta(minutes=30)},
    tags=["hyperrep"],
) as dag:
    BashOperator(
        task_id="zoo_build",
        bash_command=HYPERREP_HOME + "/deploy/nightly/zoo-nightly.sh",
        env={**_env(), "TODAY": "{{ ds }}"},
        append_env=True,
        execution_timeout=timedelta(hours=20),
    )
