"""Every failure surfaces as cnnrt.Error carrying the C library's status and
message (the same text cnnrt_last_error() gives a C caller)."""
import os
import tempfile
import unittest

import numpy as np

import cnnrt
import models


class ErrorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bytes, _ = models.small_cnn()
        cls.model = cnnrt.Model(cls.bytes)
        cls.session = cls.model.session(threads=1)

    def assertError(self, status, message, fn, *args, **kwargs):
        with self.assertRaises(cnnrt.Error) as caught:
            fn(*args, **kwargs)
        self.assertEqual(caught.exception.status, status)
        self.assertEqual(str(caught.exception), message)
        return caught.exception

    def test_missing_file(self):
        e = self.assertError("CNNRT_IO_ERROR", "/nonexistent/m.onnx: cannot open: No such file or directory",
                             cnnrt.Model, "/nonexistent/m.onnx")
        self.assertEqual(e.code, 4)
        self.assertIsInstance(e, Exception)

    def test_not_a_model(self):
        self.assertError("CNNRT_INVALID_MODEL",
                         "<memory>: not a valid ONNX model (protobuf parsing failed; truncated or not an .onnx file)",
                         cnnrt.Model, b"not a model")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "truncated.onnx")
            models.save(path, self.bytes[: len(self.bytes) // 2])
            with self.assertRaises(cnnrt.Error) as caught:
                cnnrt.Model(path)
            self.assertEqual(caught.exception.status, "CNNRT_INVALID_MODEL")
            self.assertTrue(str(caught.exception).startswith(path + ": "))

    def test_unsupported_operator(self):
        self.assertError("CNNRT_UNSUPPORTED",
                         "<memory>: unsupported operator 'Frobnicate' (domain org.example.never, opset 1) "
                         "at node 'frob'", cnnrt.Model, models.unsupported_op_model())

    def test_wrong_shape_rank_dtype_name_and_count(self):
        run = self.session.run
        self.assertError("CNNRT_INVALID_ARGUMENT",
                         "input 'x' must have shape [?,3,12,12], got [1,3,11,12]",
                         run, {"x": np.zeros((1, 3, 11, 12), np.float32)})
        self.assertError("CNNRT_INVALID_ARGUMENT",
                         "input 'x' must have rank 4 (shape [?,3,12,12]), got shape [3,12,12]",
                         run, {"x": np.zeros((3, 12, 12), np.float32)})
        self.assertError("CNNRT_INVALID_ARGUMENT", "input 'x' must be float, got double",
                         run, {"x": np.zeros((1, 3, 12, 12), np.float64)})
        self.assertError("CNNRT_INVALID_ARGUMENT", "cnnrt_session_run: the model has no input named 'y'",
                         run, {"y": np.zeros((1, 3, 12, 12), np.float32)})
        self.assertError("CNNRT_INVALID_ARGUMENT", "cnnrt_session_run: the model has 1 inputs, got 0", run, {})
        self.assertError("CNNRT_INVALID_ARGUMENT", "cnnrt_session_run: numpy dtype complex64 has no cnnrt element type",
                         run, [np.zeros((1, 3, 12, 12), np.complex64)])

    def test_session_options(self):
        self.assertError("CNNRT_INVALID_ARGUMENT",
                         "no tensor named 'nope' is computed by this model",
                         self.model.session, extra_outputs=["nope"])
        self.assertError("CNNRT_INVALID_ARGUMENT", "cnnrt_session_create: threads must be >= 0, got -1",
                         self.model.session, threads=-1)
        with self.assertRaises(ValueError):
            self.model.session(conv_algorithm="fast")

    def test_closed_model_cannot_make_sessions(self):
        m = cnnrt.Model(self.bytes)
        m.close()
        with self.assertRaises(ValueError):
            m.session()

    def test_tensor_file_errors(self):
        self.assertError("CNNRT_IO_ERROR", "/nonexistent.pb: cannot open: No such file or directory",
                         cnnrt.read_tensor, "/nonexistent.pb")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.pb")
            models.save(path, b"\xff\xff\xff")
            self.assertError("CNNRT_INVALID_ARGUMENT", path + ": not a valid serialized ONNX TensorProto",
                             cnnrt.read_tensor, path)

    def test_a_session_recovers_after_an_error(self):
        x = np.random.default_rng(0).uniform(-1, 1, (1, 3, 12, 12)).astype(np.float32)
        with self.assertRaises(cnnrt.Error):
            self.session.run({"x": x[..., :11]})
        self.assertEqual(self.session.run({"x": x})["probs"].shape, (1, 5))


if __name__ == "__main__":
    unittest.main()
