"""cnnrt: run ONNX CNNs on the CPU. A thin ctypes binding over libcnnrt's C
API (cnnrt.h), with numpy arrays.

    import numpy as np
    import cnnrt

    model = cnnrt.Model("net.onnx")       # a path, or the model's bytes
    print(model.inputs)                   # [TensorInfo(name='x', dtype=float32, shape=(None, 3, 224, 224))]
    session = model.session(threads=2)
    outputs = session.run({"x": np.zeros((1, 3, 224, 224), np.float32)})  # {name: ndarray}

Every failure of the C library raises cnnrt.Error carrying its message and
status. As in C, a Model may be shared by threads and each thread uses its
own Session; calls into the library release the GIL, so sessions on
different threads run in parallel.

The library is found through $CNNRT_LIBRARY, the installed package, this
checkout's build/ folder, or the system's library path (see _library.py).
"""
import ctypes
from collections import namedtuple
from ctypes import byref, c_char_p, c_size_t, c_void_p

import numpy as np

from . import _library as _c

_lib = _c.load()

__all__ = ["Error", "TensorInfo", "OpInfo", "Model", "Session", "version", "supported_ops", "read_tensor"]

# cnnrt_dtype <-> numpy. bfloat16 (16) has no numpy type.
_DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32, 7: np.int64,
           9: np.bool_, 10: np.float16, 11: np.float64, 12: np.uint32, 13: np.uint64}
_CODES = {np.dtype(t): code for code, t in _DTYPES.items()}
_CONV_ALGORITHMS = {"auto": 0, "direct": 1}
_PRECISIONS = {"fp32": 0, "bf16": 1, "int8": 2}
_BATCH_MODES = {"auto": 0, "whole": 1, "per_image": 2}

TensorInfo = namedtuple("TensorInfo", "name dtype shape")
TensorInfo.__doc__ = "A model input, output or intermediate: shape has None where only known at run time."
OpInfo = namedtuple("OpInfo", "domain op_type first_opset last_opset")


class Error(Exception):
    """A failed cnnrt call: str(e) is cnnrt's message; status is the status
    name ("CNNRT_INVALID_MODEL") and code its number."""

    def __init__(self, code, message):
        self.code = code
        self.status = _lib.cnnrt_status_name(code).decode()
        super().__init__(message)


def _check(code):
    if code != 0:
        raise Error(code, _lib.cnnrt_last_error().decode("utf-8", "replace"))


def _str(b):
    return None if b is None else b.decode("utf-8", "replace")


def _numpy_dtype(code, what):
    if code not in _DTYPES:
        raise Error(3, f"{what} has element type {code}, which has no numpy type")
    return np.dtype(_DTYPES[code])


def _info(i):
    shape = tuple(None if i.dims[k] < 0 else int(i.dims[k]) for k in range(i.rank))
    dtype = np.dtype(_DTYPES[i.dtype]) if i.dtype in _DTYPES else i.dtype
    return TensorInfo(_str(i.name), dtype, shape)


def _copy_out(t):
    """A numpy copy of a tensor the library lends (it is reused by the next run)."""
    name = _str(t.name)
    out = np.empty(tuple(t.dims[k] for k in range(t.rank)), _numpy_dtype(t.dtype, f"tensor '{name}'"))
    if out.nbytes != t.size_bytes:
        raise Error(6, f"tensor '{name}': {t.size_bytes} bytes for shape {out.shape} of {out.dtype}")
    if out.nbytes:
        ctypes.memmove(out.ctypes.data, t.data, out.nbytes)
    return name, out


def version():
    """The loaded library's version, "major.minor.patch (oneDNN x.y.z)"."""
    return _lib.cnnrt_version().decode()


def supported_ops():
    """The operators this build implements: a list of OpInfo, sorted."""
    n = c_size_t()
    _check(_lib.cnnrt_supported_op_count(byref(n)))
    ops = []
    for i in range(n.value):
        o = _c.OpInfo()
        _check(_lib.cnnrt_supported_op(i, byref(o)))
        ops.append(OpInfo(_str(o.domain), _str(o.op_type), o.first_opset, o.last_opset))
    return ops


def read_tensor(path):
    """Reads a serialized ONNX TensorProto (.pb): returns (name, ndarray)."""
    blob = c_void_p()
    _check(_lib.cnnrt_blob_read_file(str(path).encode(), byref(blob)))
    try:
        t = _c.Tensor()
        _check(_lib.cnnrt_blob_tensor(blob, byref(t)))
        return _copy_out(t)
    finally:
        _lib.cnnrt_blob_destroy(byref(blob))


class Model:
    """A loaded ONNX model: Model(path) or Model(bytes). Immutable and
    shareable between threads. inputs, outputs and tensors describe it;
    session() prepares it to run."""

    def __init__(self, source):
        self._handle = c_void_p()
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            _check(_lib.cnnrt_model_load_memory(data, len(data), byref(self._handle)))
        else:
            _check(_lib.cnnrt_model_load_file(str(source).encode(), byref(self._handle)))
        self.inputs = self._infos(_lib.cnnrt_model_input_count, _lib.cnnrt_model_input_info)
        self.outputs = self._infos(_lib.cnnrt_model_output_count, _lib.cnnrt_model_output_info)
        self.tensors = self._infos(_lib.cnnrt_model_tensor_count, _lib.cnnrt_model_tensor_info)

    def _infos(self, count_fn, info_fn):
        n = c_size_t()
        _check(count_fn(self._handle, byref(n)))
        infos = []
        for i in range(n.value):
            info = _c.TensorInfo()
            _check(info_fn(self._handle, i, byref(info)))
            infos.append(_info(info))
        return infos

    def metadata(self, key):
        """The model's metadata_props value for key, or None."""
        value = c_char_p()
        _check(_lib.cnnrt_model_metadata(self._handle, key.encode(), byref(value)))
        return _str(value.value)

    def session(self, threads=0, conv_algorithm="auto", profile=False, extra_outputs=(), precision="fp32",
                calibration=None, batch=0, batch_mode="auto"):
        """A new Session. threads=0 uses every core; conv_algorithm "direct"
        gives bit-stable FP32; extra_outputs names intermediate tensors
        (see .tensors) to return from run() too; precision "bf16" runs
        convolutions in bfloat16, "int8" in 8-bit integers, with scales
        measured on calibration: a list of sample inputs, each in any form
        run() takes (required with "int8"); batch, when the model's batch
        dimension is free, is the batch compiled at creation (0: 1);
        batch_mode "whole" always runs a batch as one, "per_image" image by
        image where no op mixes images, "auto" the latter only where it is
        expected to be faster (see cnnrt_batch_mode)."""
        return Session(self, threads, conv_algorithm, profile, extra_outputs, precision, calibration, batch,
                       batch_mode)

    def close(self):
        """Frees the model now (sessions made from it keep working)."""
        if getattr(self, "_handle", None) and _lib is not None:
            _lib.cnnrt_model_destroy(byref(self._handle))

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _pack(declared, inputs, keep):
    """inputs ({name: array}, a list in input order, or one array) as a
    ctypes array of cnnrt_tensor; the arrays and dims it points to are
    appended to keep, which must outlive the C call."""
    if isinstance(inputs, dict):
        known = {i.name: i for i in declared}
        named = [(name, known.get(name), value) for name, value in inputs.items()]
    else:
        values = [inputs] if isinstance(inputs, np.ndarray) else list(inputs)
        named = [(None, info, v) for info, v in zip(declared, values)]
        named += [(None, None, v) for v in values[len(declared):]]
    tensors = (_c.Tensor * len(named))()
    for t, (name, info, value) in zip(tensors, named):
        want = info.dtype if info is not None and isinstance(info.dtype, np.dtype) else None
        a = np.ascontiguousarray(value) if isinstance(value, np.ndarray) else np.ascontiguousarray(value, want)
        if a.dtype not in _CODES:
            raise Error(1, f"cnnrt_session_run: numpy dtype {a.dtype} has no cnnrt element type")
        dims = (ctypes.c_int64 * max(a.ndim, 1))(*a.shape)
        keep += [a, dims]
        t.name = name.encode() if name is not None else None
        t.dtype, t.rank, t.dims = _CODES[a.dtype], a.ndim, dims
        t.data, t.size_bytes = a.ctypes.data, a.nbytes
    return tensors


class Session:
    """A model prepared to run, with its own memory and threads. Use one
    Session from one thread at a time; make one per thread."""

    def __init__(self, model, threads=0, conv_algorithm="auto", profile=False, extra_outputs=(), precision="fp32",
                 calibration=None, batch=0, batch_mode="auto"):
        if conv_algorithm not in _CONV_ALGORITHMS:
            raise ValueError(f"conv_algorithm must be one of {sorted(_CONV_ALGORITHMS)}, got {conv_algorithm!r}")
        if precision not in _PRECISIONS:
            raise ValueError(f"precision must be one of {sorted(_PRECISIONS)}, got {precision!r}")
        if batch_mode not in _BATCH_MODES:
            raise ValueError(f"batch_mode must be one of {sorted(_BATCH_MODES)}, got {batch_mode!r}")
        if not model._handle:
            raise ValueError("the model is closed")
        opts = _c.SessionOptions()  # all fields 0: the defaults (as cnnrt_session_options_init)
        opts.struct_size = ctypes.sizeof(opts)
        opts.threads = threads
        opts.conv_algorithm = _CONV_ALGORITHMS[conv_algorithm]
        opts.profile = 1 if profile else 0
        opts.precision = _PRECISIONS[precision]
        opts.batch = batch
        opts.batch_mode = _BATCH_MODES[batch_mode]
        names = [n.encode() for n in extra_outputs]
        opts.extra_outputs = (c_char_p * len(names))(*names) if names else None
        opts.extra_output_count = len(names)
        self._inputs = list(model.inputs)
        keep = []
        if calibration is not None:
            sets = [_pack(self._inputs, sample, keep) for sample in calibration]
            flat = (_c.Tensor * sum(len(t) for t in sets))(*[t for tensors in sets for t in tensors])
            keep.append(flat)
            opts.calibration_inputs = ctypes.cast(flat, ctypes.POINTER(_c.Tensor))
            opts.calibration_count = len(sets)
        self._handle = c_void_p()
        _check(_lib.cnnrt_session_create(model._handle, byref(opts), byref(self._handle)))

    def run(self, inputs):
        """Runs the model. inputs: {name: array}, a list of arrays in input
        order, or one array for a one-input model. Arrays are used as they
        are (their dtype must be the input's); other values are converted to
        the input's dtype. Returns {name: ndarray} for the model outputs then
        the extra outputs, copied out of the session."""
        keep = []  # arrays and dims alive until the call returns
        tensors = _pack(self._inputs, inputs, keep)
        _check(_lib.cnnrt_session_run(self._handle, tensors, len(tensors), None, 0))
        n = c_size_t()
        _check(_lib.cnnrt_session_output_count(self._handle, byref(n)))
        results = {}
        for i in range(n.value):
            t = _c.Tensor()
            _check(_lib.cnnrt_session_output(self._handle, i, byref(t)))
            name, array = _copy_out(t)
            results[name] = array
        return results

    @property
    def runs_per_batch(self):
        """How many times a run executes its first step: 1, or the batch size
        when the batch runs image by image, all of it or its first layers
        (cnnrt_session_runs_per_batch; per step: profile()'s runs_per_batch)."""
        runs = ctypes.c_int64()
        _check(_lib.cnnrt_session_runs_per_batch(self._handle, byref(runs)))
        return runs.value

    @property
    def memory_plan(self):
        """The memory plan for the last run's shapes, as a dict (see cnnrt_memory_plan)."""
        p = _c.MemoryPlan()
        _check(_lib.cnnrt_session_memory_plan(self._handle, byref(p)))
        return {name: getattr(p, name) for name, _ in p._fields_}

    @property
    def plan_text(self):
        """The memory plan as text, one line per buffer."""
        text = c_char_p()
        _check(_lib.cnnrt_session_plan_text(self._handle, byref(text)))
        return _str(text.value)

    def profile(self):
        """Per-step entries for the last run's shapes (times need profile=True);
        runs_per_batch is how many times the step runs per session run (the
        batch size where it runs image by image)."""
        n = c_size_t()
        _check(_lib.cnnrt_session_profile_count(self._handle, byref(n)))
        entries = []
        for i in range(n.value):
            e = _c.ProfileEntry()
            _check(_lib.cnnrt_session_profile_entry(self._handle, i, byref(e)))
            per_batch = ctypes.c_int64()
            _check(_lib.cnnrt_session_step_runs_per_batch(self._handle, i, byref(per_batch)))
            entries.append({"node": _str(e.node), "op": _str(e.op), "impl": _str(e.impl), "shapes": _str(e.shapes),
                            "total_ms": e.total_ms, "runs": e.runs, "flops": e.flops,
                            "runs_per_batch": per_batch.value})
        return entries

    def close(self):
        """Frees the session now."""
        if getattr(self, "_handle", None) and _lib is not None:
            _lib.cnnrt_session_destroy(byref(self._handle))

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
