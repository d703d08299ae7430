#!/usr/bin/env python3
"""Side-by-side reference for bench/forward.sh: one neuron step on PyTorch.

    /usr/bin/python3 pytorch_reference.py exact|lif|alif SIZE...

exact  the ExactNeuron step as a PyTorch module does it: a registered spike
       buffer set to (inputs > 0), the same tensor work as Inferno's ExactNeuron.
lif    Inferno's own LIF (rest -65, reset -70, threshold -50 mV, refractory
alif   2 ms, tau 20 ms, dt 1 ms); ALIF with one adaptation (tau 100 ms,
       increment 1 mV), forward(inputs, adapt=True). Needs an Inferno checkout:
       INFERNO_SRC=/path/to/inferno (the directory holding the inferno/
       package). The two shims of inferno_crosscheck.py apply (einops stand-in,
       Tensor.where with a scalar on PyTorch < 2).

Inputs are float32, batch 1, drawn as 20 (randn - rand) + 10 nA; the group is
stepped 50 times before timing. Prints one line per size:
    model=M size=N neuron_steps_per_s=X us_per_step=Y
Needs PyTorch: `apt-get install -y python3-torch` (Debian's package), then run
with /usr/bin/python3. Threads: TORCH_THREADS (default 2).
"""
import os
import sys
import time

import torch


class ExactStep(torch.nn.Module):
    def __init__(self, n, rest_v=-65.0, thresh_v=-50.0):
        super().__init__()
        self.rest_v, self.thresh_v = rest_v, thresh_v
        self.register_buffer("spike_", torch.zeros(1, n, dtype=torch.bool))

    def forward(self, inputs):
        self.spike_ = (inputs > 0).to(dtype=torch.bool)
        return self.spike_


def inferno_models():
    src = os.environ.get("INFERNO_SRC")
    if not src:
        sys.exit("lif and alif need INFERNO_SRC, an Inferno checkout")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from inferno_crosscheck import install_shims
    install_shims(torch)
    sys.path.insert(0, src)
    from inferno.neural import LIF, ALIF
    return LIF, ALIF


def build(model, n):
    if model == "exact":
        return ExactStep(n), lambda neuron, x: neuron(x)
    LIF, ALIF = inferno_models()
    common = dict(rest_v=-65.0, reset_v=-70.0, refrac_t=2.0, batch_size=1)
    if model == "lif":
        return LIF((n,), 1.0, thresh_v=-50.0, time_constant=20.0, **common), \
            lambda neuron, x: neuron(x)
    return ALIF((n,), 1.0, thresh_eq_v=-50.0, tc_membrane=20.0, tc_adaptation=100.0,
                spike_increment=1.0, **common), lambda neuron, x: neuron(x, adapt=True)


def measure(model, n, seconds=1.5):
    neuron, step = build(model, n)
    x = 20 * (torch.randn(1, n) - torch.rand(1, n)) + 10
    with torch.no_grad():
        for _ in range(50):
            step(neuron, x)
        count, start = 0, time.perf_counter()
        while True:
            for _ in range(5):
                step(neuron, x)
            count += 5
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return n * count / elapsed, elapsed / count * 1e6


def main():
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "2")))
    args = sys.argv[1:]
    model = args.pop(0) if args and not args[0].isdigit() else "exact"
    sizes = [int(a) for a in args] or [100, 10_000, 1_000_000, 10_000_000]
    for n in sizes:
        rate, us = measure(model, n)
        print(f"model={model} size={n} neuron_steps_per_s={rate:.3e} us_per_step={us:.2f}",
              flush=True)


if __name__ == "__main__":
    main()
