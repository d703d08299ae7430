#!/usr/bin/env bash
# Side-by-side benchmark of one dense neuron step, in one run, for groups of 1e2..1e7 neurons:
# Spikestream (JMH) against the PyTorch reference and a C loop of the same step (the memory
# yardstick), for ExactNeuron, LIF and ALIF (batch 1; ALIF with one adaptation).
#
#   bash neural-core/bench/forward.sh                                  # from the repository root
#   INFERNO_SRC=/path/to/inferno bash neural-core/bench/forward.sh     # adds LIF and ALIF rows
#
# Needs: PyTorch for /usr/bin/python3 (apt-get install -y python3-torch), gcc with OpenMP, and for
# the LIF/ALIF rows an Inferno checkout (git clone https://github.com/mdominijanni/inferno; the
# directory that holds the inferno/ package) in INFERNO_SRC. Everything else is in this folder:
# pytorch_reference.py (the ExactNeuron step as a module, Inferno's own LIF and ALIF) and
# memory_limit.c (each step as a plain C loop over float32 arrays, 1 and 2 OpenMP threads).
# "memory bandwidth" is the C stream loop (the LIF step's 21 bytes per neuron, one add or compare
# per array) over 1e8 neurons (2.1 GB, far past every cache) with 2 threads; each row's bytes are what the step must read and write once (ExactNeuron 5 B/neuron,
# LIF 21, ALIF 29). Prints a markdown table; raw results stay in neural-core/target/bench/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$root/neural-core/bench
out=$root/neural-core/target/bench
sizes="100 10000 1000000 10000000"
mkdir -p "$out"

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB, $(date -u '+%Y-%m-%d %H:%M UTC')" >&2

echo "== Spikestream (JMH, 1 fork, 3x1 s warm-up, 5x1 s measurement)" >&2
(cd "$root" && mvn -B -q -Pbench -pl neural-core -am verify \
  -Djmh.args="ForwardBenchmark.forward$ -rf json -rff $out/jmh.json" >&2)

echo "== PyTorch reference (TORCH_THREADS=${TORCH_THREADS:-2})" >&2
: > "$out/pytorch.txt"
/usr/bin/python3 "$bench/pytorch_reference.py" exact $sizes | tee -a "$out/pytorch.txt" >&2
if [[ -n "${INFERNO_SRC:-}" ]]; then
  for model in lif alif; do
    /usr/bin/python3 "$bench/pytorch_reference.py" $model $sizes | tee -a "$out/pytorch.txt" >&2
  done
else
  echo "(INFERNO_SRC not set: no Inferno LIF/ALIF rows)" >&2
fi

echo "== C loops (memory_limit.c)" >&2
gcc -O3 -march=native -fopenmp "$bench/memory_limit.c" -o "$out/memory_limit"
: > "$out/c.txt"
for threads in 1 2; do
  for kernel in exact lif alif; do
    OMP_NUM_THREADS=$threads "$out/memory_limit" $kernel $sizes | sed "s/^/threads=$threads /" \
      | tee -a "$out/c.txt" >&2
  done
done
OMP_NUM_THREADS=2 "$out/memory_limit" stream 100000000 | sed 's/^/threads=2 dram /' \
  | tee -a "$out/c.txt" >&2

python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
ours = {}
for r in json.load(open(f"{out}/jmh.json")):
    p = r["params"]
    model = p.get("model", "ExactNeuron")
    threads = int(p.get("threads", "1"))
    ours[(model, int(p["size"]), threads)] = r["primaryMetric"]["score"] * int(p["size"])
torch = {}
for m in re.finditer(r"model=(\w+) size=(\d+) neuron_steps_per_s=([0-9.e+]+)",
                     open(f"{out}/pytorch.txt").read()):
    torch[({"exact": "ExactNeuron", "lif": "LIF", "alif": "ALIF"}[m.group(1)], int(m.group(2)))] = float(m.group(3))
c, dram = {}, None
for m in re.finditer(r"threads=(\d) (dram )?kernel=(\w+) size=(\d+) neuron_steps_per_s=([0-9.e+]+) "
                     r"bytes_per_s=([0-9.e+]+)", open(f"{out}/c.txt").read()):
    if m.group(2):
        dram = float(m.group(6))
        continue
    c[({"exact": "ExactNeuron", "lif": "LIF", "alif": "ALIF"}[m.group(3)], int(m.group(4)),
       int(m.group(1)))] = float(m.group(5))
nbytes = {"ExactNeuron": 5, "LIF": 21, "ALIF": 29}
print(f"memory bandwidth (C stream loop, LIF's traffic, 1e8 neurons, 2 threads): {dram:.3g} B/s")
print()
print("| model | neurons | Spikestream 1 thread | 2 threads | PyTorch reference | best / reference "
      "| C loop 1 / 2 threads | Spikestream bytes/s, % of bandwidth |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for model in ["ExactNeuron", "LIF", "ALIF"]:
    for n in sorted({k[1] for k in ours if k[0] == model}):
        one, two = ours.get((model, n, 1)), ours.get((model, n, 2))
        best = max(v for v in (one, two) if v)
        ref = torch.get((model, n))
        moved = best * nbytes[model]
        print(f"| {model} | {n:.0e} | {one:.2e} | {f'{two:.2e}' if two else '-'} | "
              f"{f'{ref:.2e}' if ref else '-'} | {f'{best / ref:.1f}x' if ref else '-'} | "
              f"{c.get((model, n, 1), 0):.2e} / {c.get((model, n, 2), 0):.2e} | "
              f"{moved:.2e}, {100 * moved / dram:.0f}% |")
PY
