"""The Python binding against a numpy reference: model description, runs at
several batch sizes, sessions on threads, extra outputs, plans, profiles,
int8 sessions."""
import os
import tempfile
import threading
import unittest

import numpy as np

import cnnrt
import models


class ModelTest(unittest.TestCase):
    def setUp(self):
        self.bytes, self.weights = models.small_cnn()

    def test_describes_inputs_outputs_and_tensors(self):
        m = cnnrt.Model(self.bytes)
        self.assertEqual(m.inputs, [cnnrt.TensorInfo("x", np.dtype(np.float32), (None, 3, 12, 12))])
        self.assertEqual(m.outputs, [cnnrt.TensorInfo("probs", np.dtype(np.float32), (None, 5))])
        self.assertEqual([t.name for t in m.tensors], ["conv", "relu", "pool", "flat", "logits", "probs"])
        self.assertEqual(m.metadata("labels"), "a,b,c,d,e")
        self.assertIsNone(m.metadata("absent"))

    def test_path_and_bytes_load_the_same_model(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.onnx")
            models.save(path, self.bytes)
            x = np.random.default_rng(1).uniform(-1, 1, (2, 3, 12, 12)).astype(np.float32)
            a = cnnrt.Model(path).session(threads=1, conv_algorithm="direct").run({"x": x})
            b = cnnrt.Model(self.bytes).session(threads=1, conv_algorithm="direct").run({"x": x})
            np.testing.assert_array_equal(a["probs"], b["probs"])

    def test_supported_ops_are_sorted_and_include_the_core_ops(self):
        ops = cnnrt.supported_ops()
        self.assertEqual(ops, sorted(ops, key=lambda o: (o.domain, o.op_type, o.first_opset)))
        names = {(o.domain, o.op_type) for o in ops}
        for op in ["Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Softmax"]:
            self.assertIn(("ai.onnx", op), names)
        for o in ops:
            self.assertLessEqual(o.first_opset, o.last_opset)

    def test_version_names_library_and_onednn(self):
        self.assertRegex(cnnrt.version(), r"^\d+\.\d+\.\d+ \(oneDNN \d+\.\d+\.\d+\)$")


class RunTest(unittest.TestCase):
    def setUp(self):
        self.bytes, self.weights = models.small_cnn()
        self.model = cnnrt.Model(self.bytes)

    def check(self, outputs, x):
        pool, probs = models.small_cnn_reference(x, self.weights)
        np.testing.assert_allclose(outputs["probs"], probs, rtol=1e-4, atol=1e-6)
        return pool

    def test_matches_reference_at_several_batch_sizes(self):
        s = self.model.session(threads=1)
        rng = np.random.default_rng(2)
        for batch in [1, 3, 1, 2]:  # a new shape compiles; a seen one is reused
            x = rng.uniform(-1, 1, (batch, 3, 12, 12)).astype(np.float32)
            out = s.run({"x": x})
            self.assertEqual(list(out), ["probs"])
            self.assertEqual(out["probs"].shape, (batch, 5))
            self.assertEqual(out["probs"].dtype, np.float32)
            self.check(out, x)

    def test_inputs_by_position_single_array_and_conversion(self):
        s = self.model.session(threads=1, conv_algorithm="direct")
        x = np.random.default_rng(3).uniform(-1, 1, (1, 3, 12, 12)).astype(np.float32)
        want = s.run({"x": x})["probs"]
        np.testing.assert_array_equal(s.run([x])["probs"], want)
        np.testing.assert_array_equal(s.run(x)["probs"], want)
        # A non-array is converted to the input's dtype; a non-contiguous array is copied.
        np.testing.assert_array_equal(s.run([x.tolist()])["probs"], want)
        strided = np.zeros((1, 3, 12, 24), np.float32)
        strided[..., ::2] = x
        np.testing.assert_array_equal(s.run(strided[..., ::2])["probs"], want)

    def test_results_are_copies_that_survive_the_next_run(self):
        s = self.model.session(threads=1)
        rng = np.random.default_rng(4)
        x1, x2 = (rng.uniform(-1, 1, (1, 3, 12, 12)).astype(np.float32) for _ in range(2))
        first = s.run({"x": x1})["probs"]
        kept = first.copy()
        s.run({"x": x2})
        np.testing.assert_array_equal(first, kept)

    def test_extra_outputs_return_intermediates(self):
        s = self.model.session(threads=1, extra_outputs=["pool"])
        x = np.random.default_rng(5).uniform(-1, 1, (2, 3, 12, 12)).astype(np.float32)
        out = s.run({"x": x})
        self.assertEqual(list(out), ["probs", "pool"])
        pool = self.check(out, x)
        np.testing.assert_allclose(out["pool"], pool, rtol=1e-5, atol=1e-5)

    def test_non_float_tensors(self):
        s = cnnrt.Model(models.uint8_maxpool_model()).session(threads=1)
        x = np.arange(16, dtype=np.uint8).reshape(1, 1, 4, 4)[..., ::-1].copy()
        y = s.run({"x": x})["y"]
        self.assertEqual(y.dtype, np.uint8)
        np.testing.assert_array_equal(y, x.reshape(1, 1, 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).max(axis=(4, 5)))

    def test_sessions_on_threads_agree(self):
        x = np.random.default_rng(6).uniform(-1, 1, (2, 3, 12, 12)).astype(np.float32)
        want = self.model.session(threads=1, conv_algorithm="direct").run({"x": x})["probs"]
        results, errors = [], []

        def work():
            try:
                s = self.model.session(threads=1, conv_algorithm="direct")  # one session per thread
                for _ in range(20):
                    results.append(s.run({"x": x})["probs"])
            except Exception as e:  # reported below: a thread cannot fail the test itself
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 80)
        for r in results:
            np.testing.assert_array_equal(r, want)

    def test_sessions_outlive_their_model(self):
        m = cnnrt.Model(self.bytes)
        s = m.session(threads=1)
        m.close()
        m.close()  # a second close is harmless
        x = np.random.default_rng(7).uniform(-1, 1, (1, 3, 12, 12)).astype(np.float32)
        self.check(s.run({"x": x}), x)

    def test_batch_option_compiles_that_batch_at_creation(self):
        x = np.random.default_rng(4).uniform(-1, 1, (6, 3, 12, 12)).astype(np.float32)
        ran = self.model.session(threads=1)
        ran.run({"x": x})
        ahead = self.model.session(threads=1, batch=6)
        self.assertEqual(ahead.memory_plan, ran.memory_plan)  # before any run of its own
        self.assertNotEqual(self.model.session(threads=1).memory_plan, ran.memory_plan)
        self.check(ahead.run({"x": x}), x)

    def test_batch_mode_per_image_gives_the_batched_results(self):
        x = np.random.default_rng(5).uniform(-1, 1, (3, 3, 12, 12)).astype(np.float32)
        whole = self.model.session(threads=1, batch_mode="whole")
        split = self.model.session(threads=1, batch_mode="per_image")
        self.check(split.run({"x": x}), x)
        self.assertEqual(split.runs_per_batch, 3)
        self.assertEqual({e["runs_per_batch"] for e in split.profile()}, {3})
        whole.run({"x": x})
        self.assertEqual(whole.runs_per_batch, 1)
        self.assertEqual({e["runs_per_batch"] for e in whole.profile()}, {1})
        with self.assertRaisesRegex(ValueError, "batch_mode must be one of"):
            self.model.session(batch_mode="sometimes")

    def test_memory_plan_profile_and_plan_text(self):
        s = self.model.session(threads=1, profile=True)
        x = np.random.default_rng(8).uniform(-1, 1, (1, 3, 12, 12)).astype(np.float32)
        for _ in range(3):
            s.run({"x": x})
        plan = s.memory_plan
        self.assertEqual(set(plan), {"arena_bytes", "total_bytes", "lower_bound_bytes", "tensor_count", "step_count"})
        self.assertLessEqual(plan["lower_bound_bytes"], plan["arena_bytes"])
        self.assertLessEqual(plan["arena_bytes"], plan["total_bytes"])
        self.assertIn(f"arena bytes: {plan['arena_bytes']}", s.plan_text)
        profile = s.profile()
        self.assertEqual(len(profile), plan["step_count"])
        self.assertTrue(all(e["runs"] == 3 and e["total_ms"] > 0 for e in profile))
        self.assertIn("Conv", [e["op"] for e in profile])
        # Without profile the steps are still named, with no times.
        quiet = self.model.session(threads=1)
        quiet.run({"x": x})
        self.assertTrue(all(e["runs"] == 0 for e in quiet.profile()))

    def test_read_tensor_reads_onnx_tensor_files(self):
        x = np.random.default_rng(9).uniform(-1, 1, (2, 3)).astype(np.float32)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.pb")
            models.save(path, models.numpy_helper.from_array(x, "named").SerializeToString())
            name, y = cnnrt.read_tensor(path)
        self.assertEqual(name, "named")
        np.testing.assert_array_equal(x, y)



class Int8Test(unittest.TestCase):
    """precision="int8" with calibration samples in any form run() takes."""

    def test_int8_conv_is_within_its_quantization_steps_of_fp32(self):
        data, w = models.small_cnn()
        m = cnnrt.Model(data)
        x = np.random.default_rng(7).uniform(-1, 1, (2, 3, 12, 12)).astype(np.float32)
        ref = m.session(threads=1, extra_outputs=["conv"]).run({"x": x})["conv"]
        # Calibrated on x itself (as a dict, then a bare array) so nothing saturates.
        s = m.session(threads=1, extra_outputs=["conv"], precision="int8", calibration=[{"x": x[:1]}, x[1:]])
        got = s.run({"x": x})["conv"]
        # x is signed: s8 step max|x|/127; weights s8 per output channel,
        # step max|w[oc]|/127. Worst case over the 27-element fan-in of
        # sum |w| e_x + |x| e_w + e_x e_w, per output channel.
        ex = 0.5 * np.abs(x).max() / 127
        wmax = np.abs(w["conv_w"]).reshape(4, -1).max(1)
        ew = 0.5 * wmax / 127
        bound = 27 * (wmax * ex + np.abs(x).max() * ew + ex * ew)
        err = np.abs(got - ref).max(axis=(0, 2, 3))
        self.assertTrue(np.all(err <= bound + 1e-5 * np.abs(ref).max()), (err, bound))
        self.assertGreater(err.max(), 0)  # really quantized

    def test_int8_needs_calibration_and_calibration_needs_int8(self):
        m = cnnrt.Model(models.small_cnn()[0])
        x = np.zeros((1, 3, 12, 12), np.float32)
        with self.assertRaises(cnnrt.Error) as caught:
            m.session(precision="int8")
        self.assertEqual(caught.exception.status, "CNNRT_INVALID_ARGUMENT")
        self.assertIn("CNNRT_PRECISION_INT8 needs calibration inputs", str(caught.exception))
        with self.assertRaises(cnnrt.Error) as caught:
            m.session(calibration=[x])
        self.assertEqual(str(caught.exception),
                         "cnnrt_session_create: calibration_inputs are only used with CNNRT_PRECISION_INT8")


if __name__ == "__main__":
    unittest.main()
