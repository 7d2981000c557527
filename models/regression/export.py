#!/usr/bin/python3
"""Exports the PyTorch regression models to ONNX with PyTorch's reference outputs.

    /usr/bin/python3 models/regression/export.py OUT_DIR [--models fast|large|all|NAME,...] [--opsets 13,17]

Writes OUT_DIR/<model>-op<N>/ in the ONNX backend test layout, which
`cnnrt-run` checks:

    model.onnx            torch.onnx.export, eval mode, dynamic batch dimension
    test_data_set_0/      input_0.pb (batch 1), output_0.pb (PyTorch's output)
    test_data_set_1/      the same for batch 3
    meta.json             operators, sizes, export time, top-5 margin
    stamp                 hash of what the export depends on

A folder whose stamp matches is not exported again: the hash covers this
script, zoo.py and the model's line in models.txt (and the torch and
torchvision versions), so a rerun costs only the check. Needs Debian's
python3-torch 1.13 and python3-torchvision 0.14 (/usr/bin/python3).
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo  # noqa: E402

BATCHES = (1, 3)  # test_data_set_0 and test_data_set_1
# Inputs are redrawn until, in every row, the six largest outputs are at
# least this far apart (relative to max|output|): ten times the suite's
# default tolerance, so an error within tolerance cannot reorder the top 5
# and a top-5 mismatch always means a real error.
MIN_TOP5_MARGIN = 1e-3
MAX_INPUT_DRAWS = 50


def stamp_of(line):
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for f in ("export.py", "zoo.py"):
        with open(os.path.join(here, f), "rb") as fh:
            h.update(fh.read())
    h.update(line.encode())
    h.update(f"torch {torch.__version__} torchvision {torchvision.__version__}".encode())
    return h.hexdigest()


def up_to_date(folder, stamp):
    try:
        with open(os.path.join(folder, "stamp")) as f:
            return f.read().strip() == stamp
    except OSError:
        return False


def top5_margin(out):
    """Smallest gap between neighbours among each row's six largest values,
    divided by max|out|."""
    rows = out.reshape(out.shape[0], -1)
    top = -np.sort(-rows, axis=1)[:, :6]
    scale = float(np.abs(rows).max())
    return float((top[:, :-1] - top[:, 1:]).min()) / scale if scale > 0 else 0.0


def draw_inputs(model, name, chw):
    """Seeded standard-normal images for each batch size, with their outputs;
    redrawn (with the next seed) until the top-5 order is well defined."""
    for draw in range(MAX_INPUT_DRAWS):
        gen = torch.Generator().manual_seed(zoo.seed_of(name, salt=1 + draw))
        sets = []
        for n in BATCHES:
            x = torch.randn(n, *chw, generator=gen)
            with torch.no_grad():
                y = model(x)
            sets.append((x.numpy(), y.numpy()))
        margin = min(top5_margin(y) for _, y in sets)
        if margin >= MIN_TOP5_MARGIN:
            return sets, margin, draw
    raise RuntimeError(f"{name}: no inputs with a top-5 margin of {MIN_TOP5_MARGIN} in {MAX_INPUT_DRAWS} draws")


def write_tensor(path, array, name):
    with open(path, "wb") as f:
        f.write(onnx.numpy_helper.from_array(np.ascontiguousarray(array), name).SerializeToString())


def export_one(model, name, chw, opset, sets, folder):
    """One model at one opset into `folder`; returns its op counts."""
    torch.onnx.export(
        model, torch.from_numpy(sets[0][0]), os.path.join(folder, "model.onnx"),
        opset_version=opset, input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        do_constant_folding=True)
    proto = onnx.load(os.path.join(folder, "model.onnx"))
    onnx.checker.check_model(proto)
    ops = {}
    for node in proto.graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    dims = [d.dim_param or d.dim_value for d in proto.graph.input[0].type.tensor_type.shape.dim]
    if not isinstance(dims[0], str):
        raise RuntimeError(f"{name} op{opset}: the batch dimension was not exported as dynamic: {dims}")
    if name == "lenet" and set(ops) != zoo.LeNet.OPS:
        raise RuntimeError(f"lenet op{opset}: exported to {sorted(ops)}, expected exactly {sorted(zoo.LeNet.OPS)}")
    for i, (x, y) in enumerate(sets):
        d = os.path.join(folder, f"test_data_set_{i}")
        os.makedirs(d)
        write_tensor(os.path.join(d, "input_0.pb"), x, "input")
        write_tensor(os.path.join(d, "output_0.pb"), y, "output")
    return ops


def export_model(name, chw, line, opsets, out_dir):
    folders = {op: os.path.join(out_dir, f"{name}-op{op}") for op in opsets}
    stamp = stamp_of(line)
    todo = [op for op in opsets if not up_to_date(folders[op], stamp)]
    if not todo:
        print(f"{name}: up to date", flush=True)
        return
    start = time.monotonic()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    model = zoo.build(name, chw)
    params = sum(p.numel() for p in model.parameters())
    sets, margin, draw = draw_inputs(model, name, chw)
    for op in todo:
        t0 = time.monotonic()
        tmp = folders[op] + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        ops = export_one(model, name, chw, op, sets, tmp)
        meta = {
            "model": name, "opset": op, "input_chw": list(chw), "batches": list(BATCHES),
            "parameters": params, "model_bytes": os.path.getsize(os.path.join(tmp, "model.onnx")),
            "ops": dict(sorted(ops.items())), "top5_margin": margin, "input_draw": draw,
            "export_seconds": round(time.monotonic() - t0, 2),
            "torch": torch.__version__, "torchvision": torchvision.__version__,
        }
        with open(os.path.join(tmp, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
        with open(os.path.join(tmp, "stamp"), "w") as f:
            f.write(stamp + "\n")
        shutil.rmtree(folders[op], ignore_errors=True)
        os.rename(tmp, folders[op])
        print(f"{name}-op{op}: {meta['model_bytes'] / 1e6:.1f} MB, ops {' '.join(sorted(ops))}", flush=True)
    print(f"{name}: exported in {time.monotonic() - start:.1f} s (top-5 margin {margin:.2g})", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--models", default="all", help="fast, large, all, or a comma-separated list of names")
    ap.add_argument("--opsets", default="13,17", help="comma-separated opset versions")
    args = ap.parse_args()
    models = zoo.read_models()
    if args.models in ("fast", "large"):
        names = [n for n, (_, suite, _) in models.items() if suite == args.models]
    elif args.models == "all":
        names = list(models)
    else:
        names = args.models.split(",")
        unknown = [n for n in names if n not in models]
        if unknown:
            ap.error(f"unknown models {unknown}; models.txt lists {list(models)}")
    opsets = [int(v) for v in args.opsets.split(",")]
    os.makedirs(args.out_dir, exist_ok=True)
    start = time.monotonic()
    for name in names:
        chw, _, line = models[name]
        export_model(name, chw, line, opsets, args.out_dir)
    print(f"export.py: {len(names)} models checked in {time.monotonic() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
