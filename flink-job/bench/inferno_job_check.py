#!/usr/bin/env python3
"""The job through its CLI against Inferno itself: LIF and ALIF groups, bit for bit.

Writes a groups file of random LIF and ALIF groups (batches, several adaptations,
refractory periods including 0, negative resistances, steps of 0.25 to 2 ms, t0
not 0) and a JSON-lines input of random events for them (sparse and dense, 1 to 5
per active step, idle gaps of 0 to 2000 steps), runs the job on it as users do
(java -jar spikestream-job.jar --emit-voltage), and steps Inferno's own LIF / ALIF
(forward with refrac_lock, ALIF with adapt=True) over every step of event time:
each step's input is its events' currents summed in float64 in arrival order, as
the job documents, zero in steps without events. Then every step must match:

 * a step that received events has exactly one spike record, whose spikes are
   the flat indices where Inferno's forward returned true and whose voltages
   equal Inferno's bit for bit;
 * a step without events has a record exactly when Inferno spiked in it (an
   ALIF whose threshold falls faster than its voltage), with the same spikes
   and voltages;
 * no record lies outside the steps stepped here (up to 300 steps past the
   group's last record or event, none of which may spike).

    mvn -B -q -pl neural-core,flink-job -am package -DskipTests
    INFERNO_SRC=/path/to/inferno /usr/bin/python3 flink-job/bench/inferno_job_check.py [--seed N]

Shares its PyTorch shims with neural-core/bench/inferno_crosscheck.py. An ALIF
whose adaptation decay PyTorch's float32 exp does not round correctly is
redrawn (Spikestream uses the correctly rounded value; that script says why).
Exit status 0 when every group matches, 1 otherwise.
"""
import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "neural-core" / "bench"))
from inferno_crosscheck import bits, install_shims  # noqa: E402

TAIL = 300


def correctly_rounded(torch, dt, taus):
    x = -dt / torch.tensor(taus)
    got = torch.exp(x).numpy()
    return all(np.float32(math.exp(float(v))).view(np.int32) == g.view(np.int32)
               for v, g in zip(x.numpy(), got))


def random_group(rng, torch, gid):
    model = rng.choice(["lif", "alif"])
    shape = rng.choice([[1], [3], [7], [2, 3], [4, 5]])
    dt = rng.choice([1.0, 0.5, 0.25, 2.0])
    rest = round(rng.uniform(-70, -55), 3)
    thresh = round(rest + rng.uniform(3, 20), 3)
    group = {
        "id": gid,
        "model": model,
        "shape": shape,
        "step_time": dt,
        "t0": rng.choice([0.0, 5.0, 0.375]),
        "rest_v": rest,
        "reset_v": round(rest - rng.uniform(0, 10), 3),
        "refrac_t": rng.choice([0.0, dt, 2 * dt, round(rng.uniform(0.1, 5), 3)]),
        "resistance": rng.choice([1.0, round(rng.uniform(0.5, 3), 3), -1.0]),
        "batch_size": rng.choice([1, 1, 2, 3]),
    }
    tau = round(rng.uniform(2, 60), 3)
    if model == "lif":
        group["thresh_v"] = thresh
        group["time_constant"] = tau
        return group
    group["thresh_eq_v"] = thresh
    k = rng.choice([1, 1, 2, 3])
    # a third of the ALIFs in the regime where a neuron spikes without input: a slow membrane and
    # a fast, large adaptation, whose threshold falls below a driven voltage in the first idle
    # steps (Inferno fires so with tc_membrane 100, tc_adaptation 2, increment 10)
    fires_idle = rng.random() < 1 / 3
    group["tc_membrane"] = round(rng.uniform(80, 150), 3) if fires_idle else tau
    while True:
        taus = [round(rng.uniform(1, 200), 3) for _ in range(k)]
        if fires_idle:
            taus[0] = round(rng.uniform(1, 4), 3)
        if correctly_rounded(torch, dt, taus):
            break
    group["tc_adaptation"] = taus
    group["spike_increment"] = [round(rng.uniform(5, 12) if fires_idle else rng.uniform(0, 8), 3)
                                for _ in range(rng.choice([1, k]))]
    return group


def random_events(rng, group, steps):
    n = int(np.prod(group["shape"])) * group["batch_size"]
    r = abs(group["resistance"])
    span = group.get("thresh_v", group.get("thresh_eq_v")) - group["rest_v"]
    # a step moves the voltage by R*I*(1 - decay) from rest: drawn so that about one entry in
    # three alone crosses the threshold
    tau = group.get("time_constant", group.get("tc_membrane"))
    gain = r * (1 - math.exp(-group["step_time"] / tau))
    mean, sd = 0.7 * span / gain, 0.7 * span / gain
    sign = 1.0 if group["resistance"] > 0 else -1.0
    dt, t0 = group["step_time"], group["t0"]
    events, step = [], 0
    while True:
        u = rng.random()
        step += 0 if u < 0.5 else rng.randint(1, 20) if u < 0.8 else rng.randint(100, 2000)
        if step >= steps:
            return events
        for _ in range(rng.randint(1, 5)):
            # inside the step, off its boundaries: the step of t is then unambiguous
            t = t0 + (step + rng.uniform(0.05, 0.95)) * dt
            event = {"group": group["id"], "t": t}
            if rng.random() < 0.15:
                event["currents"] = [sign * rng.gauss(mean, sd) for _ in range(n)]
            else:
                m = rng.randint(1, min(4, n))
                event["index"] = [rng.randrange(n) for _ in range(m)]
                event["current"] = [sign * rng.gauss(mean, sd) for _ in range(m)]
            events.append(event)
        step += 1


def step_of(group, t):
    dt, t0 = group["step_time"], group["t0"]
    k = math.floor((t - t0) / dt)
    while t0 + k * dt > t:
        k -= 1
    while t0 + (k + 1) * dt <= t:
        k += 1
    return k


def build(group, LIF, ALIF):
    common = dict(rest_v=group["rest_v"], reset_v=group["reset_v"],
                  refrac_t=group["refrac_t"], resistance=group["resistance"],
                  batch_size=group["batch_size"])
    shape, dt = tuple(group["shape"]), group["step_time"]
    if group["model"] == "lif":
        return LIF(shape, dt, thresh_v=group["thresh_v"],
                   time_constant=group["time_constant"], **common)
    # fewer increments than time constants: the job repeats the last increment (Inferno's own
    # rule for time constants); Inferno crashes there (float(None)), so it is given them repeated
    taus, increments = list(group["tc_adaptation"]), list(group["spike_increment"])
    increments += increments[-1:] * (len(taus) - len(increments))
    return ALIF(shape, dt, thresh_eq_v=group["thresh_eq_v"], tc_membrane=group["tc_membrane"],
                tc_adaptation=tuple(taus), spike_increment=tuple(increments), **common)


def check_group(group, events, records, torch, LIF, ALIF):
    """Returns (ok, detail, counts)."""
    neuron = build(group, LIF, ALIF)
    batched = tuple(neuron.batchedshape)
    n = int(np.prod(batched))
    inputs = {}
    for event in events:  # in arrival order
        x = inputs.setdefault(step_of(group, event["t"]), np.zeros(n))
        if "currents" in event:
            x += np.asarray(event["currents"])
        if "index" in event:
            for i, c in zip(event["index"], event["current"]):
                x[i] += c
    by_step = {}
    for record in records:
        if record["step"] in by_step:
            return False, f"two records of step {record['step']}", {}
        by_step[record["step"]] = record
    last = max(list(inputs) + list(by_step))
    counts = {"steps": 0, "records": 0, "spikes": 0, "idle_records": 0}
    adaptive = group["model"] == "alif"
    zero = np.zeros(n)
    for step in range(last + TAIL + 1):
        x = torch.from_numpy(inputs.get(step, zero).astype(np.float32).reshape(batched))
        out = (neuron(x, adapt=True) if adaptive else neuron(x)).numpy().reshape(-1)
        spiked = np.flatnonzero(out).tolist()
        counts["steps"] += 1
        record = by_step.get(step)
        if step not in inputs and not spiked:
            if record is not None:
                return False, f"record of step {step}, which had no events and no spike", counts
            continue
        if record is None:
            return False, (f"no record of step {step} (events: {step in inputs}, "
                           f"Inferno spikes: {spiked})"), counts
        if record["spikes"] != spiked:
            return False, (f"step {step}: spikes {record['spikes']}, Inferno {spiked}"), counts
        ours = np.asarray([np.float32(float(v)) for v in record["voltage"]], dtype=np.float32)
        ref = neuron.voltage.detach().numpy().reshape(-1)
        if not np.array_equal(bits(ours), bits(ref)):
            i = int(np.argmax(bits(ours) != bits(ref)))
            return False, (f"step {step}: voltage of flat {i} {ours[i]!r}, "
                           f"Inferno {ref[i]!r}"), counts
        expected_t = group["t0"] + step * group["step_time"]
        if record["t"] != expected_t:
            return False, f"step {step}: t {record['t']}, not {expected_t}", counts
        counts["records"] += 1
        counts["spikes"] += len(spiked)
        counts["idle_records"] += step not in inputs
    return True, "", counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inferno", default=os.environ.get("INFERNO_SRC"),
                        help="Inferno checkout (default: $INFERNO_SRC)")
    parser.add_argument("--jar", default=str(ROOT / "flink-job" / "target" / "spikestream-job.jar"))
    parser.add_argument("--work", default=str(ROOT / "flink-job" / "target" / "inferno-job-check"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--groups", type=int, default=16)
    parser.add_argument("--steps", type=int, default=4000, help="steps of event time per group")
    args = parser.parse_args()
    if not args.inferno:
        parser.error("set INFERNO_SRC or --inferno to an Inferno checkout")
    if not Path(args.jar).is_file():
        parser.error(f"{args.jar} not found: build it with mvn package first")
    import torch
    torch.set_num_threads(1)
    install_shims(torch)
    sys.path.insert(0, args.inferno)
    from inferno.neural import LIF, ALIF

    rng = random.Random(args.seed)
    groups = [random_group(rng, torch, f"g{i}") for i in range(args.groups)]
    events = []
    for group in groups:
        events += random_events(rng, group, args.steps)
    events.sort(key=lambda e: e["t"])  # one time order over the groups: nothing late
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / "groups.json").write_text(json.dumps({"groups": groups}, indent=1))
    with open(work / "events.jsonl", "w") as out:
        for event in events:
            out.write(json.dumps(event) + "\n")
    command = ["java", "-jar", args.jar, "--groups", str(work / "groups.json"),
               "--input", str(work / "events.jsonl"), "--output", str(work / "out"),
               "--emit-voltage"]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stdout[-2000:], run.stderr[-2000:], sep="\n")
        print(f"the job exited with {run.returncode}", file=sys.stderr)
        return 1
    records = {group["id"]: [] for group in groups}
    for part in sorted((work / "out" / "spikes").rglob("part-*")):
        for line in part.read_text().splitlines():
            record = json.loads(line)
            records[record["group"]].append(record)
    print(f"seed {args.seed}: {len(groups)} groups, {len(events)} events; PyTorch "
          f"{torch.__version__}; Inferno from {args.inferno}")
    failed = 0
    total = {"steps": 0, "records": 0, "spikes": 0, "idle_records": 0}
    for group in groups:
        mine = [e for e in events if e["group"] == group["id"]]
        ok, detail, counts = check_group(group, mine, records[group["id"]], torch, LIF, ALIF)
        for key in total:
            total[key] += counts.get(key, 0)
        described = (f"{group['id']} {group['model']} shape {group['shape']} batch "
                     f"{group['batch_size']} dt {group['step_time']} refrac_t {group['refrac_t']}"
                     f" R {group['resistance']}")
        if group["model"] == "alif":
            described += f" tc_adaptation {group['tc_adaptation']}"
        print(f"{described}: {'match' if ok else 'MISMATCH ' + detail}  {counts}")
        failed += not ok
    print(f"RESULT seed={args.seed} groups={len(groups)} matched={len(groups) - failed} "
          f"mismatched={failed} steps={total['steps']} records={total['records']} "
          f"spikes={total['spikes']} idle_records={total['idle_records']}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
