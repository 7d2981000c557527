#!/usr/bin/env python3
"""Compares cnnrt with ONNX Runtime and OpenVINO on the same models, batch
sizes and thread counts, measured in the same run on this machine.

    scripts/bench/compare.py MODEL.onnx... [--batch 1 8] [--threads 1 2]
                             [--rounds 5] [--seconds 2] [--out table.md]
                             [--precision fp32 bf16 int8]

Every measurement is a separate process (cnnrt-bench, or peer_bench.py for
the peers); the runtimes are interleaved within each round, in a rotating
order, so a slow phase of the shared machine hits all of them. For each
configuration the table gives the median over rounds of each runtime's p50
latency (and the best round's), the ratio cnnrt / peer, cnnrt's GFLOP/s and
its share of the FP32 FMA peak (fma_probe.cpp, measured at the start and the
end of this run), peak RSS, and load + first-run time. With --precision bf16
or int8, cnnrt also runs in that precision (cnnrt-bench --bf16 / --int8, int8
calibrated on generated inputs: right for timing, not for accuracy); the
peers always run FP32, so those ratios are against the peers' FP32.

Needs the pyenv python3 with pip packages onnxruntime and openvino (they are
peers for comparison, never a dependency of cnnrt) and a built cnnrt
(build/bin/cnnrt-bench).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEERS = ["onnxruntime", "openvino"]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def build_probe(build_dir):
    exe = os.path.join(build_dir, "fma_probe")
    src = os.path.join(HERE, "fma_probe.cpp")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        subprocess.run(["g++", "-O2", "-march=native", "-pthread", "-o", exe, src], check=True)
    return exe


def probe_peak(exe, threads):
    out = subprocess.run([exe, str(threads), "1"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)["gflops"]


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip() or p.stdout.strip()}")
    return json.loads(p.stdout)


def measure(runtime, model, batch, threads, seconds, bench, precision="fp32"):
    common = ["--batch", str(batch), "--threads", str(threads), "--seconds", str(seconds)]
    if runtime == "cnnrt":
        return run_json([bench, model, "--json"] + common + ([] if precision == "fp32" else [f"--{precision}"]))
    return run_json([sys.executable, os.path.join(HERE, "peer_bench.py"), runtime, model] + common)


def model_gflop(bench, model, batch):
    r = run_json([bench, model, "--json", "--profile", "--iterations", "1", "--warmup", "0", "--batch", str(batch)])
    return r["model_gflop"]


def fmt_ms(values):
    return f"{statistics.median(values):.3f} ({min(values):.3f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+", help="ONNX model files (a dynamic first dimension is the batch)")
    ap.add_argument("--batch", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=5, help="separate processes per runtime and configuration")
    ap.add_argument("--seconds", type=float, default=2.0, help="timed runs per process")
    ap.add_argument("--peers", nargs="*", default=PEERS, choices=PEERS)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", help="also write the markdown table here")
    ap.add_argument("--precision", nargs="+", default=["fp32"], choices=["fp32", "bf16", "int8"],
                    help="cnnrt's precision (a row each); the peers run FP32")
    a = ap.parse_args()

    bench = os.path.join(a.build, "bin", "cnnrt-bench")
    probe = build_probe(a.build)
    peaks = {t: [probe_peak(probe, t)] for t in a.threads}
    # cnnrt once per precision; the peers once per configuration.
    runtimes = [("cnnrt", p) for p in a.precision] + [(p, "fp32") for p in a.peers]
    rows = []
    started = time.time()
    for model in a.models:
        name = os.path.basename(os.path.dirname(model)) if os.path.basename(model) == "model.onnx" else \
            os.path.splitext(os.path.basename(model))[0]
        for batch in a.batch:
            gflop = model_gflop(bench, model, batch)
            for threads in a.threads:
                results = {r: [] for r in runtimes}
                for rnd in range(a.rounds):
                    order = runtimes[rnd % len(runtimes):] + runtimes[:rnd % len(runtimes)]
                    for r in order:
                        try:
                            results[r].append(measure(r[0], model, batch, threads, a.seconds, bench, r[1]))
                        except RuntimeError as e:
                            print(f"warning: {e}", file=sys.stderr)
                for prec in a.precision:
                    res = {"cnnrt": results[("cnnrt", prec)]}
                    res.update({p: results[(p, "fp32")] for p in a.peers})
                    rows.append((name, batch, threads, gflop, prec, res))
                print(f"measured {name} batch {batch} threads {threads}", file=sys.stderr)
    for t in a.threads:
        peaks[t].append(probe_peak(probe, t))

    show_precision = a.precision != ["fp32"]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {cpu_model()}, {os.cpu_count()} cores; "
        f"{a.rounds} rounds of separate processes per runtime, interleaved; p50 latency in ms as "
        f"median over rounds (best round in parentheses). FP32 FMA peak from fma_probe: "
        + ", ".join(f"{statistics.median(v):.0f} GFLOP/s at {t} thread{'s' if t > 1 else ''}"
                    for t, v in peaks.items()) + ".",
        "",
        "| model | batch | threads | " + ("precision | " if show_precision else "") + "GFLOP | cnnrt p50 | " + " | ".join(f"{p} p50" for p in a.peers) + " | "
        + " | ".join(f"cnnrt / {p}" for p in a.peers) + " | cnnrt GFLOP/s (% peak) | peak RSS MiB cnnrt / "
        + " / ".join(a.peers) + " | load + first run ms cnnrt / " + " / ".join(a.peers) + " |",
        "|" + "---|" * (8 + 2 * len(a.peers) + show_precision),
    ]
    for name, batch, threads, gflop, prec, res in rows:
        first = [name, str(batch), str(threads)] + ([prec] if show_precision else []) + [f"{gflop:.2f}"]
        if not res["cnnrt"]:
            lines.append("| " + " | ".join(first) + " | failed |" + " |" * (3 + 3 * len(a.peers)))
            continue
        c50 = [r["p50_ms"] for r in res["cnnrt"]]
        cells = first + [fmt_ms(c50)]
        for p in a.peers:
            cells.append(fmt_ms([r["p50_ms"] for r in res[p]]) if res[p] else "failed")
        for p in a.peers:
            cells.append(f"{statistics.median(c50) / statistics.median([r['p50_ms'] for r in res[p]]):.2f}"
                         if res[p] else "-")
        rate = gflop / (statistics.median(c50) / 1e3)
        cells.append(f"{rate:.0f} ({100 * rate / statistics.median(peaks[threads]):.0f} %)")
        rss = [statistics.median([r["peak_rss_mib"] for r in res[x]]) if res[x] else float("nan")
               for x in ["cnnrt"] + a.peers]
        cells.append(" / ".join(f"{v:.0f}" for v in rss))
        lf = [statistics.median([r["load_ms"] + r["first_run_ms"] for r in res[x]]) if res[x] else float("nan")
              for x in ["cnnrt"] + a.peers]
        cells.append(" / ".join(f"{v:.0f}" for v in lf))
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    last = rows[-1][5] if rows else {}
    lines.append(f"Versions: cnnrt {last['cnnrt'][0]['version'] if last.get('cnnrt') else '?'}; "
                 + "; ".join(f"{p} {last[p][0]['version']}" for p in a.peers if last.get(p))
                 + f". Took {time.time() - started:.0f} s.")
    table = "\n".join(lines)
    print(table)
    if a.out:
        with open(a.out, "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    sys.exit(main())
