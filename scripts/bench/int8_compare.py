#!/usr/bin/env python3
"""Latency of cnnrt int8 against cnnrt FP32 and ONNX Runtime FP32, measured
in the same run on this machine.

    scripts/bench/int8_compare.py MODEL.onnx [--calibrate SET...] [--rounds 5]
                                  [--seconds 3] [--threads 1] [--batch 1]

Every measurement is its own process (cnnrt-bench, or peer_bench.py for ONNX
Runtime), the three interleaved in a rotating order within each round so a
slow phase of the shared machine hits all of them. Prints each one's p50
per round, the median and best over rounds, and the ratios of the medians
(int8 / ORT FP32 is the performance issue's figure; int8 / cnnrt FP32 is what
quantization alone buys). --calibrate is passed to cnnrt-bench (folders with
input_K.pb, e.g. the model's test_data_set_*); without it cnnrt-bench
calibrates on generated inputs, which only affects accuracy, not timing.

Needs the pyenv python3 with pip onnxruntime (a peer for comparison, never
a dependency of cnnrt) and a built cnnrt (build/bin/cnnrt-bench).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def measure(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))
    return json.loads(p.stdout)["p50_ms"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--calibrate", nargs="*", default=[])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    a = ap.parse_args()

    bench = os.path.join(a.build, "bin", "cnnrt-bench")
    common = ["--threads", str(a.threads), "--batch", str(a.batch), "--seconds", str(a.seconds), "--json"]
    runners = {
        "cnnrt fp32": [bench, a.model] + common,
        "cnnrt int8": [bench, a.model, "--int8"] + (["--calibrate"] + a.calibrate if a.calibrate else []) + common,
        "ORT fp32": [sys.executable, os.path.join(HERE, "peer_bench.py"), "onnxruntime", a.model] + common[:-1],
    }
    names = list(runners)
    p50 = {n: [] for n in names}
    for r in range(a.rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for n in order:
            p50[n].append(measure(runners[n]))
        print("round %d: %s" % (r + 1, "  ".join("%s %.2f ms" % (n, p50[n][-1]) for n in names)), flush=True)

    med = {n: statistics.median(v) for n, v in p50.items()}
    print("\n%s, batch %d, %d thread(s), %d rounds of %.0f s" % (os.path.basename(a.model), a.batch, a.threads,
                                                                  a.rounds, a.seconds))
    for n in names:
        print("  %-11s p50 median %7.2f ms  best %7.2f ms" % (n, med[n], min(p50[n])))
    print("  int8 / ORT fp32    %.3f (best rounds %.3f)" % (med["cnnrt int8"] / med["ORT fp32"],
                                                             min(p50["cnnrt int8"]) / min(p50["ORT fp32"])))
    print("  int8 / cnnrt fp32  %.3f" % (med["cnnrt int8"] / med["cnnrt fp32"]))
    print("  cnnrt fp32 / ORT   %.3f" % (med["cnnrt fp32"] / med["ORT fp32"]))


if __name__ == "__main__":
    main()
