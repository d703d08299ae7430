#!/usr/bin/env bash
# The job against the baseline Flink job as whole processes, startup subtracted: the job as users
# run it (java -jar spikestream-job.jar, embedded cluster, default parallelism = the cores,
# checkpoints every second) and the baseline (BaselineJob.main: the same parsing file source,
# keyBy(group), one ValueState<Long> per group, on an embedded cluster with the job's
# configuration and the same parallelism), each over a sparse input in one file and over a
# one-line file of the same groups. A run's wall time is the process's, start to exit; a rate is
# events / (median wall time of the input - median wall time of the one-line file). A warm-up
# round first (not counted), then RUNS rounds of: baseline one line, job one line, baseline
# input, job input. Every run is checked: the job's done line must show all events applied, no
# late events or dead letters and a spike record per step, its spikes/ as many lines; the
# baseline must count every event.
#
#   bash flink-job/bench/process.sh                      # from the repository root
#   RUNS=5 EVENTS=2000000 PER_STEP=10 bash flink-job/bench/process.sh
#
# Builds with mvn package (nothing is installed); inputs go to flink-job/target/bench.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/flink-job/target/bench
mkdir -p "$work"
runs=${RUNS:-5}
events=${EVENTS:-2000000}
per_step=${PER_STEP:-10}
files=${FILES:-1}

# shellcheck source=flink-job/bench/classpath.sh
source "$root/flink-job/bench/classpath.sh"
jar=$root/flink-job/target/spikestream-job.jar

read -r _ dir n_events n_steps < <(java -cp "$cp" io.spikestream.job.bench.JobBenchmark \
  --work "$work" --scenario sparse-input --events "$events" --per-step "$per_step" \
  --files "$files" | grep '^INPUT')
input=$dir/events
one=$dir/one-line
mkdir -p "$one"
head -1 "$input/part-0.jsonl" > "$one/part-0.jsonl"
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(java -version 2>&1 | head -1)"
echo "== input $input: $n_events events, $n_steps steps with events, $files file(s); one-line file $one"
echo "== load before: $(uptime)"

out=$work/process-out
# one run; prints its wall time in seconds, fails if the run was wrong
run() {
  local kind=$1 in=$2 want_events=$3 want_steps=$4
  rm -rf "$out"
  mkdir -p "$out"
  local start end
  start=$(date +%s%N)
  if [[ $kind == job ]]; then
    java -jar "$jar" --groups "$dir/groups.yaml" --input "$in" --output "$out" --quiet \
      > "$out.stdout" 2> "$out.stderr" || { echo "job failed:" >&2; tail "$out.stderr" >&2; return 1; }
  else
    java -cp "$cp" io.spikestream.job.bench.BaselineJob --groups "$dir/groups.yaml" \
      --input "$in" --output "$out" --expect "$want_events" > "$out.stdout" 2> "$out.stderr" \
      || { echo "baseline failed:" >&2; tail "$out.stdout" "$out.stderr" >&2; return 1; }
  fi
  end=$(date +%s%N)
  if [[ $kind == job ]]; then
    local done_line records
    done_line=$(grep -o 'done: .*' "$out.stderr")
    records=$(find "$out/spikes" -type f ! -name '.*' -exec cat {} + | wc -l)
    if [[ $done_line != *"events=$want_events applied=$want_events late=0 dead_letters=0 steps=$want_steps "* ]] \
        || [[ $records != "$want_steps" ]]; then
      echo "job run is wrong: $done_line, $records spike records (want $want_events events, $want_steps steps)" >&2
      return 1
    fi
  fi
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A walls
for round in $(seq 0 "$runs"); do
  for what in "baseline one" "job one" "baseline input" "job input"; do
    read -r kind which <<< "$what"
    if [[ $which == one ]]; then
      wall=$(run "$kind" "$one" 1 1)
    else
      wall=$(run "$kind" "$input" "$n_events" "$n_steps")
    fi
    label=$([[ $round == 0 ]] && echo warm-up || echo "run $round")
    printf '%-7s %-8s %-10s %8.3f s\n' "$label" "$kind" "$which" "$wall"
    if [[ $round != 0 ]]; then
      walls[$kind-$which]+="$wall "
    fi
  done
done
rm -rf "$out" "$out.stdout" "$out.stderr"
echo "== load after: $(uptime)"

m() { tr ' ' '\n' <<< "${walls[$1]}" | grep . | median; }
bo=$(m baseline-one); bi=$(m baseline-input); jo=$(m job-one); ji=$(m job-input)
awk -v n="$n_events" -v bo="$bo" -v bi="$bi" -v jo="$jo" -v ji="$ji" -v runs="$runs" 'BEGIN {
  b = n / (bi - bo); j = n / (ji - jo)
  printf "RESULT process | %d events, medians of %d runs | baseline %.2f s - %.2f s one line = %.0f events/s | job %.2f s - %.2f s one line = %.0f events/s | ratio %.0f%%\n", n, runs, bi, bo, b, ji, jo, j, 100 * j / b
}'
