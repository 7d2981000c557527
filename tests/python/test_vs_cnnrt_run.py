"""The binding and the cnnrt-run tool (both over the same C API) agree:
on a bare model with cnnrt-run's generated inputs, value for value, and on
ONNX backend test folders, verdict for verdict (both match the reference
outputs, or both fail with the same message)."""
import glob
import os
import re
import subprocess
import tempfile
import unittest

import numpy as np

import cnnrt
import models

CNNRT_RUN = os.environ.get("CNNRT_RUN", "")
ONNX_TESTDATA = os.environ.get("CNNRT_ONNX_TESTDATA_DIR", "/usr/share/libonnx-testdata/data")

# Folders covering the core ops, a uint8 model, multi-input Gemm, and one
# (Add) that may or may not be implemented in this build: either way the
# two must agree.
FOLDERS = [
    "node/test_basic_conv_with_padding", "node/test_conv_with_strides_and_asymmetric_padding",
    "node/test_gemm_all_attributes", "node/test_maxpool_2d_uint8", "node/test_maxpool_2d_pads",
    "node/test_softmax_axis_1", "node/test_flatten_axis2", "node/test_relu", "node/test_constant",
    "pytorch-converted/test_Conv2d_groups", "pytorch-converted/test_Linear", "node/test_add",
]


def run_tool(*args):
    done = subprocess.run([CNNRT_RUN, *args], capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def allclose(got, want, rtol=1e-4, atol=1e-5):
    """cnnrt-run's comparison: numpy.allclose per element, NaN equal to NaN."""
    return got.shape == want.shape and np.allclose(got.astype(np.float64), want.astype(np.float64),
                                                   rtol=rtol, atol=atol, equal_nan=True)


def numbered(pattern):
    """Files like input_2.pb before input_10.pb."""
    return sorted(glob.glob(pattern), key=lambda p: int(re.search(r"(\d+)\D*$", p).group(1)))


class AgainstCnnrtRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(CNNRT_RUN, os.X_OK):
            raise RuntimeError(f"CNNRT_RUN must name the cnnrt-run tool (got {CNNRT_RUN!r})")

    def test_bare_model_values_match(self):
        model_bytes, _ = models.small_cnn(seed=11)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "small_cnn.onnx")
            models.save(path, model_bytes)
            rc, out = run_tool("--threads", "1", "--batch", "2", path)
        self.assertEqual(rc, 0, out)
        shape = tuple(int(v) for v in re.search(r"^input  x \[([\d,]+)\]$", out, re.M).group(1).split(","))
        self.assertEqual(shape, (2, 3, 12, 12))
        printed = re.search(r"^output probs \[2,5\]: (.*)$", out, re.M).group(1).replace("...", "").split()
        tool_values = np.array([float(v) for v in printed])
        self.assertEqual(len(tool_values), 8)
        x, _ = models.lcg_floats(int(np.prod(shape)))
        got = cnnrt.Model(model_bytes).session(threads=1).run({"x": x.reshape(shape)})["probs"]
        # cnnrt-run prints %.6g: equal to six significant digits.
        np.testing.assert_allclose(got.reshape(-1)[:8], tool_values, rtol=1e-5, atol=0)

    def test_backend_folders_same_verdict(self):
        compared = passed = 0
        for rel in FOLDERS:
            folder = os.path.join(ONNX_TESTDATA, rel)
            self.assertTrue(os.path.isdir(folder), f"{folder} is missing (install libonnx-testdata)")
            with self.subTest(folder=rel):
                rc, out = run_tool("--threads", "1", folder)
                load_failure = re.search(r"^FAIL " + re.escape(folder) + r": (.*)$", out, re.M)
                if load_failure:
                    with self.assertRaises(cnnrt.Error) as caught:
                        cnnrt.Model(os.path.join(folder, "model.onnx")).session(threads=1)
                    self.assertEqual(str(caught.exception), load_failure.group(1))
                else:
                    self.assertEqual(rc, 0, out)
                    self.assertTrue(self.binding_matches_reference(folder), rel)
                    passed += 1
                compared += 1
        self.assertEqual(compared, len(FOLDERS))
        self.assertGreaterEqual(passed, len(FOLDERS) - 1)  # only Add may be missing

    def binding_matches_reference(self, folder):
        model = cnnrt.Model(os.path.join(folder, "model.onnx"))
        session = model.session(threads=1)
        names = [i.name for i in model.inputs]
        output_names = [o.name for o in model.outputs]
        sets = numbered(os.path.join(folder, "test_data_set_*"))
        self.assertTrue(sets)
        for data_set in sets:
            inputs = [cnnrt.read_tensor(p) for p in numbered(os.path.join(data_set, "input_*.pb"))]
            if all(name in names for name, _ in inputs):
                feed = {name: value for name, value in inputs}
            else:
                feed = [value for _, value in inputs]
            got = session.run(feed)
            for i, path in enumerate(numbered(os.path.join(data_set, "output_*.pb"))):
                name, want = cnnrt.read_tensor(path)
                key = name if name in got else output_names[i]
                if not allclose(got[key], want):
                    return False
        return True


if __name__ == "__main__":
    unittest.main()
