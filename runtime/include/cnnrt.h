/*
 * cnnrt — a CPU inference runtime for convolutional networks.
 *
 * This header is the whole public interface (C99). The flow is:
 *
 *   cnnrt_model* model;      cnnrt_model_load_file("net.onnx", &model);
 *   cnnrt_session* session;  cnnrt_session_create(model, NULL, &session);
 *   cnnrt_tensor in = {...}, out = {0};
 *   cnnrt_session_run(session, &in, 1, &out, 1);   // out.data valid until the next run
 *   cnnrt_session_destroy(&session);
 *   cnnrt_model_destroy(&model);
 *
 * Errors: every function that can fail returns a cnnrt_status; on failure
 * cnnrt_last_error() returns a message for the calling thread naming what
 * failed and why (file, node, op, input). No function aborts or throws on
 * bad input; NULL arguments give CNNRT_INVALID_ARGUMENT.
 *
 * Threads: a model is immutable once loaded and may be used from any number
 * of threads at once (creating sessions, querying). A session belongs to
 * one thread at a time: runs on one session must not overlap. Give each
 * thread its own session; sessions of one model share its weights.
 *
 * Ownership: handles are freed through a pointer to the handle
 * (cnnrt_model_destroy(&model)), which sets it to NULL, so a second destroy
 * is harmless. Strings and arrays returned by the library are owned by the
 * object they came from and stay valid as long as it lives (or, for run
 * results, until the session's next run). Sessions hold their own reference
 * to the model's data: destroying the model handle while sessions of it
 * exist is allowed and the sessions keep working. Using any handle after
 * destroying it is the caller's error; cnnrt detects it where it cheaply can
 * (CNNRT_INVALID_ARGUMENT) but cannot always.
 */
#ifndef CNNRT_H
#define CNNRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CNNRT_API __attribute__((visibility("default")))
#else
#define CNNRT_API
#endif

/* Version of the library (major.minor.patch). */
#define CNNRT_VERSION_MAJOR 0
#define CNNRT_VERSION_MINOR 1
#define CNNRT_VERSION_PATCH 0

/* Status codes. */
typedef enum cnnrt_status {
  CNNRT_OK = 0,
  CNNRT_INVALID_ARGUMENT = 1, /* a NULL pointer, a wrong name, shape, type or buffer size */
  CNNRT_INVALID_MODEL = 2,    /* the model is malformed or inconsistent */
  CNNRT_UNSUPPORTED = 3,      /* valid ONNX that cnnrt does not implement */
  CNNRT_IO_ERROR = 4,         /* a file could not be read */
  CNNRT_OUT_OF_MEMORY = 5,    /* an allocation failed or a size limit was exceeded */
  CNNRT_INTERNAL_ERROR = 6    /* a bug in cnnrt or an unexpected oneDNN failure */
} cnnrt_status;

/* Element types; the numbers are ONNX's TensorProto.DataType. */
typedef enum cnnrt_dtype {
  CNNRT_UNDEFINED = 0,
  CNNRT_FLOAT32 = 1,
  CNNRT_UINT8 = 2,
  CNNRT_INT8 = 3,
  CNNRT_UINT16 = 4,
  CNNRT_INT16 = 5,
  CNNRT_INT32 = 6,
  CNNRT_INT64 = 7,
  CNNRT_BOOL = 9,
  CNNRT_FLOAT16 = 10,
  CNNRT_FLOAT64 = 11,
  CNNRT_UINT32 = 12,
  CNNRT_UINT64 = 13,
  CNNRT_BFLOAT16 = 16
} cnnrt_dtype;

/* Opaque handles. */
typedef struct cnnrt_model cnnrt_model;
typedef struct cnnrt_session cnnrt_session;
typedef struct cnnrt_blob cnnrt_blob;

/*
 * A tensor passed to or returned from a run. Data is dense and row-major
 * (NCHW for images).
 *   Inputs:  name selects the model input (NULL: by position); dtype, rank,
 *            dims, data and size_bytes are the caller's and only read.
 *   Outputs: see cnnrt_session_run.
 */
typedef struct cnnrt_tensor {
  const char* name;
  cnnrt_dtype dtype;
  size_t rank;
  const int64_t* dims;
  void* data;
  size_t size_bytes;
} cnnrt_tensor;

/* Name, element type and shape of a model input, output or intermediate.
 * dims[i] is -1 where the size is only known at run time (e.g. a symbolic
 * batch dimension). Strings and arrays are owned by the model. */
typedef struct cnnrt_tensor_info {
  const char* name;
  cnnrt_dtype dtype;
  size_t rank;
  const int64_t* dims;
} cnnrt_tensor_info;

/* ---------------------------------------------------------------- library */

/* The library version as "major.minor.patch (oneDNN x.y.z)". Never NULL. */
CNNRT_API const char* cnnrt_version(void);

/* The message of the last failed call on this thread ("" if none). Valid
 * until the next failing call on the same thread. Never NULL. */
CNNRT_API const char* cnnrt_last_error(void);

/* A short name for a status code ("CNNRT_INVALID_MODEL"). Never NULL. */
CNNRT_API const char* cnnrt_status_name(cnnrt_status status);

/* ---------------------------------------------------------------- models */

/* Loads an ONNX model file. External data is read from the file's folder
 * (and never from outside it). On success *out is a new model; on failure
 * *out is NULL. Thread safe. */
CNNRT_API cnnrt_status cnnrt_model_load_file(const char* path, cnnrt_model** out);

/* Loads an ONNX model from memory. The bytes are copied as needed, so the
 * buffer may be freed after the call. Models with external data must be
 * loaded from a file. Thread safe. */
CNNRT_API cnnrt_status cnnrt_model_load_memory(const void* data, size_t size, cnnrt_model** out);

/* Frees a model and sets *model to NULL. NULL or *model == NULL is a no-op.
 * Existing sessions of the model stay valid. */
CNNRT_API void cnnrt_model_destroy(cnnrt_model** model);

/* Number of inputs / outputs the caller feeds / reads. */
CNNRT_API cnnrt_status cnnrt_model_input_count(const cnnrt_model* model, size_t* count);
CNNRT_API cnnrt_status cnnrt_model_output_count(const cnnrt_model* model, size_t* count);

/* Describes input or output `index` (0-based). The info's strings and arrays
 * are owned by the model. */
CNNRT_API cnnrt_status cnnrt_model_input_info(const cnnrt_model* model, size_t index, cnnrt_tensor_info* info);
CNNRT_API cnnrt_status cnnrt_model_output_info(const cnnrt_model* model, size_t index, cnnrt_tensor_info* info);

/* Intermediate tensors (every node output, in execution order), whose names
 * may be passed as session extra outputs to read them after a run. */
CNNRT_API cnnrt_status cnnrt_model_tensor_count(const cnnrt_model* model, size_t* count);
CNNRT_API cnnrt_status cnnrt_model_tensor_info(const cnnrt_model* model, size_t index, cnnrt_tensor_info* info);

/* Looks up the model's metadata_props entry `key`. *value is owned by the
 * model; if the key is absent, returns CNNRT_OK with *value = NULL. */
CNNRT_API cnnrt_status cnnrt_model_metadata(const cnnrt_model* model, const char* key, const char** value);

/* ---------------------------------------------------------------- sessions */

/* How convolutions are computed. */
typedef enum cnnrt_conv_algorithm {
  CNNRT_CONV_AUTO = 0,   /* the fastest that keeps FP32 accuracy */
  CNNRT_CONV_DIRECT = 1  /* always direct convolution: bit-stable FP32 */
} cnnrt_conv_algorithm;

/* Session options. Initialise with cnnrt_session_options_init, then change
 * fields; struct_size lets later versions add fields compatibly. */
typedef struct cnnrt_session_options {
  size_t struct_size;              /* sizeof(cnnrt_session_options) */
  int threads;                     /* 0: all cores (the default) */
  cnnrt_conv_algorithm conv_algorithm;
  int profile;                     /* non-zero: time every step (slower runs) */
  const char* const* extra_outputs; /* intermediate tensor names to keep readable */
  size_t extra_output_count;
} cnnrt_session_options;

/* Fills *options with the defaults. */
CNNRT_API void cnnrt_session_options_init(cnnrt_session_options* options);

/* Creates a session (its own arena and stream) for a model. options may be
 * NULL for the defaults. The model's declared input shapes (symbolic
 * dimensions taken as 1) are compiled now, so the first run is fast; other
 * shapes compile on first use and stay cached. Thread safe with respect to
 * the model. */
CNNRT_API cnnrt_status cnnrt_session_create(const cnnrt_model* model, const cnnrt_session_options* options,
                                            cnnrt_session** out);

/* Frees a session and sets *session to NULL. NULL or *session == NULL is a
 * no-op. */
CNNRT_API void cnnrt_session_destroy(cnnrt_session** session);

/*
 * Runs the model.
 *   inputs: one per model input, matched by name (or by position where name
 *     is NULL); dtype, rank and dims must match the model's input, with
 *     dynamic dimensions free; size_bytes must cover the data.
 *   outputs: up to (model outputs + extra outputs) entries, or NULL with
 *     n_outputs = 0 to read results later with cnnrt_session_output.
 *     Entry i receives result i (graph outputs first, then extra outputs in
 *     the order requested) unless its name is set, which selects a result by
 *     name. If data is NULL on entry, it is set to session-owned memory valid
 *     until the next run; otherwise the result is copied there and
 *     size_bytes must be large enough (CNNRT_INVALID_ARGUMENT otherwise,
 *     with the size needed in the message). name, dtype, rank and dims are
 *     set (session-owned). size_bytes is set to the result's size.
 * Runs of one session must not overlap; different sessions run in parallel.
 */
CNNRT_API cnnrt_status cnnrt_session_run(cnnrt_session* session, const cnnrt_tensor* inputs, size_t n_inputs,
                                         cnnrt_tensor* outputs, size_t n_outputs);

/* Number of results a run produces (model outputs + extra outputs). */
CNNRT_API cnnrt_status cnnrt_session_output_count(const cnnrt_session* session, size_t* count);

/* Result `index` of the last run, as session-owned memory valid until the
 * next run (fields set as for a NULL-data output of cnnrt_session_run).
 * CNNRT_INVALID_ARGUMENT before the first run and after a failed run. */
CNNRT_API cnnrt_status cnnrt_session_output(const cnnrt_session* session, size_t index, cnnrt_tensor* out);

/* The memory plan of the last run (or of the shapes prepared at creation). */
typedef struct cnnrt_memory_plan {
  size_t arena_bytes;       /* the arena the plan needs */
  size_t total_bytes;       /* sum of every intermediate's size: memory without reuse */
  size_t lower_bound_bytes; /* most bytes alive at any one step: no plan can do better */
  size_t tensor_count;      /* planned buffers (intermediates, conversions, scratchpads) */
  size_t step_count;        /* primitives and kernels per run */
} cnnrt_memory_plan;

CNNRT_API cnnrt_status cnnrt_session_memory_plan(const cnnrt_session* session, cnnrt_memory_plan* plan);

/* The plan as text: one line per buffer (name, bytes, offset, lifetime)
 * and the totals. Owned by the session, valid until its next call. */
CNNRT_API cnnrt_status cnnrt_session_plan_text(cnnrt_session* session, const char** text);

/* Per-step profile of the runs so far (sessions created with profile set).
 * One entry per step: a node's primitive, or an inserted layout conversion. */
typedef struct cnnrt_profile_entry {
  const char* node;    /* node name */
  const char* op;      /* op type, "Reorder" for layout conversions */
  const char* impl;    /* implementation (oneDNN's name, or cnnrt:...) */
  const char* shapes;  /* "in -> out" dims */
  double total_ms;     /* summed over profiled runs */
  int runs;
  double flops;        /* per run; 0 where not counted */
} cnnrt_profile_entry;

CNNRT_API cnnrt_status cnnrt_session_profile_count(const cnnrt_session* session, size_t* count);
CNNRT_API cnnrt_status cnnrt_session_profile_entry(const cnnrt_session* session, size_t index,
                                                   cnnrt_profile_entry* entry);

/* ---------------------------------------------------------------- tensor files */

/* Reads a serialized ONNX TensorProto (input_0.pb in the ONNX backend test
 * layout) into a blob. */
CNNRT_API cnnrt_status cnnrt_blob_read_file(const char* path, cnnrt_blob** out);

/* Views a blob as a tensor (name may be ""); pointers owned by the blob. */
CNNRT_API cnnrt_status cnnrt_blob_tensor(const cnnrt_blob* blob, cnnrt_tensor* tensor);

/* Frees a blob and sets *blob to NULL; NULL is a no-op. */
CNNRT_API void cnnrt_blob_destroy(cnnrt_blob** blob);

#ifdef __cplusplus
}
#endif

#endif /* CNNRT_H */
