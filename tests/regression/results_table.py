#!/usr/bin/python3
"""Runs the PyTorch regression suite and prints its results as Markdown tables.

    tests/regression/results_table.py [--build build] [--update README.md]

Each exported folder (build/regression/<model>-op<N>, made by
models/regression/export.py) goes through tests/regression/run_model.sh, the
same command ctest runs, so the table shows exactly what the tests check. With
--update, the text between the "results:begin" and "results:end" markers of
the given file is replaced; otherwise the tables go to stdout.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
MODELS_DIR = os.path.join(SOURCE, "models", "regression")
OPSETS = (13, 17)

SET_LINE = re.compile(r"^(PASS|FAIL) \S+/test_data_set_(\d+)  max abs (\S+)  max rel (\S+)  abs/max\|ref\| (\S+)"
                      r"(?:  top\d+ (same|differ))?")
LOAD_FAIL = re.compile(r"^FAIL \S+: (.*)$")
MISSING = re.compile(r"unsupported operator '([^']*)'")


def models():
    with open(os.path.join(MODELS_DIR, "models.txt")) as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if fields:
                yield fields[0], fields[4]


def run(cnnrt_run, folder):
    start = time.monotonic()
    proc = subprocess.run([os.path.join(HERE, "run_model.sh"), cnnrt_run, folder,
                           os.path.join(MODELS_DIR, "tolerances.txt")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout, time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(SOURCE, "build"))
    ap.add_argument("--update", help="Markdown file whose results section to replace")
    args = ap.parse_args()
    cnnrt_run = os.path.join(args.build, "bin", "cnnrt-run")
    out_dir = os.path.join(args.build, "regression")

    results = ["| model | opset | batch | max abs err / max\\|ref\\| | top-k equal | result | test time (s) |",
               "|---|---|---|---|---|---|---|"]
    exports = ["| model | suite | parameters | model.onnx (MB) | export (s) | operators (opset 17; opset 13 differs) |",
               "|---|---|---|---|---|---|"]
    passed = failed = 0
    missing = {}
    for name, suite in models():
        metas = {}
        for opset in OPSETS:
            folder = os.path.join(out_dir, f"{name}-op{opset}")
            meta_file = os.path.join(folder, "meta.json")
            if not os.path.exists(meta_file):
                results.append(f"| {name} | {opset} | | | | not exported | |")
                failed += 1
                continue
            with open(meta_file) as f:
                meta = json.load(f)
            metas[opset] = meta
            rc, text, seconds = run(cnnrt_run, folder)
            rows = [SET_LINE.match(line) for line in text.splitlines()]
            rows = [m for m in rows if m]
            if rc == 0:
                passed += 1
            else:
                failed += 1
            if not rows:
                load = [LOAD_FAIL.match(line) for line in text.splitlines()]
                why = next((m.group(1) for m in load if m), "see the test output")
                op = MISSING.search(why)
                if op:
                    missing.setdefault(op.group(1), []).append(f"{name}-op{opset}")
                    why = f"missing operator {op.group(1)}"
                results.append(f"| {name} | {opset} | | | | FAIL: {why} | {seconds:.1f} |")
                continue
            for i, m in enumerate(rows):
                batch = meta["batches"][int(m.group(2))]
                top = {"same": "yes", "differ": "**no**"}.get(m.group(6), "")
                results.append(f"| {name} | {opset} | {batch} | {float(m.group(5)):.2e} | {top} | {m.group(1)} |"
                               f" {f'{seconds:.1f}' if i == 0 else ''} |")
        if metas:
            meta = metas.get(17) or next(iter(metas.values()))
            ops = ", ".join(meta["ops"])
            if 13 in metas and 17 in metas and metas[13]["ops"].keys() != metas[17]["ops"].keys():
                only13 = sorted(set(metas[13]["ops"]) - set(metas[17]["ops"]))
                only17 = sorted(set(metas[17]["ops"]) - set(metas[13]["ops"]))
                ops += f"; opset 13 without {', '.join(only17) or '-'}, with {', '.join(only13) or '-'}"
            export_s = meta.get("prepare_seconds", 0) + sum(m["export_seconds"] for m in metas.values())
            exports.append(f"| {name} | {suite} | {meta['parameters'] / 1e6:.2f} M |"
                           f" {meta['model_bytes'] / 1e6:.1f} | {export_s:.1f} | {ops} |")

    summary = [f"{passed} of {passed + failed} (model, opset) tests pass."]
    if missing:
        summary.append("First missing operator of each failing test: " +
                       "; ".join(f"{op} ({len(v)})" for op, v in sorted(missing.items())) + ".")
    text = "\n".join(summary + [""] + results + [""] + exports) + "\n"
    if not args.update:
        sys.stdout.write(text)
        return
    with open(args.update) as f:
        doc = f.read()
    begin, end = "<!-- results:begin -->\n", "<!-- results:end -->"
    if begin not in doc or end not in doc:
        sys.exit(f"{args.update}: no '{begin.strip()}' ... '{end}' markers")
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(args.update, "w") as f:
        f.write(head + begin + text + end + tail)


if __name__ == "__main__":
    main()
