#!/usr/bin/env bash
# A Flink 2.2 standalone session cluster on 127.0.0.1 from Maven Central jars: one JobManager
# and two TaskManagers as background JVMs, for local runs and the cluster tests.
#
# Usage: docker/local-cluster/cluster.sh COMMAND DIR [ARGS...]
#   start DIR               build lib/ and plugins/ if missing (mvn -f docker/local-cluster/pom.xml
#                           package), write DIR/conf, start the JobManager and the TaskManagers,
#                           wait until all are registered, print their metrics endpoints
#   start-taskmanager DIR   start one more TaskManager (e.g. to replace a killed one) and wait
#                           until it is registered
#   kill-taskmanager DIR N  SIGKILL TaskManager N (numbered 1, 2, ... in start order)
#   flink DIR ARGS...       Flink's CLI against the cluster, e.g. (JAR the job jar,
#                           flink-job/target/spikestream-job.jar)
#                             flink DIR run -d JAR --groups ... --input ... --output ...
#                             flink DIR stop --savepointPath file://DIR/savepoints JOBID
#                             flink DIR run -d -s SAVEPOINT -p 2 JAR --groups ...
#                             flink DIR list | cancel JOBID
#   metrics DIR             each running process and its Prometheus endpoint, one per line:
#                           NAME http://127.0.0.1:PORT/metrics
#   stop DIR                stop every process (SIGTERM, SIGKILL after STOP_TIMEOUT); keeps DIR/log
#
# DIR (created if needed) holds conf/ (config.yaml, log4j.properties), log/ (PROCESS.log and
# PROCESS.out), pids/, tmp/ and the default checkpoints/ and savepoints/.
# Ports, all on 127.0.0.1: REST API and Web UI 8081, JobManager RPC 6123, blob server 6124;
# TaskManagers take free ports. Flink's Prometheus reporter (a plugin, from
# docker/local-cluster/target/plugins) serves each process's metrics on the first free port of
# 9250-9260 (the order depends on which process starts its reporter first: see 'metrics'); it
# listens on all interfaces (Flink 2.2's reporter has no bind-address option), the rest of the
# cluster on 127.0.0.1 only.
#
# Environment, read by start (later commands read DIR/conf/config.yaml):
#   REST_PORT (8081), RPC_PORT (6123), BLOB_PORT (6124), METRICS_PORTS (9250-9260: a port or a
#   range, one port per process), TASKMANAGERS (2), SLOTS (1 per TaskManager).
#   MVN_ARGS: extra arguments of the Maven build of lib/, split at spaces, e.g.
#   MVN_ARGS="-Dmaven.repo.local=/path/to/repo -s /path/to/settings.xml" to use the caller's
#   repository and settings (the nested mvn sees neither otherwise; not MAVEN_ARGS, which
#   Maven 3.9+ reads by itself and 3.8 ignores). Any command: START_TIMEOUT (120 s),
#   STOP_TIMEOUT (20 s), JAVA (java).
#
# ND4J and its native libraries are in lib/ and loaded parent-first (classloader.parent-first-
# patterns.additional), so a TaskManager loads its JNI libraries once, whatever jobs it runs.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$HERE/target/lib
PLUGINS=$HERE/target/plugins
JAVA=${JAVA:-java}
START_TIMEOUT=${START_TIMEOUT:-120}
STOP_TIMEOUT=${STOP_TIMEOUT:-20}

# What Flink's distribution gives every JVM on Java 17 (env.java.opts.all of its config.yaml)
JAVA_17_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

# ---- DIR and its config ----

write_config() {
  local rest_port=${REST_PORT:-8081} rpc_port=${RPC_PORT:-6123} blob_port=${BLOB_PORT:-6124}
  local metrics_ports=${METRICS_PORTS:-9250-9260}
  [[ $metrics_ports =~ ^[0-9]+(-[0-9]+)?$ ]] ||
    die "METRICS_PORTS '$metrics_ports' is not a port or a range such as 9250-9260"
  for port in "$rest_port" "$rpc_port" "$blob_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port on 127.0.0.1 is in use (set REST_PORT, RPC_PORT, BLOB_PORT)"
    fi
  done
  mkdir -p "$DIR"/{conf,log,pids,tmp,web-tmp,web-upload,checkpoints,savepoints}
  cp "$HERE/log4j.properties" "$DIR/conf/log4j.properties"
  cat >"$DIR/conf/config.yaml" <<EOF
# Written by cluster.sh start: a standalone session cluster on 127.0.0.1.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.memory.process.size: 1536m
taskmanager.numberOfTaskSlots: ${SLOTS:-1}
parallelism.default: 1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest_port
blob.server.port: $blob_port
web.refresh-interval: 1 s

# a killed TaskManager is noticed within seconds, not the default 50
heartbeat.interval: 1 s
heartbeat.timeout: 5 s

io.tmp.dirs: $DIR/tmp
web.tmpdir: $DIR/web-tmp
web.upload.dir: $DIR/web-upload
execution.checkpointing.dir: file://$DIR/checkpoints
execution.checkpointing.savepoint-dir: file://$DIR/savepoints
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 10
restart-strategy.fixed-delay.delay: 1 s

# Prometheus: each process takes the first free port of the range (all share 127.0.0.1; a port
# that another program holds is skipped); 'cluster.sh metrics DIR' lists which took which
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.port: $metrics_ports

# ND4J and JavaCPP come from lib/, even though the job jar has them too: a JNI library can be
# loaded by one classloader only, and every job gets its own user-code classloader on each
# TaskManager (child-first, each job would unpack and load another 400 MB copy of ND4J's)
classloader.parent-first-patterns.additional: [org.nd4j., org.bytedeco.]

# the job aligns its input readers' watermarks (--max-drift-ms); a file reader cannot pause one
# split, only itself as a whole, which TaskManagers allow only with this
pipeline.watermark-alignment.allow-unaligned-source-splits: true

env.java.opts.all: ${JAVA_17_OPTS[*]}

# the LIF/ALIF dense steps run on JDK 17's incubating Vector API where the JVM resolves it
env.java.opts.taskmanager: --add-modules=jdk.incubator.vector
EOF
}

conf_value() {
  sed -n "s/^$1: *//p" "$DIR/conf/config.yaml"
}

rest_url() {
  echo "http://127.0.0.1:$(conf_value rest.port)"
}

prepare_lib() {
  if ! compgen -G "$LIB/flink-runtime-*.jar" >/dev/null ||
    ! compgen -G "$PLUGINS/metrics-prometheus/flink-metrics-prometheus-*.jar" >/dev/null; then
    local mvn_args=()
    read -r -a mvn_args <<<"${MVN_ARGS:-}"
    echo "cluster.sh: building $LIB and $PLUGINS" >&2
    mvn -B -q "${mvn_args[@]}" -f "$HERE/pom.xml" package ||
      die "building lib/ failed: mvn -B -q ${mvn_args[*]} -f $HERE/pom.xml package (output above)"
  fi
}

# ---- processes ----

# Sets OPTS to the JVM options of process NAME [CONSOLE_LEVEL]: Java 17 opens, log4j to
# DIR/log/NAME.log and from CONSOLE_LEVEL (default WARN) up to the console, lib/ as classpath
jvm_opts() {
  OPTS=("${JAVA_17_OPTS[@]}" -Dlog.file="$DIR/log/$1.log" -Dlog.console.level="${2:-WARN}"
    -Dlog4j.configurationFile="file:$DIR/conf/log4j.properties" -cp "$LIB/*")
}

# The memory flags (line 1) and -D memory properties (line 2) Flink derives from config.yaml,
# as its own scripts do. COMMAND: GET_JM_RESOURCE_PARAMS or GET_TM_RESOURCE_PARAMS.
resource_params() {
  local out
  jvm_opts bash-java-utils
  out=$("$JAVA" "${OPTS[@]}" org.apache.flink.runtime.util.bash.BashJavaUtils \
    "$1" --configDir "$DIR/conf" 2>&1) || die "BashJavaUtils $1 failed: $out"
  sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' <<<"$out"
}

# Starts process NAME in the background: launch NAME MEMORY_PARAMS_FILE MAIN_CLASS [ARGS...]
launch() {
  local name=$1 params=$2 main=$3
  shift 3
  local memory dynamic
  read -r -a memory <<<"$(sed -n 1p "$params")"
  read -r -a dynamic <<<"$(sed -n 2p "$params")"
  jvm_opts "$name"
  nohup "$JAVA" "${memory[@]}" "${OPTS[@]}" "$main" --configDir "$DIR/conf" "${dynamic[@]}" "$@" \
    >"$DIR/log/$name.out" 2>&1 </dev/null &
  echo $! >"$DIR/pids/$name.pid"
}

# Whether the process in pid file $1 runs, and is one of this DIR's
alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$DIR/log/"
}

start_taskmanager() {
  local n=1
  while [[ -e $DIR/pids/taskmanager-$n.pid ]]; do n=$((n + 1)); done
  # ND4J's OpenMP threads: one per TaskManager unless the caller says otherwise (its slots run in
  # parallel already; docs/job-benchmarks.md#nd4j-threads)
  OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} launch "taskmanager-$n" "$DIR/conf/taskmanager.params" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    -D "taskmanager.resource-id=taskmanager-$n"
  echo "taskmanager-$n"
}

# Waits until the REST API lists every TaskManager id given, or dies with the logs' tails
wait_for_taskmanagers() {
  local deadline=$((SECONDS + START_TIMEOUT)) registered
  while true; do
    registered=$(curl -sf "$(rest_url)/taskmanagers" 2>/dev/null || true)
    local missing=()
    for id in "$@"; do
      grep -qF "\"id\":\"$id\"" <<<"$registered" || missing+=("$id")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    for name in jobmanager "${missing[@]}"; do
      alive "$DIR/pids/$name.pid" || fail_with_logs "$name exited"
    done
    ((SECONDS < deadline)) || fail_with_logs "${missing[*]} not registered after ${START_TIMEOUT} s"
    sleep 0.5
  done
}

# Prints "NAME http://127.0.0.1:PORT/metrics" for each running process, the port from its log's
# latest start (logs are appended to across restarts); "NAME none (see DIR/log/NAME.log)" if
# its reporter did not start, e.g. with every port of METRICS_PORTS taken
metrics_endpoints() {
  local file name port
  for file in "$DIR"/pids/*.pid; do
    [[ -e $file ]] && alive "$file" || continue
    name=$(basename "$file" .pid)
    port=$(awk '/ Starting .*\(Version: / { port = "" }
      /Started PrometheusReporter HTTP server on port / { port = $NF; sub(/\.$/, "", port) }
      END { print port }' "$DIR/log/$name.log" 2>/dev/null)
    if [[ -n $port ]]; then
      echo "$name http://127.0.0.1:$port/metrics"
    else
      echo "$name none (see $DIR/log/$name.log)"
    fi
  done
}

fail_with_logs() {
  for log in "$DIR"/log/*.log "$DIR"/log/*.out; do
    if [[ -s $log ]]; then
      echo "==> $log <=="
      tail -n 20 "$log"
    fi
  done >&2
  die "$1 (logs in $DIR/log)"
}

stop_all() {
  local pids=()
  for file in "$DIR"/pids/*.pid; do
    [[ -e $file ]] || continue
    if alive "$file"; then
      pids+=("$(cat "$file")")
      kill -TERM "$(cat "$file")" 2>/dev/null || true
    fi
  done
  local deadline=$((SECONDS + STOP_TIMEOUT))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "cluster.sh: process $pid still runs after ${STOP_TIMEOUT} s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$DIR"/pids/*.pid
}

# ---- commands ----

[[ $# -ge 2 ]] || { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 2; }
command=$1
DIR=$(realpath -m "$2")
shift 2
# Flink's plugins (the Prometheus reporter), each in its own folder and classloader
export FLINK_PLUGINS_DIR=$PLUGINS

case $command in
  start)
    [[ ! -e $DIR/pids/jobmanager.pid ]] || ! alive "$DIR/pids/jobmanager.pid" ||
      die "a cluster already runs in $DIR (cluster.sh stop $DIR)"
    prepare_lib
    write_config
    rm -f "$DIR"/pids/*.pid
    resource_params GET_JM_RESOURCE_PARAMS >"$DIR/conf/jobmanager.params"
    resource_params GET_TM_RESOURCE_PARAMS >"$DIR/conf/taskmanager.params"
    trap stop_all EXIT # a cluster that did not come up is stopped again
    launch jobmanager "$DIR/conf/jobmanager.params" \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
    ids=()
    for _ in $(seq "${TASKMANAGERS:-2}"); do ids+=("$(start_taskmanager)"); done
    wait_for_taskmanagers "${ids[@]}"
    trap - EXIT
    echo "cluster.sh: JobManager and ${#ids[@]} TaskManagers up; Web UI $(rest_url)"
    metrics_endpoints | sed 's/^/cluster.sh: metrics of /'
    ;;
  start-taskmanager)
    alive "$DIR/pids/jobmanager.pid" || die "no cluster runs in $DIR"
    id=$(start_taskmanager)
    wait_for_taskmanagers "$id"
    echo "cluster.sh: $id up"
    metrics_endpoints | grep "^$id " | sed 's/^/cluster.sh: metrics of /' || true
    ;;
  kill-taskmanager)
    [[ $# -eq 1 ]] || die "usage: cluster.sh kill-taskmanager DIR N"
    pidfile=$DIR/pids/taskmanager-$1.pid
    alive "$pidfile" || die "taskmanager-$1 does not run in $DIR"
    pid=$(cat "$pidfile")
    kill -KILL "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    echo "cluster.sh: taskmanager-$1 (pid $pid) killed"
    ;;
  flink)
    [[ -e $DIR/conf/config.yaml ]] || die "no cluster config in $DIR (cluster.sh start $DIR)"
    jvm_opts flink-client ERROR
    FLINK_CONF_DIR=$DIR/conf exec "$JAVA" -Xmx512m "${OPTS[@]}" \
      org.apache.flink.client.cli.CliFrontend "$@"
    ;;
  metrics)
    alive "$DIR/pids/jobmanager.pid" || die "no cluster runs in $DIR"
    metrics_endpoints
    ;;
  stop)
    stop_all
    echo "cluster.sh: stopped; logs in $DIR/log"
    ;;
  *)
    die "unknown command '$command' (start, start-taskmanager, kill-taskmanager, flink, metrics, stop)"
    ;;
esac
