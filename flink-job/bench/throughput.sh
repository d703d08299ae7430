#!/usr/bin/env bash
# Throughput and latency of the Spikestream job against a baseline Flink job (parse the same
# files, key by group, one ValueState counter), side by side in one run, on embedded
# MiniClusters with parallelism 2 and checkpoints every second. See JobBenchmark's javadoc.
#
#   bash flink-job/bench/throughput.sh                 # from the repository root
#   RUNS=1 FRAMES=50000 EVENTS=500000 bash flink-job/bench/throughput.sh   # a quick look
#
# Inputs are generated once into target/bench (gigabytes for the dense case; not committed).
# Prints the per-run lines and one RESULT line per scenario; they also go to
# flink-job/target/bench/throughput.txt, and each scenario's whole log to target/bench/logs/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/flink-job/target/bench
mkdir -p "$work"
runs=${RUNS:-3}
frames=${FRAMES:-200000}
events=${EVENTS:-4000000}

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
(cd "$root" && mvn -B -q -pl neural-core,flink-job -am install -DskipTests)

# one scenario; its whole output goes to $work/logs/, the figures to the terminal
n=0
bench() {
  n=$((n + 1))
  local log=$work/logs/$n-${2}.log
  mkdir -p "$work/logs"
  if ! (cd "$root" && mvn -B -q -Dstyle.color=never -Pbench -pl flink-job verify \
      -Dbench.args="--work $work $*") > "$log" 2>&1; then
    echo "FAILED: $* (last lines of $log:)"
    tail -20 "$log"
    return 1
  fi
  # Maven's exec output may start lines with colour codes whatever -Dstyle.color says
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(==|run|warm-up|RESULT)'
}

{
  for backend in hashmap rocksdb; do
    bench --scenario dense --frames "$frames" --runs "$runs" --state-backend $backend
    # the two readers of dense frames drift apart; aligned, the steps waiting at each
    # checkpoint stay few (see --max-drift-ms in the README)
    bench --scenario dense --frames "$frames" --runs "$runs" --state-backend $backend \
      --max-drift-ms 100
    for per_step in 1 10 100; do
      bench --scenario sparse --events "$events" --per-step $per_step --runs "$runs" \
        --state-backend $backend
    done
  done
  bench --scenario latency --rate 20000 --seconds 30 --warmup 10
} | tee "$work/throughput.txt"
