#!/usr/bin/env python3
"""Cross-check of Spikestream's LIF and ALIF against Inferno itself, bit for bit.

The Java test InfernoCasesTest drives LIF and ALIF groups as the streaming job
does (sparse steps, idle gaps skipped with skipIdle, explicit zero-input steps,
dense steps) and writes every step's dense input, every step's spikes and the
full state at some steps under neural-core/target/inferno-cases/. This script
runs Inferno's own LIF / ALIF (forward with refrac_lock, ALIF with adapt=True
and its default mean over the batch) on the same inputs, step by step, and
compares spikes (what forward returns), voltages, refractory periods and
adaptations bit for bit. Skipped idle steps are stepped one by one here: a
spike in one of them is a mismatch (canSpikeWithoutInput was unsound).

    mvn -B -q -pl neural-core test -Dtest=InfernoCasesTest     # writes the cases
    INFERNO_SRC=/path/to/inferno /usr/bin/python3 neural-core/bench/inferno_crosscheck.py

INFERNO_SRC (or --inferno) is a checkout of https://github.com/mdominijanni/inferno
(the directory holding the inferno/ package). Needs PyTorch (Debian's
python3-torch, 1.13) and numpy. Two compatibility shims, both documented here:
 * Inferno imports einops; LIF and ALIF never call it. If einops is missing, a
   stand-in module whose functions raise is installed, so a call would fail loudly.
 * Inferno targets PyTorch 2, whose Tensor.where(condition, other) takes a
   Python scalar as other; 1.13's does not (torch.where(condition, self, other)
   does, with the same promotion: the scalar rounded to the tensor's float32).
   On PyTorch < 2 the method is routed to torch.where; nothing else changes.
One precondition is checked per case: PyTorch's vectorized float32 exp is 1 ulp
off the correctly rounded value for about one input in ten, and Spikestream
uses the correctly rounded one for ALIF's adaptation decays; a case whose decay
inputs hit such a value is reported and not compared.

Exit status 0 when every compared case matches, 1 otherwise.
"""
import argparse
import math
import os
import sys
import types
from pathlib import Path

import numpy as np


def install_shims(torch):
    try:
        import einops  # noqa: F401
    except ImportError:
        stub = types.ModuleType("einops")

        def _unused(*args, **kwargs):
            raise RuntimeError("einops stand-in called: this path needs the real einops")

        stub.rearrange = stub.repeat = stub.reduce = stub.einsum = _unused
        sys.modules["einops"] = stub
    if int(torch.__version__.split(".")[0]) < 2:
        def where(self, condition, other):
            return torch.where(condition, self, other)

        torch.Tensor.where = where


def read_case(path):
    props = {}
    for line in (path / "case.properties").read_text().splitlines():
        key, _, value = line.partition("=")
        props[key] = value
    return props


def floats(text):
    return tuple(float(v) for v in text.split(","))


def build(props, torch, LIF, ALIF):
    shape = tuple(int(v) for v in props["shape"].split(","))
    common = dict(
        rest_v=float(props["rest_v"]),
        reset_v=float(props["reset_v"]),
        refrac_t=float(props["refrac_t"]),
        resistance=float(props["resistance"]),
        batch_size=int(props["batch_size"]),
    )
    dt = float(props["step_time"])
    if props["model"] == "LIF":
        return LIF(shape, dt, thresh_v=float(props["thresh_v"]),
                   time_constant=float(props["time_constant"]), **common)
    return ALIF(shape, dt, thresh_eq_v=float(props["thresh_v"]),
                tc_membrane=float(props["time_constant"]),
                tc_adaptation=floats(props["tc_adaptation"]),
                spike_increment=floats(props["spike_increment"]), **common)


def exp_is_correctly_rounded(torch, props):
    """Whether torch.exp gives the correctly rounded float32 for this case's adaptation decays."""
    if props["model"] != "ALIF":
        return True, ""
    dt = float(props["step_time"])
    x = -dt / torch.tensor(floats(props["tc_adaptation"]))
    ours = torch.exp(x).numpy()
    for value, got in zip(x.numpy(), ours):
        exact = np.float32(math.exp(float(value)))
        if exact.view(np.int32) != got.view(np.int32):
            return False, f"torch.exp({value!r}) = {got!r}, correctly rounded {exact!r}"
    return True, ""


def bits(array):
    return np.ascontiguousarray(array, dtype=np.float32).view(np.int32)


def check_case(path, torch, LIF, ALIF):
    props = read_case(path)
    ok, why = exp_is_correctly_rounded(torch, props)
    if not ok:
        return "excluded", 0, why
    neuron = build(props, torch, LIF, ALIF)
    batched = neuron.batchedshape
    n = int(np.prod(batched))
    steps = int(props["steps"])
    inputs = np.fromfile(path / "inputs.f32", dtype="<f4").reshape((steps,) + tuple(batched))
    spikes = np.fromfile(path / "spikes.u8", dtype=np.uint8).reshape((steps,) + tuple(batched))
    checkpoints = {int(v) for v in props["checkpoints"].split(",") if v}
    adaptive = props["model"] == "ALIF"
    for t in range(steps):
        x = torch.from_numpy(inputs[t].copy())
        out = neuron(x, adapt=True) if adaptive else neuron(x)
        if not np.array_equal(out.numpy(), spikes[t].astype(bool)):
            diff = np.argwhere(out.numpy() != spikes[t].astype(bool))
            return "mismatch", t, f"spikes differ at step {t}, first at {diff[0].tolist()}"
        if t in checkpoints:
            state = np.fromfile(path / f"state-{t}.f32", dtype="<f4")
            parts = [("voltage", neuron.voltage), ("refrac", neuron.refrac)]
            if adaptive:
                parts.append(("threshold_adaptation", neuron.threshold_adaptation))
            at = 0
            for name, tensor in parts:
                ref = tensor.detach().numpy().reshape(-1)
                ours = state[at:at + ref.size]
                at += ref.size
                if not np.array_equal(bits(ref), bits(ours)):
                    i = int(np.argmax(bits(ref) != bits(ours)))
                    return ("mismatch", t,
                            f"{name} differs at step {t}, flat {i}: Inferno {ref[i]!r}, "
                            f"Spikestream {ours[i]!r}")
            if at != state.size:
                return "mismatch", t, f"state file of step {t} has {state.size} values, not {at}"
    return "match", steps, f"{props['model']} batched shape {tuple(batched)}, " \
        f"{int(spikes.sum())} spikes, {props['skipped_steps']} of {steps} steps skipped idle, " \
        f"{len(checkpoints)} states"


def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="?", default=str(here.parent / "target" / "inferno-cases"))
    parser.add_argument("--inferno", default=os.environ.get("INFERNO_SRC"),
                        help="Inferno checkout (default: $INFERNO_SRC)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("TORCH_THREADS", "2")))
    args = parser.parse_args()
    if not args.inferno:
        parser.error("set INFERNO_SRC or --inferno to an Inferno checkout")
    import torch
    torch.set_num_threads(args.threads)
    install_shims(torch)
    sys.path.insert(0, args.inferno)
    from inferno.neural import LIF, ALIF

    cases = sorted(p for p in Path(args.cases).iterdir() if (p / "case.properties").exists())
    if not cases:
        print(f"no cases in {args.cases}: run InfernoCasesTest first", file=sys.stderr)
        return 1
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, Inferno from "
          f"{args.inferno}")
    counts = {"match": 0, "mismatch": 0, "excluded": 0}
    compared_steps = 0
    for case in cases:
        verdict, steps, detail = check_case(case, torch, LIF, ALIF)
        counts[verdict] += 1
        compared_steps += steps if verdict == "match" else 0
        print(f"{case.name}: {verdict}  {detail}")
    print(f"RESULT cases={len(cases)} matched={counts['match']} mismatched={counts['mismatch']} "
          f"excluded={counts['excluded']} steps_compared={compared_steps}")
    return 0 if counts["mismatch"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
