"""Exports one model of the regression suite (see export.py): ONNX files at
each opset, PyTorch's outputs on seeded inputs, and what was done (meta.json)."""
import json
import os
import shutil
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torchvision

import zoo

BATCHES = (1, 3)  # test_data_set_0 and test_data_set_1
# test_data_set_2: a batch large enough that the default batch mode runs
# most models' first layers image by image and the rest as one batch (at 3
# a layer's batched working set still fits in the cache). Drawn from seeds
# of its own so the first two sets stay what they were.
SPLIT_BATCH = 8
SPLIT_BATCH_SALT = 1000
# Inputs are redrawn until, in every row, the k + 1 largest outputs are at
# least this far apart (relative to max|output|): ten times the suite's
# default tolerance, so an error within tolerance cannot reorder the top k
# and a top-k mismatch always means a real error.
MIN_TOPK_MARGIN = 1e-3
MAX_INPUT_DRAWS = 50


def checked_k(out):
    """How many of each image's largest outputs the suite compares in order
    (cnnrt-run --topk; run_model.sh reads it from meta.json): the top 5
    classes of a classifier ([N, classes]); the top 1 of a dense prediction
    (a score per class and pixel), whose next largest values are the pixels
    beside the peak, apart only by the upsampling's small steps."""
    return 5 if out.ndim == 2 else 1


def topk_margin(out):
    """Smallest gap between neighbours among each row's checked_k + 1
    largest values, divided by max|out|."""
    k = checked_k(out)
    rows = out.reshape(out.shape[0], -1)
    top = -np.partition(-rows, k, axis=1)[:, :k + 1]
    top = -np.sort(-top, axis=1)
    scale = float(np.abs(rows).max())
    return float((top[:, :-1] - top[:, 1:]).min()) / scale if scale > 0 else 0.0


def draw_inputs(model, name, chw):
    """Seeded standard-normal images for each batch size, with their outputs;
    redrawn (with the next seed) until the top-k order is well defined."""
    for draw in range(MAX_INPUT_DRAWS):
        gen = torch.Generator().manual_seed(zoo.seed_of(name, salt=1 + draw))
        sets = []
        for n in BATCHES:
            x = torch.randn(n, *chw, generator=gen)
            with torch.no_grad():
                y = model(x)
            sets.append((x.numpy(), y.numpy()))
        margin = min(topk_margin(y) for _, y in sets)
        if margin >= MIN_TOPK_MARGIN:
            return sets, margin, draw
    raise RuntimeError(f"{name}: no inputs with a top-k margin of {MIN_TOPK_MARGIN} in {MAX_INPUT_DRAWS} draws")


def draw_split_batch(model, name, chw):
    """The batch-of-8 set, redrawn like draw_inputs' until its top-k order
    is well defined: ((input, output), margin, draw)."""
    for draw in range(MAX_INPUT_DRAWS):
        gen = torch.Generator().manual_seed(zoo.seed_of(name, salt=SPLIT_BATCH_SALT + draw))
        x = torch.randn(SPLIT_BATCH, *chw, generator=gen)
        with torch.no_grad():
            y = model(x).numpy()
        margin = topk_margin(y)
        if margin >= MIN_TOPK_MARGIN:
            return (x.numpy(), y), margin, draw
    raise RuntimeError(f"{name}: no batch of {SPLIT_BATCH} with a top-k margin of {MIN_TOPK_MARGIN} "
                       f"in {MAX_INPUT_DRAWS} draws")


def write_tensor(path, array, name):
    with open(path, "wb") as f:
        f.write(onnx.numpy_helper.from_array(np.ascontiguousarray(array), name).SerializeToString())


def export_one(model, name, opset, sets, folder):
    """One model at one opset into `folder`; returns its op counts."""
    path = os.path.join(folder, "model.onnx")
    torch.onnx.export(
        model, torch.from_numpy(sets[0][0]), path,
        opset_version=opset, input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        do_constant_folding=True)
    proto = onnx.load(path)
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


def export_model(name, chw, folders, stamp):
    """Exports `name` into folders {opset: folder}, each written as
    folder.tmp and renamed when complete (with its stamp)."""
    start = time.monotonic()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    model = zoo.build(name, chw)
    params = sum(p.numel() for p in model.parameters())
    sets, margin, draw = draw_inputs(model, name, chw)
    split_set, split_margin, split_draw = draw_split_batch(model, name, chw)
    sets.append(split_set)
    topk = checked_k(split_set[1])
    prepare_seconds = round(time.monotonic() - start, 2)
    for opset, folder in folders.items():
        t0 = time.monotonic()
        tmp = folder + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        ops = export_one(model, name, opset, sets, tmp)
        meta = {
            "model": name, "opset": opset, "input_chw": list(chw), "batches": list(BATCHES) + [SPLIT_BATCH],
            "parameters": params, "model_bytes": os.path.getsize(os.path.join(tmp, "model.onnx")),
            "ops": dict(sorted(ops.items())), "topk": topk, "topk_margin": min(margin, split_margin),
            "input_draw": draw, "split_batch_draw": split_draw,
            "prepare_seconds": prepare_seconds, "export_seconds": round(time.monotonic() - t0, 2),
            "torch": torch.__version__, "torchvision": torchvision.__version__, "onnx": onnx.__version__,
        }
        with open(os.path.join(tmp, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
        with open(os.path.join(tmp, "stamp"), "w") as f:
            f.write(stamp + "\n")
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(tmp, folder)
        print(f"{name}-op{opset}: {meta['model_bytes'] / 1e6:.1f} MB, ops {' '.join(sorted(ops))}", flush=True)
    print(f"{name}: exported in {time.monotonic() - start:.1f} s (top-{topk} margin {margin:.2g})", flush=True)
