#!/usr/bin/env bash
# ND4J's thread count under a busy job: the throughput harness's dense scenario (JobBenchmark,
# parallelism 2 on embedded MiniClusters, the job beside the baseline, a warm-up and RUNS runs
# each) with OMP_NUM_THREADS=1 and =2 in the harness JVM's environment, alternately, ROUNDS
# times each, for 16 groups x 1000 neurons and for 4 groups x 100,000 neurons. Dense steps go
# through ND4J (ExactNeuron.forward on the step's DOUBLE array); ND4J 1.0.0-M2.1 takes its
# thread count from OMP_NUM_THREADS when the process starts (else the cores per socket), and the
# harness prints what ND4J took. Prints every run and, per group size and setting, the median of
# all the job's and all the baseline's runs, and the medians over the runs of the probe's per-run
# median and p90 call times while the job and while the baseline ran.
#
#   bash flink-job/bench/nd4j-threads.sh               # from the repository root
#   ROUNDS=2 RUNS=3 FRAMES=200000 LARGE_FRAMES=2000 bash flink-job/bench/nd4j-threads.sh
#
# Builds with mvn package (nothing is installed); inputs go to flink-job/target/bench (1.4 GB
# and 1.3 GB), logs to flink-job/target/bench/logs/nd4j-*.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/flink-job/target/bench
mkdir -p "$work/logs"
rounds=${ROUNDS:-2}
runs=${RUNS:-3}
# each with a probe of its group size (ForwardProbe: ExactNeuron.forward timed on a thread of its
# own every 2 ms while the jobs run)
variants=(
  "--groups 16 --neurons 1000 --frames ${FRAMES:-200000} --probe-neurons 1000"
  "--groups 4 --neurons 100000 --frames ${LARGE_FRAMES:-2000} --probe-neurons 100000"
)

# shellcheck source=flink-job/bench/classpath.sh
source "$root/flink-job/bench/classpath.sh"
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(java -version 2>&1 | head -1)"

for variant in "${variants[@]}"; do
  name=$(tr -d ' -' <<< "$variant")
  for round in $(seq 1 "$rounds"); do
    for threads in 1 2; do
      log=$work/logs/nd4j-$name-omp$threads-round$round.log
      echo "== OMP_NUM_THREADS=$threads, round $round: $variant; load before: $(uptime)"
      if ! OMP_NUM_THREADS=$threads java -Xmx4g -cp "$cp" io.spikestream.job.bench.JobBenchmark \
          --work "$work" --scenario dense $variant --runs "$runs" > "$log" 2>&1; then
        echo "FAILED (last lines of $log:)"
        tail -20 "$log"
        exit 1
      fi
      grep -E '^(==|run|warm-up|probe|RESULT)' "$log" | sed "s/^/omp=$threads /"
    done
  done
  echo "== load after: $(uptime)"
  for threads in 1 2; do
    cat "$work"/logs/nd4j-"$name"-omp"$threads"-round*.log | awk -v t="$threads" -v v="$variant" '
      function median(a, n,   i, j, x) {
        for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      }
      /^run [0-9]+ baseline/ { gsub(",", "", $6); b[++nb] = $6; last = "b"; next }
      /^run [0-9]+ spikestream/ { gsub(",", "", $6); j[++nj] = $6; last = "j"; next }
      /^probe while the baseline ran/ && last == "b" { pbm[++npb] = $9; pbp[npb] = $12 }
      /^probe while the job ran/ && last == "j" { pjm[++npj] = $9; pjp[npj] = $12 }
      { last = "" }
      END {
        printf "RESULT nd4j threads | %s | OMP_NUM_THREADS=%d | %d runs | job median %.0f frames/s | baseline median %.0f frames/s", v, t, nj, median(j, nj), median(b, nb)
        if (npj > 0) printf " | probe while the job ran: median %.1f us, p90 %.1f us | while the baseline ran: median %.1f us, p90 %.1f us", median(pjm, npj), median(pjp, npj), median(pbm, npb), median(pbp, npb)
        printf "\n"
      }'
  done
done
