#!/usr/bin/env python3
"""No step of a regression model runs one of oneDNN's reference kernels.

    check_no_reference_kernels.py CNNRT_BENCH MODEL_DIR...

oneDNN falls back to its reference (`ref:`) implementations for layouts,
broadcasts and types its jit kernels do not take, silently, at 10-100x the
cost: ConvNeXt's LayerNorm broadcasts took 27 ms a step, bf16 pooling over
8-channel blocks 3 ms. cnnrt steers around every such case it knows of;
this keeps it so. Each model runs once at batch 1 on one thread through
cnnrt-bench --profile, in FP32 and, where the CPU has AVX-512 BF16, in bf16
(without it oneDNN has no bf16 kernels to prefer, and the bf16 pass is
reported as not run).
"""
import json
import os
import subprocess
import sys


def cpu_has_bf16():
    try:
        with open("/proc/cpuinfo") as f:
            return "avx512_bf16" in f.read()
    except OSError:
        return False


def reference_steps(bench, model, extra):
    cmd = [bench, model, "--json", "--profile", "--threads", "1", "--iterations", "1", "--warmup", "0"] + extra
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()}")
    steps = json.loads(p.stdout)["profile"]
    return [s for s in steps if s["impl"].startswith("ref")]


def main():
    bench, dirs = sys.argv[1], sys.argv[2:]
    precisions = [("fp32", [])]
    if cpu_has_bf16():
        precisions.append(("bf16", ["--bf16"]))
    else:
        print("this CPU has no AVX-512 BF16: the bf16 pass is not run")
    failures = []
    for d in dirs:
        model = os.path.join(d, "model.onnx")
        for name, extra in precisions:
            found = reference_steps(bench, model, extra)
            for s in found:
                failures.append(f"{os.path.basename(d)} ({name}): node '{s['node']}' ({s['op']}) runs {s['impl']}, "
                                f"{s['ms']:.3f} ms, shapes {s['shapes']}")
            print(f"{os.path.basename(d)} ({name}): {len(found)} reference step(s)")
    if failures:
        print("steps on oneDNN reference kernels:\n  " + "\n  ".join(failures))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
