#!/usr/bin/env bash
# Event-camera throughput: one EVT 3.0 file of 50 million IMX636 events (written by the test
# encoder at realistic statistics) through the job (java -jar, embedded cluster) into a
# [2, 720, 1280] ExactNeuron group, 1 ms steps, checkpoints every second, JSON spike output;
# beside it, in the same run, a decode-only loop over the file and the formatting of the run's
# spike records alone. See CameraBenchmark's javadoc.
#
#   bash flink-job/bench/camera.sh              # from the repository root; 6 minutes the first
#                                               # time (it writes the file), 3 after
#   RUNS=5 EVENTS=100000000 bash flink-job/bench/camera.sh
#
# The file is written once into flink-job/target/bench (about 165 MB; not committed).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/flink-job/target/bench
mkdir -p "$work"
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), $(date -u +%F)"
(cd "$root" && mvn -B -q -Dstyle.color=never -Pbench -pl neural-core,flink-job -am verify \
  -Dbench.main=io.spikestream.job.bench.CameraBenchmark \
  -Dbench.args="--work $work --runs ${RUNS:-3} --events ${EVENTS:-50000000}") \
  | sed 's/\x1b\[[0-9;]*m//g' | grep -E '^(==|run|warm-up|RESULT)' | tee "$work/camera.txt"
