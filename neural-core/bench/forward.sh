#!/usr/bin/env bash
# Side-by-side benchmark of the ExactNeuron step: Spikestream (JMH) against the PyTorch reference
# and the machine's memory-bandwidth limit (a C loop), in one run, for groups of 1e2..1e7 neurons.
#
#   bash neural-core/bench/forward.sh            # from the repository root
#
# Needs: PyTorch for /usr/bin/python3 (apt-get install -y python3-torch), gcc with OpenMP.
# The reference scripts live in ../shared/bench beside the repository (SHARED_BENCH overrides).
# Prints a markdown table of neuron-steps/s; the raw JMH results go to target/jmh-forward.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
sizes="100 10000 1000000 10000000"
out=$root/neural-core/target
mkdir -p "$out"

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB" >&2

echo "== Spikestream (JMH, 1 fork, 3x1 s warm-up, 5x1 s measurement)" >&2
(cd "$root" && mvn -B -q -Pbench -pl neural-core -am verify \
  -Djmh.args="ForwardBenchmark.forward$ -rf json -rff $out/jmh-forward.json" >&2)

echo "== PyTorch reference ($shared/pytorch_reference.py)" >&2
/usr/bin/python3 "$shared/pytorch_reference.py" $sizes | tee "$out/pytorch-forward.txt" >&2

echo "== memory-bandwidth limit ($shared/memory_limit.c)" >&2
gcc -O3 -march=native -fopenmp "$shared/memory_limit.c" -o "$out/memory_limit"
OMP_NUM_THREADS=2 "$out/memory_limit" $sizes | tee "$out/memory-limit.txt" >&2

python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
ours = {int(r["params"]["size"]): r["primaryMetric"]["score"] * int(r["params"]["size"])
        for r in json.load(open(f"{out}/jmh-forward.json"))}
def parse(path):
    return {int(m.group(1)): float(m.group(2))
            for m in re.finditer(r"size=(\d+) neuron_steps_per_s=([0-9.e+]+)", open(path).read())}
torch, limit = parse(f"{out}/pytorch-forward.txt"), parse(f"{out}/memory-limit.txt")
print("| neurons | Spikestream (neuron-steps/s) | PyTorch reference | ratio | C memory limit |")
print("|---:|---:|---:|---:|---:|")
for n in sorted(ours):
    print(f"| {n:.0e} | {ours[n]:.2e} | {torch[n]:.2e} | {ours[n] / torch[n]:.1f}x | {limit[n]:.2e} |")
PY
