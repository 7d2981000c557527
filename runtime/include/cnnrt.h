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
 * Link with -lcnnrt (pkg-config cnnrt, or CMake find_package(cnnrt) and the
 * target cnnrt::cnnrt).
 *
 * Errors: every function that can fail returns a cnnrt_status; on failure
 * cnnrt_last_error() returns a message for the calling thread naming what
 * failed and why (file, node, op, input). No function aborts, throws or
 * prints on bad input; a NULL pointer argument gives CNNRT_INVALID_ARGUMENT
 * (except in the destroy functions and cnnrt_session_options_init, which
 * accept NULL and do nothing). Out parameters are left unchanged on failure
 * unless the function says otherwise (the load and create functions set
 * *out to NULL).
 *
 * Threads: a model is immutable once loaded and may be used from any number
 * of threads at once (creating sessions, querying). A session belongs to
 * one thread at a time: calls on one session must not overlap. Give each
 * thread its own session; sessions of one model share its weights. Each
 * session runs on its own pool of worker threads (`threads` in
 * cnnrt_session_options); sessions running at the same time add up, so with
 * N concurrent sessions give each about cores / N threads. Functions that
 * take no handle (version, last error, status names, supported ops) may be
 * called from any thread at any time.
 *
 * Ownership: handles are freed through a pointer to the handle
 * (cnnrt_model_destroy(&model)), which sets it to NULL, so a second destroy
 * is harmless. Strings and arrays returned by the library are owned by the
 * object they came from and stay valid as long as it lives (or, for run
 * results, until the session's next run); never free them. Sessions hold
 * their own reference to the model's data: destroying the model handle
 * while sessions of it exist is allowed and the sessions keep working.
 * Using a handle after destroying it is the caller's error; cnnrt detects
 * it where it cheaply can (CNNRT_INVALID_ARGUMENT) but cannot always.
 *
 * Memory: a session plans every intermediate tensor and every oneDNN
 * scratchpad into one arena ahead of the first run for a given input shape
 * (cnnrt_session_memory_plan); runs at a shape already seen reuse that plan
 * and arena, and cnnrt allocates nothing during them (oneDNN 2.6 itself
 * makes a few allocations of under 128 bytes per primitive call, for its
 * argument map). Weights are shared by every session of a model: as loaded,
 * plus one copy in each layout a compiled primitive wants.
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

/* Version of the library this header belongs to (major.minor.patch). The
 * shared library's SONAME carries the major version: libcnnrt.so.MAJOR. */
#define CNNRT_VERSION_MAJOR 0
#define CNNRT_VERSION_MINOR 1
#define CNNRT_VERSION_PATCH 0

/* Status codes. */
typedef enum cnnrt_status {
  CNNRT_OK = 0,
  CNNRT_INVALID_ARGUMENT = 1, /* a NULL pointer, a wrong name, index, shape, type or buffer size */
  CNNRT_INVALID_MODEL = 2,    /* the model (or tensor file) is malformed or inconsistent */
  CNNRT_UNSUPPORTED = 3,      /* valid ONNX that cnnrt does not implement */
  CNNRT_IO_ERROR = 4,         /* a file could not be read */
  CNNRT_OUT_OF_MEMORY = 5,    /* an allocation failed or a size limit was exceeded */
  CNNRT_INTERNAL_ERROR = 6    /* a bug in cnnrt or an unexpected oneDNN failure */
} cnnrt_status;

/* Element types; the numbers are ONNX's TensorProto.DataType. Which types
 * a model's inputs and outputs have is up to the model; most CNNs use
 * CNNRT_FLOAT32 only. */
typedef enum cnnrt_dtype {
  CNNRT_UNDEFINED = 0,
  CNNRT_FLOAT32 = 1,
  CNNRT_UINT8 = 2,
  CNNRT_INT8 = 3,
  CNNRT_UINT16 = 4,
  CNNRT_INT16 = 5,
  CNNRT_INT32 = 6,
  CNNRT_INT64 = 7,
  CNNRT_BOOL = 9, /* one byte per element, 0 or 1 */
  CNNRT_FLOAT16 = 10,
  CNNRT_FLOAT64 = 11,
  CNNRT_UINT32 = 12,
  CNNRT_UINT64 = 13,
  CNNRT_BFLOAT16 = 16 /* results of Cast can have any of these types */
} cnnrt_dtype;

/* Opaque handles. */
typedef struct cnnrt_model cnnrt_model;     /* a loaded model: immutable, shared by threads */
typedef struct cnnrt_session cnnrt_session; /* a model compiled to run: one thread at a time */
typedef struct cnnrt_blob cnnrt_blob;       /* a tensor read from a .pb file */

/*
 * A tensor passed to or returned from a run. Data is dense and row-major
 * (NCHW for images), with no padding between elements.
 *   Inputs:  name selects the model input (NULL: by position); dtype, rank,
 *            dims, data and size_bytes are the caller's and only read.
 *   Outputs: see cnnrt_session_run.
 */
typedef struct cnnrt_tensor {
  const char* name;
  cnnrt_dtype dtype;
  size_t rank;
  const int64_t* dims; /* rank entries */
  void* data;
  size_t size_bytes;   /* bytes at data */
} cnnrt_tensor;

/* Name, element type and shape of a model input, output or intermediate.
 * dims[i] is -1 where the size is only known at run time (e.g. a symbolic
 * batch dimension). Strings and arrays are owned by the model and valid
 * while its handle lives. */
typedef struct cnnrt_tensor_info {
  const char* name;
  cnnrt_dtype dtype;
  size_t rank;
  const int64_t* dims;
} cnnrt_tensor_info;

/* ---------------------------------------------------------------- library */

/* The library version as "major.minor.patch (oneDNN x.y.z)", for logs; the
 * numbers are those of the library actually loaded, which may differ from
 * this header's CNNRT_VERSION_* within one major version. Static storage,
 * never NULL. Thread safe. */
CNNRT_API const char* cnnrt_version(void);

/* The message of the most recent failed call on the calling thread, or ""
 * if none has failed yet; successful calls leave it unchanged. The string
 * belongs to the library and stays valid until the next failing call on
 * the same thread. Never NULL. Each thread has its own message. */
CNNRT_API const char* cnnrt_last_error(void);

/* The enumerator's name for a status code ("CNNRT_INVALID_MODEL"), or
 * "CNNRT_UNKNOWN_STATUS" for a number that is not one. Static storage,
 * never NULL. Thread safe. */
CNNRT_API const char* cnnrt_status_name(cnnrt_status status);

/* ---------------------------------------------------------------- supported operators */

/* One operator implementation in this build: ops in `domain` named
 * `op_type`, for model opset versions first_opset..last_opset (inclusive).
 * An operator whose versions differ in ways cnnrt handles separately has one
 * entry per range. Strings are static: valid for the life of the process. */
typedef struct cnnrt_op_info {
  const char* domain;  /* "ai.onnx" for ONNX's default domain (written "" in models) */
  const char* op_type; /* "Conv" */
  int first_opset;
  int last_opset;
} cnnrt_op_info;

/* Number of entries cnnrt_supported_op can return. The list is fixed when
 * the library is built. Thread safe. Fails only for a NULL count. */
CNNRT_API cnnrt_status cnnrt_supported_op_count(size_t* count);

/* Entry `index` (0-based) of the operators this build implements, sorted by
 * domain, op_type and first_opset. CNNRT_INVALID_ARGUMENT for an index out
 * of range or a NULL info. Thread safe. */
CNNRT_API cnnrt_status cnnrt_supported_op(size_t index, cnnrt_op_info* info);

/* ---------------------------------------------------------------- models */

/* Loads an ONNX model file: parses it, checks every node against the
 * operators above, infers shapes and folds constants. External data is read
 * from the file's folder (and never from outside it). On success *out is a
 * new model, to be freed with cnnrt_model_destroy; on failure *out is NULL.
 * Errors: CNNRT_IO_ERROR (cannot read the file), CNNRT_INVALID_MODEL
 * (malformed), CNNRT_UNSUPPORTED (an operator, opset, type or feature cnnrt
 * does not implement; the message names it), CNNRT_OUT_OF_MEMORY.
 * Thread safe. */
CNNRT_API cnnrt_status cnnrt_model_load_file(const char* path, cnnrt_model** out);

/* Loads an ONNX model from memory, as cnnrt_model_load_file does. The bytes
 * are copied, so the buffer may be freed after the call. Models with
 * external data must be loaded from a file (from memory they fail with
 * CNNRT_INVALID_MODEL: there is no folder to read the data from).
 * Thread safe. */
CNNRT_API cnnrt_status cnnrt_model_load_memory(const void* data, size_t size, cnnrt_model** out);

/* Frees a model handle and sets *model to NULL. NULL or *model == NULL is a
 * no-op. Sessions created from the model stay valid (they keep what they
 * need); strings and arrays obtained from the model handle do not. Must not
 * overlap with another call using the same model handle. */
CNNRT_API void cnnrt_model_destroy(cnnrt_model** model);

/* Number of inputs the caller feeds / outputs a run produces (not counting
 * session extra outputs). Initializers are not inputs. Thread safe. */
CNNRT_API cnnrt_status cnnrt_model_input_count(const cnnrt_model* model, size_t* count);
CNNRT_API cnnrt_status cnnrt_model_output_count(const cnnrt_model* model, size_t* count);

/* Describes input or output `index` (0-based, in the model's order). The
 * info's strings and arrays are owned by the model. CNNRT_INVALID_ARGUMENT
 * for an index out of range. Thread safe. */
CNNRT_API cnnrt_status cnnrt_model_input_info(const cnnrt_model* model, size_t index, cnnrt_tensor_info* info);
CNNRT_API cnnrt_status cnnrt_model_output_info(const cnnrt_model* model, size_t index, cnnrt_tensor_info* info);

/* Tensors a run computes (every node output left after constant folding, in
 * execution order, graph outputs included). Their names may be given as
 * session extra outputs to read them after a run. Owned by the model.
 * Thread safe. */
CNNRT_API cnnrt_status cnnrt_model_tensor_count(const cnnrt_model* model, size_t* count);
CNNRT_API cnnrt_status cnnrt_model_tensor_info(const cnnrt_model* model, size_t index, cnnrt_tensor_info* info);

/* Looks up the model's metadata_props entry `key` (e.g. labels a model
 * carries). *value is owned by the model; if the key is absent, returns
 * CNNRT_OK with *value = NULL. Thread safe. */
CNNRT_API cnnrt_status cnnrt_model_metadata(const cnnrt_model* model, const char* key, const char** value);

/* ---------------------------------------------------------------- sessions */

/* How convolutions are computed. */
typedef enum cnnrt_conv_algorithm {
  CNNRT_CONV_AUTO = 0,   /* the fastest that keeps FP32 accuracy */
  CNNRT_CONV_DIRECT = 1  /* always direct convolution: bit-stable FP32 */
} cnnrt_conv_algorithm;

/* Arithmetic precision. */
typedef enum cnnrt_precision {
  CNNRT_PRECISION_FP32 = 0, /* float32 throughout */
  CNNRT_PRECISION_BF16 = 1, /* convolutions and fully connected layers (Gemm with constant weights) in
                               bfloat16 (about 3 significant digits) where the CPU has AVX-512 BF16,
                               accumulating in float32; inputs and outputs stay float32 */
  CNNRT_PRECISION_INT8 = 2  /* post-training quantization: convolutions (but depthwise ones) in 8-bit
                               integers, fastest where the CPU has AVX-512 VNNI; inputs and outputs
                               stay float32. Needs calibration inputs (see below) */
} cnnrt_precision;

/* How a batch (a first dimension the model leaves free, above 1) runs. */
typedef enum cnnrt_batch_mode {
  CNNRT_BATCH_AUTO = 0,      /* image by image where the model allows it and is memory-bound enough
                                for that to be faster, else as one batch (the default) */
  CNNRT_BATCH_WHOLE = 1,     /* always as one batch */
  CNNRT_BATCH_PER_IMAGE = 2  /* image by image wherever the model allows it */
} cnnrt_batch_mode;

/* Session options. Initialise with cnnrt_session_options_init, then change
 * fields. struct_size lets the header and the library differ in version:
 * fields added later go at the end with 0 as their default; a library
 * reads only the first struct_size bytes, and a library older than the
 * header accepts the larger struct only while the fields it does not know
 * are 0 (CNNRT_UNSUPPORTED otherwise, rather than ignoring them). */
typedef struct cnnrt_session_options {
  size_t struct_size;                  /* sizeof(cnnrt_session_options) in the caller's header */
  int threads;                         /* worker threads for this session's runs; 0 (default): one per core */
  cnnrt_conv_algorithm conv_algorithm; /* default CNNRT_CONV_AUTO */
  int profile;                         /* non-zero: time every step (slower runs) */
  const char* const* extra_outputs;    /* intermediate tensor names to keep readable (copied at create) */
  size_t extra_output_count;           /* entries in extra_outputs */
  cnnrt_precision precision;           /* default CNNRT_PRECISION_FP32 */
  /* CNNRT_PRECISION_INT8 only (required there, refused otherwise): sample
   * inputs, calibration_count sets of one tensor per model input, set after
   * set (calibration_count x the model's input count tensors). Each set is
   * matched to the inputs as cnnrt_session_run's inputs are (by name, or
   * by position where name is NULL) and may have any shape a run accepts
   * (e.g. a batch of images). cnnrt_session_create runs the model in
   * float32 on every set and records, for each tensor a convolution reads,
   * its largest magnitude and whether it is ever negative: that range
   * becomes the tensor's quantization scale (u8 for tensors never
   * negative, s8 otherwise; weights get one s8 scale per output channel).
   * Use inputs like those the session will see (a few to a few hundred
   * real samples); values beyond the calibrated range saturate. Only read
   * during cnnrt_session_create. */
  const cnnrt_tensor* calibration_inputs;
  size_t calibration_count; /* input sets in calibration_inputs */
  /* The batch size to compile at creation: inputs whose first dimension
   * the model leaves free get this size there (other free dimensions get
   * 1). 0 (default) means 1. Set it to the batch the session will run, so
   * creation compiles that plan instead of one for batch 1 (which would
   * cost compile time and memory, e.g. a second set of transformed
   * weights, for a shape never run). 0..65536. */
  int64_t batch;
  /* A batch can run as one (each layer over all images, then the next
   * layer) or image by image with the batch-1 plan, which keeps each
   * layer's activations in cache but reads the weights once per image.
   * Image by image needs every op to compute each image from that image
   * alone (no op reducing, sorting or reshaping across the batch) and an
   * input batch the model leaves free; cnnrt checks this on the folded
   * graph and runs the batch whole otherwise. A session with several
   * threads runs that many images at once, each on one thread. Results
   * are the same either way up to float rounding. Default
   * CNNRT_BATCH_AUTO. */
  cnnrt_batch_mode batch_mode;
} cnnrt_session_options;

/* Fills *options with the defaults (every field 0) and struct_size with the
 * size this header knows. Inline, so the size is the application's, not
 * the library's. NULL is a no-op. */
static inline void cnnrt_session_options_init(cnnrt_session_options* options) {
  const cnnrt_session_options defaults = {sizeof(cnnrt_session_options), 0, CNNRT_CONV_AUTO, 0, NULL, 0,
                                             CNNRT_PRECISION_FP32, NULL, 0, 0, CNNRT_BATCH_AUTO};
  if (options) *options = defaults;
}

/* Creates a session for a model: its own memory arena, oneDNN stream and
 * worker-thread setting. options may be NULL for the defaults; the options
 * struct and its strings may be freed after the call. The model's declared
 * input shapes (symbolic dimensions taken as 1, but a free first
 * dimension as options->batch when set) are compiled now, so the first run
 * is fast; other shapes compile on their first run and stay
 * cached (the 8 most recently used shapes per session). On success *out is
 * a new session, to be freed with cnnrt_session_destroy; on failure NULL.
 * Errors: CNNRT_INVALID_ARGUMENT (bad options, such as a batch outside
 * 0..65536, an extra output the model
 * does not compute, CNNRT_PRECISION_INT8 without calibration inputs or
 * calibration inputs without it, a calibration tensor that does not fit
 * the model's inputs), CNNRT_UNSUPPORTED / CNNRT_INVALID_MODEL (a model
 * with fixed input shapes that cannot be compiled), CNNRT_OUT_OF_MEMORY.
 * Thread safe with respect to the model: any number of threads may create
 * sessions of one model at once. */
CNNRT_API cnnrt_status cnnrt_session_create(const cnnrt_model* model, const cnnrt_session_options* options,
                                            cnnrt_session** out);

/* Frees a session (and every result, plan text and profile string it
 * handed out) and sets *session to NULL. NULL or *session == NULL is a
 * no-op. Must not overlap with another call on the session. */
CNNRT_API void cnnrt_session_destroy(cnnrt_session** session);

/*
 * Runs the model once.
 *   inputs: exactly one per model input, each matched by name, or by its
 *     position in the array where name is NULL. dtype and rank must equal
 *     the model input's, and every dimension the model fixes must match
 *     (dimensions shown as -1 are free); size_bytes must cover the data.
 *     The input buffers are only read, and only during the call.
 *   outputs: up to cnnrt_session_output_count entries, or NULL with
 *     n_outputs = 0 to read results later with cnnrt_session_output.
 *     Entry i receives result i (graph outputs first, then extra outputs in
 *     the order requested) unless its name is set, which selects a result by
 *     name. If data is NULL on entry, it is set to session-owned memory valid
 *     until the session's next run or destruction; otherwise the result is
 *     copied there and size_bytes must be large enough. name, dtype, rank,
 *     dims (session-owned, valid as long as data) and size_bytes (the
 *     result's size) are set.
 * A new input shape is compiled (and planned) on its first run; later runs
 * at a shape seen before reuse that plan and arena and allocate nothing
 * (but oneDNN's small per-call argument maps).
 * Errors: CNNRT_INVALID_ARGUMENT for a wrong count, name, dtype, shape or
 * size of inputs, n_outputs or output names (nothing is run), or for an
 * output buffer that is too small (the run did happen: the message gives
 * the size needed, and every result is readable with cnnrt_session_output);
 * a new shape that cannot be compiled gives the compiler's status.
 * Runs of one session must not overlap; different sessions run in parallel.
 */
CNNRT_API cnnrt_status cnnrt_session_run(cnnrt_session* session, const cnnrt_tensor* inputs, size_t n_inputs,
                                         cnnrt_tensor* outputs, size_t n_outputs);

/* Number of results a run produces: model outputs + extra outputs. */
CNNRT_API cnnrt_status cnnrt_session_output_count(const cnnrt_session* session, size_t* count);

/* Result `index` of the last run, as session-owned memory valid until the
 * next run (fields set as for a NULL-data output of cnnrt_session_run).
 * CNNRT_INVALID_ARGUMENT before the first successful run, after a failed
 * run, or for an index out of range. */
CNNRT_API cnnrt_status cnnrt_session_output(const cnnrt_session* session, size_t index, cnnrt_tensor* out);

/* The memory plan for the input shapes of the last run (or, before any run,
 * those prepared at creation). Every intermediate tensor, layout conversion
 * and oneDNN scratchpad is a buffer with a lifetime (the steps from its
 * first write to its last read); buffers whose lifetimes do not overlap
 * share bytes of one arena. Sizes are rounded up to 64 bytes. A batch that
 * runs its first layers image by image and the rest as one batch has two
 * plans, run one after the other in the same arena: the figures combine
 * them (the larger arena and lower bound, the summed sizes and counts). */
typedef struct cnnrt_memory_plan {
  size_t arena_bytes;       /* the arena this plan needs */
  size_t total_bytes;       /* the sum of every buffer's size: the memory without reuse */
  size_t lower_bound_bytes; /* the most bytes alive at any one step: no plan can do better */
  size_t tensor_count;      /* planned buffers (intermediates, conversions, scratchpads) */
  size_t step_count;        /* primitives and kernels per run */
} cnnrt_memory_plan;

/* Fills *plan. The session's arena is the largest arena_bytes among the
 * shapes it has cached, and shapes share it. CNNRT_INVALID_ARGUMENT if no
 * shape has been prepared yet (a model with symbolic dimensions that could
 * not be compiled at 1, before its first run). */
CNNRT_API cnnrt_status cnnrt_session_memory_plan(const cnnrt_session* session, cnnrt_memory_plan* plan);

/* How many times the last run (or, before any run, the plan prepared at
 * creation) executes its first step: 1 when the batch runs as one, the
 * batch size when it runs image by image (cnnrt_session_options.batch_mode),
 * the whole graph or only its first layers. The steps that run image by
 * image are those of one image's plan: a session with T threads runs T
 * images at once, each in an arena of its own of that plan's size, and the
 * profile's times add up all images' runs of a step. */
CNNRT_API cnnrt_status cnnrt_session_runs_per_batch(const cnnrt_session* session, int64_t* runs);

/* How many times profile step `index` runs per run of the session: the
 * batch size for a step of the image-by-image part, else 1. Under the
 * automatic batch mode a batch may run its first layers image by image
 * (where activations are large and weights small) and the rest as one
 * batch; the profile then lists the first part's steps (batch-1 shapes),
 * then the rest's. CNNRT_INVALID_ARGUMENT for an index out of range. */
CNNRT_API cnnrt_status cnnrt_session_step_runs_per_batch(const cnnrt_session* session, size_t index,
                                                         int64_t* runs);

/* The same plan as text: one line per buffer (name, bytes, offset in the
 * arena, first-last step) and the totals. Owned by the session, valid until
 * the next cnnrt_session_plan_text call on it or its destruction. Errors as
 * for cnnrt_session_memory_plan. */
CNNRT_API cnnrt_status cnnrt_session_plan_text(cnnrt_session* session, const char** text);

/* One step of the plan for the last run's input shapes: a node's primitive
 * or kernel, or an inserted layout conversion. Strings are owned by the
 * session and valid until its next run. */
typedef struct cnnrt_profile_entry {
  const char* node;    /* node name */
  const char* op;      /* op type, "Reorder" for layout conversions, "Quantize" for int8 ones */
  const char* impl;    /* implementation (oneDNN's name, or cnnrt:...) */
  const char* shapes;  /* "in -> out" dims */
  double total_ms;     /* summed over the profiled runs at these shapes */
  int runs;            /* profiled runs of this step at these shapes (of one image each for a step
                          that runs image by image, see cnnrt_session_step_runs_per_batch); 0
                          unless the session has profile set */
  double flops;        /* per run; 0 where not counted */
} cnnrt_profile_entry;

/* Number of steps (0 before any shape is prepared), and step `index`.
 * Times are only measured for sessions created with profile set; otherwise
 * the entries still name each step and its implementation. */
CNNRT_API cnnrt_status cnnrt_session_profile_count(const cnnrt_session* session, size_t* count);
CNNRT_API cnnrt_status cnnrt_session_profile_entry(const cnnrt_session* session, size_t index,
                                                   cnnrt_profile_entry* entry);

/* ---------------------------------------------------------------- tensor files */

/* Reads a serialized ONNX TensorProto (input_0.pb in the ONNX backend test
 * layout) into a new blob, to be freed with cnnrt_blob_destroy. On failure
 * *out is NULL. Errors: CNNRT_IO_ERROR, CNNRT_INVALID_ARGUMENT (not a
 * serialized TensorProto), CNNRT_INVALID_MODEL (its fields disagree with
 * its shape), CNNRT_UNSUPPORTED (an element type cnnrt cannot hold),
 * CNNRT_OUT_OF_MEMORY. Thread safe. */
CNNRT_API cnnrt_status cnnrt_blob_read_file(const char* path, cnnrt_blob** out);

/* Views a blob as a tensor, ready to pass as a run input: name is the
 * TensorProto's name ("" if it has none; set it to NULL to bind by
 * position). Pointers are owned by the blob and valid until it is
 * destroyed; the data may be written. */
CNNRT_API cnnrt_status cnnrt_blob_tensor(const cnnrt_blob* blob, cnnrt_tensor* tensor);

/* Frees a blob and sets *blob to NULL; NULL or *blob == NULL is a no-op. */
CNNRT_API void cnnrt_blob_destroy(cnnrt_blob** blob);

#ifdef __cplusplus
}
#endif

#endif /* CNNRT_H */
