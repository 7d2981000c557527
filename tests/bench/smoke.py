#!/usr/bin/env python3
"""Benchmark smoke tests: the tools run and report what they document.

    smoke.py cnnrt-bench BENCH MODEL
    smoke.py compare PYTHON COMPARE_PY BUILD_DIR MODEL

No timing is asserted (shared machines are noisy); only that every field is
there, consistent and plausible.
"""
import json
import math
import subprocess
import sys


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def run(cmd):
    print("$", " ".join(cmd), flush=True)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    except OSError as e:
        fail(f"cannot run {cmd[0]}: {e} (scripts/install-deps.sh --test installs the benchmark peers)")
    if p.returncode != 0:
        fail(f"exit code {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p.stdout


def check_bench_json(r, batch, profiled):
    for key in ("load_ms", "first_run_ms", "p50_ms", "p90_ms", "p99_ms", "min_ms", "mean_ms",
                "throughput_ips", "peak_rss_mib", "arena_bytes", "arena_lower_bound_bytes") + \
            (("model_gflop",) if profiled else ()):
        if key not in r:
            fail(f"cnnrt-bench --json lacks '{key}': {sorted(r)}")
        if not (isinstance(r[key], (int, float)) and math.isfinite(r[key]) and r[key] >= 0):
            fail(f"'{key}' is {r[key]!r}")
    if r["batch"] != batch:
        fail(f"batch {r['batch']}, asked {batch}")
    if not r["min_ms"] <= r["p50_ms"] <= r["p90_ms"] <= r["p99_ms"]:
        fail(f"percentiles out of order: {r}")
    if not r["arena_lower_bound_bytes"] <= r["arena_bytes"]:
        fail("arena smaller than its lower bound")
    if r["peak_rss_mib"] <= 0:
        fail("peak_rss_mib must be positive")
    if profiled:
        if r["model_gflop"] <= 0:
            fail("model_gflop must be positive")
        steps = r.get("profile")
        if not steps:
            fail("--profile gave no per-step table")
        for s in steps:
            for key in ("node", "op", "impl", "shapes", "ms", "share"):
                if key not in s:
                    fail(f"profile step lacks '{key}': {s}")
        if abs(sum(s["share"] for s in steps) - 1.0) > 1e-3:
            fail("profile shares do not add up to 1")
        if not any(s["op"] == "Conv" and s["impl"] for s in steps):
            fail("no Conv step with its implementation in the profile")


def smoke_bench(bench, model):
    for batch, extra in ((1, []), (3, ["--profile"]), (2, ["--direct", "--threads", "1"])):
        out = run([bench, model, "--json", "--iterations", "3", "--warmup", "1", "--batch", str(batch)] + extra)
        check_bench_json(json.loads(out), batch, "--profile" in extra)
    text = run([bench, model, "--iterations", "3", "--warmup", "1", "--profile"])
    for word in ("p50", "GFLOP/s", "arena"):
        if word not in text:
            fail(f"the text report lacks '{word}':\n{text}")


def smoke_compare(python, compare, build, model):
    out = run([python, compare, model, "--batch", "1", "--threads", "1", "--rounds", "1",
               "--seconds", "0.2", "--build", build, "--precision", "fp32", "bf16"])
    rows = [l for l in out.splitlines() if l.startswith("| ") and "fashion_mnist" in l]
    if len(rows) != 2:
        fail(f"expected a table row for the model in each precision:\n{out}")
    for row, precision in zip(rows, ("fp32", "bf16")):
        if "failed" in row:
            fail(f"a runtime failed:\n{out}")
        cells = [c.strip() for c in row.strip("|").split("|")]
        if cells[3] != precision:
            fail(f"expected precision {precision} in {row}")
        ratios = cells[8:10]  # cnnrt / onnxruntime, cnnrt / openvino
        for r in ratios:
            if not (float(r) > 0):
                fail(f"ratio {r!r} in {row}")
    print(out)


def main():
    what = sys.argv[1]
    if what == "cnnrt-bench":
        smoke_bench(*sys.argv[2:])
    elif what == "compare":
        smoke_compare(*sys.argv[2:])
    else:
        fail(f"unknown smoke test {what}")
    print("PASS")


if __name__ == "__main__":
    main()
