#!/usr/bin/python3
"""Exports the PyTorch regression models to ONNX with PyTorch's reference outputs.

    /usr/bin/python3 models/regression/export.py OUT_DIR [--models fast|large|all|NAME,...] [--opsets 13,17]

Writes OUT_DIR/<model>-op<N>/ in the ONNX backend test layout, which
`cnnrt-run` checks:

    model.onnx            torch.onnx.export, eval mode, dynamic batch dimension
    test_data_set_0/      input_0.pb (batch 1), output_0.pb (PyTorch's output)
    test_data_set_1/      the same for batch 3
    test_data_set_2/      the same for batch 8 (the first layers image by image)
    meta.json             operators, sizes, export times, top-k checked and its margin
    stamp                 hash of what the export depends on

A folder whose stamp matches is not exported again: the hash covers the three
scripts (export.py, exporter.py, zoo.py), the model's line in models.txt and
the torch, torchvision and onnx versions, so a rerun costs only the check
(torch is not even imported). Needs Debian's python3-torch 1.13,
python3-torchvision 0.14 and python3-onnx (/usr/bin/python3).
"""
import argparse
import hashlib
import importlib.metadata
import os
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ("export.py", "exporter.py", "zoo.py")


def read_models():
    """{name: ((C, H, W), suite, line)} from models.txt, in file order."""
    path = os.path.join(HERE, "models.txt")
    models = {}
    with open(path) as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) != 5 or fields[4] not in ("fast", "large"):
                raise ValueError(f"{path}: bad line {line.strip()!r}")
            models[fields[0]] = (tuple(int(v) for v in fields[1:4]), fields[4], line.strip())
    return models


def stamp_of(line):
    h = hashlib.sha256()
    for f in SCRIPTS:
        with open(os.path.join(HERE, f), "rb") as fh:
            h.update(fh.read())
    h.update(line.encode())
    for package in ("torch", "torchvision", "onnx"):
        h.update(f"{package} {importlib.metadata.version(package)}".encode())
    return h.hexdigest()


def up_to_date(folder, stamp):
    try:
        with open(os.path.join(folder, "stamp")) as f:
            return f.read().strip() == stamp
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--models", default="all", help="fast, large, all, or a comma-separated list of names")
    ap.add_argument("--opsets", default="13,17", help="comma-separated opset versions")
    args = ap.parse_args()
    models = read_models()
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
        stamp = stamp_of(line)
        folders = {op: os.path.join(args.out_dir, f"{name}-op{op}") for op in opsets}
        todo = {op: folder for op, folder in folders.items() if not up_to_date(folder, stamp)}
        if not todo:
            print(f"{name}: up to date", flush=True)
            continue
        import exporter  # torch and friends: only when something is to be exported
        exporter.export_model(name, chw, todo, stamp)
    print(f"export.py: {len(names)} models checked in {time.monotonic() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
