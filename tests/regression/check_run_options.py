#!/usr/bin/python3
"""cnnrt-run's --atol-scale and --topk on doctored references.

    check_run_options.py CNNRT_RUN MODEL_DIR

Copies the model folder (the exported LeNet) into a temporary folder, changes
its batch-3 reference (test_data_set_1/output_0.pb) and checks what cnnrt-run
says: an error just inside S x max|reference| passes --atol-scale S and one
just outside fails it; swapping a row's two largest values fails --topk with
both class lists printed, even under a tolerance loose enough to accept the
values. Exit 0 if every verdict is as expected.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnx.numpy_helper


def read(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return onnx.numpy_helper.to_array(t), t.name


def write(path, array, name):
    with open(path, "wb") as f:
        f.write(onnx.numpy_helper.from_array(array, name).SerializeToString())


def run(cnnrt_run, args):
    p = subprocess.run([cnnrt_run] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def main():
    cnnrt_run, source = sys.argv[1], sys.argv[2]
    failures = []

    def expect(what, args, rc, pattern):
        got_rc, out = run(cnnrt_run, args)
        ok = got_rc == rc and re.search(pattern, out, re.M)
        print(f"{'ok  ' if ok else 'FAIL'} {what}: exit {got_rc}\n{out}")
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "model")
        shutil.copytree(source, folder)
        ref_path = os.path.join(folder, "test_data_set_1", "output_0.pb")
        ref, name = read(ref_path)
        scale = 1e-3
        bound = scale * np.abs(ref).max()
        # cnnrt's own error on this model is far below 1e-3 x max|ref|.
        for factor, rc, verdict in ((0.5, 0, r"^PASS model/test_data_set_1 "),
                                    (2.0, 1, r"^FAIL model/test_data_set_1 .*beyond tolerance")):
            doctored = ref.copy()
            doctored[1, 4] += factor * bound
            write(ref_path, doctored, name)
            expect(f"reference off by {factor} x the bound, --atol-scale {scale}",
                   ["--atol-scale", str(scale), folder], rc, verdict)

        doctored = ref.copy()
        row = doctored[2]
        first, second = np.argsort(-row, kind="stable")[:2]
        row[first], row[second] = row[second], row[first]
        write(ref_path, doctored, name)
        want = rf"top-5 of row 2 is \[{first},{second},[0-9,]*\] but the reference has \[{second},{first},"
        expect("two largest swapped, --topk 5", ["--atol-scale", "1", "--topk", "5", folder], 1,
               r"^FAIL model/test_data_set_1 .*top5 differ.*" + want)
        expect("two largest swapped, no --topk", ["--atol-scale", "1", folder], 0, r"^PASS model/test_data_set_1 ")
        expect("--atol-scale with --atol is refused", ["--atol-scale", "1", "--atol", "1", folder], 2,
               r"excludes|Excludes")

    if failures:
        print("failed: " + "; ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
