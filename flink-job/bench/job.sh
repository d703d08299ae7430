#!/usr/bin/env bash
# One JobBenchmark scenario, as the bench profile's exec runs it (java -Xmx4g on flink-job's test
# classpath) but built with mvn package, so that nothing is installed into ~/.m2. The arguments
# go to JobBenchmark (see its --help); --work defaults to flink-job/target/bench. Prints the
# load before and after, the figures, and keeps the whole output in
# flink-job/target/bench/logs/job-<time>.log.
#
#   bash flink-job/bench/job.sh --scenario activity --events 4000000 --runs 5 --models exact,lif
#   bash flink-job/bench/job.sh --scenario sparse --events 4000000 --per-step 1 --runs 5
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/flink-job/target/bench
mkdir -p "$work/logs"
log=$work/logs/job-$(date -u +%Y%m%dT%H%M%S).log

# shellcheck source=flink-job/bench/classpath.sh
source "$root/flink-job/bench/classpath.sh"
args=("$@")
if [[ " $* " != *" --work "* ]]; then
  args=(--work "$work" "${args[@]}")
fi
{
  echo "== $(date -u), load before: $(uptime)"
  java -Xmx4g -cp "$cp" io.spikestream.job.bench.JobBenchmark "${args[@]}"
  echo "== load after: $(uptime)"
} > "$log" 2>&1 || { echo "FAILED (last lines of $log:)"; tail -20 "$log"; exit 1; }
grep -E '^(==|run|warm-up|probe|RESULT)' "$log"
