"""Finds and loads libcnnrt and declares its C API for ctypes.

Search order (the first that exists wins; nothing else is tried once
CNNRT_LIBRARY is set):
  1. $CNNRT_LIBRARY, the path of the library file;
  2. the library `cmake --install` put beside this package (_installed.py);
  3. this checkout's build tree: <repo>/build/lib/libcnnrt.so.MAJOR;
  4. the dynamic loader's own search (ld.so.conf, LD_LIBRARY_PATH):
     libcnnrt.so.MAJOR.
"""
import ctypes
import os
from ctypes import POINTER, c_char_p, c_double, c_int, c_int64, c_size_t, c_void_p
from pathlib import Path

# The C API version this binding is written against: the library must have
# the same major version (its SONAME) and at least this minor version.
ABI_MAJOR = 0
ABI_MINOR = 1
SONAME = f"libcnnrt.so.{ABI_MAJOR}"


class Tensor(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("dtype", c_int), ("rank", c_size_t), ("dims", POINTER(c_int64)),
                ("data", c_void_p), ("size_bytes", c_size_t)]


class TensorInfo(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("dtype", c_int), ("rank", c_size_t), ("dims", POINTER(c_int64))]


class OpInfo(ctypes.Structure):
    _fields_ = [("domain", c_char_p), ("op_type", c_char_p), ("first_opset", c_int), ("last_opset", c_int)]


class SessionOptions(ctypes.Structure):
    _fields_ = [("struct_size", c_size_t), ("threads", c_int), ("conv_algorithm", c_int), ("profile", c_int),
                ("extra_outputs", POINTER(c_char_p)), ("extra_output_count", c_size_t), ("precision", c_int),
                ("calibration_inputs", POINTER(Tensor)), ("calibration_count", c_size_t), ("batch", c_int64),
                ("batch_mode", c_int)]


class MemoryPlan(ctypes.Structure):
    _fields_ = [("arena_bytes", c_size_t), ("total_bytes", c_size_t), ("lower_bound_bytes", c_size_t),
                ("tensor_count", c_size_t), ("step_count", c_size_t)]


class ProfileEntry(ctypes.Structure):
    _fields_ = [("node", c_char_p), ("op", c_char_p), ("impl", c_char_p), ("shapes", c_char_p),
                ("total_ms", c_double), ("runs", c_int), ("flops", c_double)]


_P = c_void_p  # opaque handles
_PP = POINTER(c_void_p)
_PROTOTYPES = {
    "cnnrt_version": (c_char_p, []),
    "cnnrt_last_error": (c_char_p, []),
    "cnnrt_status_name": (c_char_p, [c_int]),
    "cnnrt_supported_op_count": (c_int, [POINTER(c_size_t)]),
    "cnnrt_supported_op": (c_int, [c_size_t, POINTER(OpInfo)]),
    "cnnrt_model_load_file": (c_int, [c_char_p, _PP]),
    "cnnrt_model_load_memory": (c_int, [c_void_p, c_size_t, _PP]),
    "cnnrt_model_destroy": (None, [_PP]),
    "cnnrt_model_input_count": (c_int, [_P, POINTER(c_size_t)]),
    "cnnrt_model_output_count": (c_int, [_P, POINTER(c_size_t)]),
    "cnnrt_model_input_info": (c_int, [_P, c_size_t, POINTER(TensorInfo)]),
    "cnnrt_model_output_info": (c_int, [_P, c_size_t, POINTER(TensorInfo)]),
    "cnnrt_model_tensor_count": (c_int, [_P, POINTER(c_size_t)]),
    "cnnrt_model_tensor_info": (c_int, [_P, c_size_t, POINTER(TensorInfo)]),
    "cnnrt_model_metadata": (c_int, [_P, c_char_p, POINTER(c_char_p)]),
    "cnnrt_session_create": (c_int, [_P, POINTER(SessionOptions), _PP]),
    "cnnrt_session_destroy": (None, [_PP]),
    "cnnrt_session_run": (c_int, [_P, POINTER(Tensor), c_size_t, POINTER(Tensor), c_size_t]),
    "cnnrt_session_output_count": (c_int, [_P, POINTER(c_size_t)]),
    "cnnrt_session_output": (c_int, [_P, c_size_t, POINTER(Tensor)]),
    "cnnrt_session_memory_plan": (c_int, [_P, POINTER(MemoryPlan)]),
    "cnnrt_session_runs_per_batch": (c_int, [_P, POINTER(c_int64)]),
    "cnnrt_session_plan_text": (c_int, [_P, POINTER(c_char_p)]),
    "cnnrt_session_profile_count": (c_int, [_P, POINTER(c_size_t)]),
    "cnnrt_session_profile_entry": (c_int, [_P, c_size_t, POINTER(ProfileEntry)]),
    "cnnrt_session_step_runs_per_batch": (c_int, [_P, c_size_t, POINTER(c_int64)]),
    "cnnrt_blob_read_file": (c_int, [c_char_p, _PP]),
    "cnnrt_blob_tensor": (c_int, [_P, POINTER(Tensor)]),
    "cnnrt_blob_destroy": (None, [_PP]),
}


def _candidates():
    explicit = os.environ.get("CNNRT_LIBRARY")
    if explicit:
        return [explicit], True
    here = Path(__file__).resolve().parent
    found = []
    try:
        from . import _installed
        found.append(str(here / _installed.LIBRARY))
    except ImportError:
        pass
    found.append(str(here.parents[2] / "build" / "lib" / SONAME))
    return [p for p in found if os.path.exists(p)] + [SONAME], False


def load():
    """Returns the loaded library with every prototype declared."""
    paths, explicit = _candidates()
    errors = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            break
        except OSError as e:
            errors.append(f"{path}: {e}")
    else:
        hint = "" if explicit else " (set CNNRT_LIBRARY to the library's path, or install cnnrt)"
        raise ImportError("cnnrt: cannot load libcnnrt" + hint + ": " + "; ".join(errors))
    for name, (restype, argtypes) in _PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise ImportError(f"cnnrt: {path} has no {name}: it is older than this binding "
                              f"(which needs {ABI_MAJOR}.{ABI_MINOR})") from None
        fn.restype = restype
        fn.argtypes = argtypes
    version = lib.cnnrt_version().decode()
    major, minor = (int(x) for x in version.split()[0].split(".")[:2])
    if major != ABI_MAJOR or minor < ABI_MINOR:
        raise ImportError(f"cnnrt: {path} is version {version}; this binding needs {ABI_MAJOR}.x with x >= {ABI_MINOR}")
    lib.path = path
    return lib
