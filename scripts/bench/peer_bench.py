#!/usr/bin/env python3
"""Times one model on a peer runtime the way cnnrt-bench times cnnrt.

    peer_bench.py {onnxruntime|openvino} MODEL [--batch N] [--threads N]
                  [--warmup N] [--seconds S] [--iterations N]

Prints one JSON object with the same fields as `cnnrt-bench --json`
(load_ms, first_run_ms, p50_ms, ..., peak_rss_mib). Run it in its own
process per measurement: peak RSS is the process's high-water mark.
peak_rss_mib excludes the interpreter: the RSS of Python with numpy loaded,
measured before the peer is imported, is subtracted (peak_rss_raw_mib keeps
the raw figure).
"""
import argparse
import json
import resource
import sys
import time

import numpy as np


def rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def make_inputs(inputs, batch):
    rng = np.random.default_rng(1)
    feeds = {}
    for name, shape in inputs:
        dims = [d if isinstance(d, int) and d > 0 else (batch if i == 0 else 1) for i, d in enumerate(shape)]
        feeds[name] = rng.random(dims, dtype=np.float32)
    return feeds


def load_onnxruntime(path, threads):
    ort = sys.modules["onnxruntime"]
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    inputs = [(i.name, i.shape) for i in sess.get_inputs()]
    return (lambda feeds: sess.run(None, feeds)), inputs, ort.__version__


def load_openvino(path, threads):
    ov = sys.modules["openvino"]
    core = ov.Core()
    model = core.read_model(path)
    config = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32"}
    if threads > 0:
        config["INFERENCE_NUM_THREADS"] = threads
    inputs = [(i.get_any_name(), [d.get_length() if d.is_static else -1 for d in i.get_partial_shape()])
              for i in model.inputs]
    compiled = core.compile_model(model, "CPU", config)
    request = compiled.create_infer_request()
    return (lambda feeds: request.infer(feeds)), inputs, ov.__version__


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("peer", choices=["onnxruntime", "openvino"])
    ap.add_argument("model")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--iterations", type=int, default=0)
    a = ap.parse_args()

    baseline = rss_mib()
    __import__(a.peer)  # import outside the load time, inside the RSS
    t0 = time.perf_counter()
    run, inputs, version = (load_onnxruntime if a.peer == "onnxruntime" else load_openvino)(a.model, a.threads)
    feeds = make_inputs(inputs, a.batch)
    load_ms = (time.perf_counter() - t0) * 1e3
    t0 = time.perf_counter()
    run(feeds)
    first_ms = (time.perf_counter() - t0) * 1e3
    for _ in range(a.warmup):
        run(feeds)
    lat = []
    start = time.perf_counter()
    while (len(lat) < a.iterations) if a.iterations else (time.perf_counter() - start < a.seconds or len(lat) < 3):
        t0 = time.perf_counter()
        run(feeds)
        lat.append((time.perf_counter() - t0) * 1e3)
    lat = np.array(lat)
    peak = rss_mib()
    print(json.dumps({
        "peer": a.peer, "version": version, "model": a.model, "batch": a.batch, "threads": a.threads,
        "load_ms": load_ms, "first_run_ms": first_ms, "iterations": int(lat.size),
        "p50_ms": float(np.percentile(lat, 50)), "p90_ms": float(np.percentile(lat, 90)),
        "p99_ms": float(np.percentile(lat, 99)), "min_ms": float(lat.min()), "mean_ms": float(lat.mean()),
        "throughput_ips": 1000.0 * a.batch / float(lat.mean()),
        "peak_rss_mib": peak - baseline, "peak_rss_raw_mib": peak,
    }))


if __name__ == "__main__":
    sys.exit(main())
