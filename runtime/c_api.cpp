// The C API: handles wrap the C++ objects; every entry point validates its
// arguments, converts Status to cnnrt_status, records the message in a
// thread-local, and lets no exception escape.
#include "cnnrt.h"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <tuple>
#include <vector>

#include "loaders/onnx_loader.h"
#include "loaders/onnx_tensor.h"
#include "loaders/regular_file.h"
#include "runtime/model.h"
#include "runtime/op_registry.h"
#include "runtime/planner.h"
#include "runtime/session.h"

using namespace cnnrt;

// Live handles carry a tag; destroy clears it, so a destroyed handle passed
// again is usually caught (not always: the memory may be reused).
constexpr uint32_t kModelTag = 0x4d4f444cu;    // "MODL"
constexpr uint32_t kSessionTag = 0x53455353u;  // "SESS"
constexpr uint32_t kBlobTag = 0x424c4f42u;     // "BLOB"

struct cnnrt_model {
  uint32_t tag = kModelTag;
  std::shared_ptr<const Model> model;
};

struct cnnrt_session {
  uint32_t tag = kSessionTag;
  std::unique_ptr<Session> session;
  std::vector<std::string> output_names;  // graph outputs, then extra outputs: checked before a run
  bool has_run = false;
  std::string plan_text;
  // Per-run bookkeeping, kept so a run at known shapes allocates nothing.
  std::vector<InputBinding> bind;
  std::vector<char> given;
  std::vector<size_t> selected;
};

struct cnnrt_blob {
  uint32_t tag = kBlobTag;
  TensorPtr tensor;
  std::string name;
};

namespace {

thread_local std::string t_last_error;

cnnrt_status to_c(StatusCode code) { return static_cast<cnnrt_status>(static_cast<int>(code)); }

cnnrt_status fail(const Status& s) {
  t_last_error = s.message();
  return to_c(s.code());
}

cnnrt_status fail(cnnrt_status code, const std::string& message) {
  t_last_error = message;
  return code;
}

// Runs `body` (returning cnnrt_status), turning any escaping exception into
// a status: nothing crosses the C boundary.
template <class F>
cnnrt_status guarded(const char* fn, F body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(CNNRT_OUT_OF_MEMORY, cat(fn, ": out of memory"));
  } catch (const std::exception& e) {
    return fail(CNNRT_INTERNAL_ERROR, cat(fn, ": unexpected error: ", e.what()));
  } catch (...) {
    return fail(CNNRT_INTERNAL_ERROR, cat(fn, ": unexpected error"));
  }
}

// A C caller may store any int in an enum field (C allows it); in C++,
// loading an enum object whose value is outside the enumerators' range is
// undefined, so enum arguments are read as their int bytes.
template <class E>
int enum_value(const E& e) {
  static_assert(sizeof(E) == sizeof(int), "C enums are int-sized here");
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

bool valid(const cnnrt_model* m) { return m && m->tag == kModelTag && m->model; }
bool valid(const cnnrt_session* s) { return s && s->tag == kSessionTag && s->session; }
bool valid(const cnnrt_blob* b) { return b && b->tag == kBlobTag && b->tensor; }

cnnrt_status bad_handle(const char* fn, const char* what) {
  return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": ", what, " is NULL or not a live handle"));
}

void fill_info(const TensorInfo& t, cnnrt_tensor_info* info) {
  info->name = t.name.c_str();
  info->dtype = static_cast<cnnrt_dtype>(t.dtype);
  info->rank = t.dims.size();
  info->dims = t.dims.data();
}

cnnrt_status info_at(const char* fn, const cnnrt_model* model, const std::vector<TensorInfo>& list, size_t index,
                     cnnrt_tensor_info* info) {
  if (!info) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": info is NULL"));
  if (index >= list.size())
    return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": index ", index, " is out of range (count ", list.size(), ")"));
  (void)model;
  fill_info(list[index], info);
  return CNNRT_OK;
}

void describe_output(const Session& s, size_t i, cnnrt_tensor* out) {
  const ProgTensor& t = s.output_tensor(i);
  out->name = t.name.c_str();
  out->dtype = static_cast<cnnrt_dtype>(t.dtype);
  out->rank = t.dims.size();
  out->dims = t.dims.data();
  out->size_bytes = t.bytes;
}

// The registry's entries in the documented order (domain, op type, first
// opset); built once, like the registry itself.
const std::vector<const OpDef*>& sorted_ops() {
  static const std::vector<const OpDef*> ops = [] {
    std::vector<const OpDef*> v;
    for (const OpDef& d : op_registry().all()) v.push_back(&d);
    std::sort(v.begin(), v.end(), [](const OpDef* a, const OpDef* b) {
      return std::tie(a->domain, a->op_type, a->first_opset) < std::tie(b->domain, b->op_type, b->first_opset);
    });
    return v;
  }();
  return ops;
}

// Reads the caller's options struct whatever its version: struct_size says
// how many bytes the caller's header knows. Bytes beyond the fields this
// library knows must be zero (new fields default to 0), so an option the
// library cannot honour is refused instead of ignored.
cnnrt_status copy_options(const cnnrt_session_options* in, cnnrt_session_options* out) {
  // The fields of 0.1; calibration_inputs and calibration_count came later
  // (a caller built against the older header gets them as 0).
  constexpr size_t kFirstVersionSize = offsetof(cnnrt_session_options, calibration_inputs);
  if (in->struct_size < kFirstVersionSize)
    return fail(CNNRT_INVALID_ARGUMENT, cat("cnnrt_session_create: options->struct_size ", in->struct_size,
                                            " is too small (use cnnrt_session_options_init)"));
  if (in->struct_size > (size_t{1} << 16))
    return fail(CNNRT_INVALID_ARGUMENT, cat("cnnrt_session_create: options->struct_size ", in->struct_size,
                                            " is not a size (use cnnrt_session_options_init)"));
  const auto* bytes = reinterpret_cast<const unsigned char*>(in);
  for (size_t i = sizeof(cnnrt_session_options); i < in->struct_size; ++i)
    if (bytes[i] != 0)
      return fail(CNNRT_UNSUPPORTED, cat("cnnrt_session_create: the options set a field this library version (",
                                         cnnrt_version(), ") does not know (byte ", i, " of ", in->struct_size,
                                         " is not 0)"));
  std::memset(out, 0, sizeof(cnnrt_session_options));
  std::memcpy(out, in, std::min(in->struct_size, sizeof(cnnrt_session_options)));
  return CNNRT_OK;
}

// Binds n tensors to the model's inputs (by name, or by position where the
// name is NULL): one each, with the input's dtype, rank and fixed dims and
// enough bytes. `fn` starts the messages of this function's own checks.
// Builds no string unless it fails (runs must not allocate).
Status bind_inputs(const char* fn, const Model& model, const cnnrt_tensor* tensors, size_t n,
                   std::vector<InputBinding>& bind, std::vector<char>& given) {
  const auto& decl = model.inputs();
  if (n != decl.size()) return invalid_argument(fn, ": the model has ", decl.size(), " inputs, got ", n);
  bind.resize(decl.size());
  given.assign(decl.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    const cnnrt_tensor& t = tensors[i];
    size_t slot = i;
    if (t.name) {
      slot = decl.size();
      for (size_t k = 0; k < decl.size(); ++k)
        if (decl[k].name == t.name) slot = k;
      if (slot == decl.size()) return invalid_argument(fn, ": the model has no input named '", t.name, "'");
    }
    if (given[slot]) return invalid_argument(fn, ": input '", decl[slot].name, "' is given twice");
    given[slot] = 1;
    if (t.rank && !t.dims)
      return invalid_argument(fn, ": input '", decl[slot].name, "' has rank ", t.rank, " but dims is NULL");
    if (t.rank > 64) return invalid_argument(fn, ": input '", decl[slot].name, "' rank ", t.rank, " is absurd");
    InputBinding& b = bind[slot];
    b.data = t.data;
    b.dtype = static_cast<DType>(enum_value(t.dtype));
    b.dims.assign(t.dims, t.dims + t.rank);
    // Type, rank and shape first: a wrong one also makes the size wrong,
    // and the size would be the less helpful message.
    CNNRT_RETURN_IF_ERROR(check_model_input(model, slot, b));
    size_t need = 0;
    if (fits_bytes(b.dims, b.dtype, &need) && t.size_bytes < need)
      return invalid_argument(fn, ": input '", decl[slot].name, "' has size_bytes ", t.size_bytes, ", but shape ",
                              dims_str(b.dims), " needs ", need);
  }
  return ok_status();
}

// The calibration input sets of int8 options, bound to the model's inputs.
cnnrt_status bind_calibration(const cnnrt_session_options& o, const Model& model,
                              std::vector<std::vector<InputBinding>>* sets) {
  const char* fn = "cnnrt_session_create";
  const bool int8 = enum_value(o.precision) == CNNRT_PRECISION_INT8;
  if (!o.calibration_count) {
    if (int8)
      return fail(CNNRT_INVALID_ARGUMENT,
                  cat(fn, ": CNNRT_PRECISION_INT8 needs calibration inputs (calibration_inputs, calibration_count > 0):"
                          " sample inputs on which the model's float ranges are measured to choose its int8 scales"));
    return CNNRT_OK;
  }
  if (!int8)
    return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": calibration_inputs are only used with CNNRT_PRECISION_INT8"));
  if (!o.calibration_inputs) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": calibration_inputs is NULL"));
  const size_t per_set = model.inputs().size();
  if (per_set && o.calibration_count > (size_t{1} << 40) / per_set)
    return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": calibration_count ", o.calibration_count, " is absurd"));
  sets->resize(o.calibration_count);
  std::vector<char> given;
  for (size_t k = 0; k < o.calibration_count; ++k) {
    const std::string where = cat(fn, ": calibration set ", k);
    Status st = bind_inputs(where.c_str(), model, o.calibration_inputs + k * per_set, per_set, (*sets)[k], given);
    if (!st.ok()) return fail(st.message().rfind(where, 0) == 0 ? st : st.with_prefix(where + ": "));
  }
  return CNNRT_OK;
}

// The result a run's output entry i selects: by name if set, else by position.
cnnrt_status select_output(const char* fn, const cnnrt_session* session, const cnnrt_tensor& o, size_t i,
                           size_t* index) {
  const auto& names = session->output_names;
  if (!o.name) {
    *index = i;
    return CNNRT_OK;
  }
  for (size_t k = 0; k < names.size(); ++k)
    if (names[k] == o.name) {
      *index = k;
      return CNNRT_OK;
    }
  return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": outputs[", i, "] names '", o.name, "', which is not one of the ",
                                          names.size(), " results (model outputs and extra outputs)"));
}

cnnrt_status finish_load(Result<Graph> graph, cnnrt_model** out) {
  if (!graph.ok()) return fail(graph.status());
  auto model = Model::create(std::move(graph).value());
  if (!model.ok()) return fail(model.status());
  auto* handle = new cnnrt_model();
  handle->model = std::move(model).value();
  *out = handle;
  return CNNRT_OK;
}

}  // namespace

extern "C" {

const char* cnnrt_version(void) {
  static const std::string v = cat(CNNRT_VERSION_MAJOR, ".", CNNRT_VERSION_MINOR, ".", CNNRT_VERSION_PATCH,
                                   " (oneDNN ", DNNL_VERSION_MAJOR, ".", DNNL_VERSION_MINOR, ".",
                                   DNNL_VERSION_PATCH, ")");
  return v.c_str();
}

const char* cnnrt_last_error(void) { return t_last_error.c_str(); }

const char* cnnrt_status_name(cnnrt_status status) {
  switch (enum_value(status)) {
    case CNNRT_OK: return "CNNRT_OK";
    case CNNRT_INVALID_ARGUMENT: return "CNNRT_INVALID_ARGUMENT";
    case CNNRT_INVALID_MODEL: return "CNNRT_INVALID_MODEL";
    case CNNRT_UNSUPPORTED: return "CNNRT_UNSUPPORTED";
    case CNNRT_IO_ERROR: return "CNNRT_IO_ERROR";
    case CNNRT_OUT_OF_MEMORY: return "CNNRT_OUT_OF_MEMORY";
    case CNNRT_INTERNAL_ERROR: return "CNNRT_INTERNAL_ERROR";
  }
  return "CNNRT_UNKNOWN_STATUS";
}

cnnrt_status cnnrt_supported_op_count(size_t* count) {
  return guarded("cnnrt_supported_op_count", [&] {
    if (!count) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_supported_op_count: count is NULL");
    *count = sorted_ops().size();
    return CNNRT_OK;
  });
}

cnnrt_status cnnrt_supported_op(size_t index, cnnrt_op_info* info) {
  return guarded("cnnrt_supported_op", [&] {
    const char* fn = "cnnrt_supported_op";
    if (!info) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": info is NULL"));
    const auto& ops = sorted_ops();
    if (index >= ops.size())
      return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": index ", index, " is out of range (count ", ops.size(), ")"));
    const OpDef& d = *ops[index];
    info->domain = d.domain.empty() ? "ai.onnx" : d.domain.c_str();
    info->op_type = d.op_type.c_str();
    info->first_opset = d.first_opset;
    info->last_opset = d.last_opset;
    return CNNRT_OK;
  });
}

cnnrt_status cnnrt_model_load_file(const char* path, cnnrt_model** out) {
  return guarded("cnnrt_model_load_file", [&] {
    if (!out) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_model_load_file: out is NULL");
    *out = nullptr;
    if (!path) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_model_load_file: path is NULL");
    return finish_load(load_onnx_file(path), out);
  });
}

cnnrt_status cnnrt_model_load_memory(const void* data, size_t size, cnnrt_model** out) {
  return guarded("cnnrt_model_load_memory", [&] {
    if (!out) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_model_load_memory: out is NULL");
    *out = nullptr;
    if (!data) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_model_load_memory: data is NULL");
    return finish_load(load_onnx_bytes(data, size, "<memory>", ""), out);
  });
}

void cnnrt_model_destroy(cnnrt_model** model) {
  if (!model || !*model) return;
  if ((*model)->tag == kModelTag) {
    (*model)->tag = 0;
    delete *model;
  }
  *model = nullptr;
}

cnnrt_status cnnrt_model_input_count(const cnnrt_model* model, size_t* count) {
  if (!valid(model)) return bad_handle("cnnrt_model_input_count", "model");
  if (!count) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_model_input_count: count is NULL");
  *count = model->model->inputs().size();
  return CNNRT_OK;
}

cnnrt_status cnnrt_model_output_count(const cnnrt_model* model, size_t* count) {
  if (!valid(model)) return bad_handle("cnnrt_model_output_count", "model");
  if (!count) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_model_output_count: count is NULL");
  *count = model->model->outputs().size();
  return CNNRT_OK;
}

cnnrt_status cnnrt_model_input_info(const cnnrt_model* model, size_t index, cnnrt_tensor_info* info) {
  if (!valid(model)) return bad_handle("cnnrt_model_input_info", "model");
  return info_at("cnnrt_model_input_info", model, model->model->inputs(), index, info);
}

cnnrt_status cnnrt_model_output_info(const cnnrt_model* model, size_t index, cnnrt_tensor_info* info) {
  if (!valid(model)) return bad_handle("cnnrt_model_output_info", "model");
  return info_at("cnnrt_model_output_info", model, model->model->outputs(), index, info);
}

cnnrt_status cnnrt_model_tensor_count(const cnnrt_model* model, size_t* count) {
  if (!valid(model)) return bad_handle("cnnrt_model_tensor_count", "model");
  if (!count) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_model_tensor_count: count is NULL");
  *count = model->model->intermediates().size();
  return CNNRT_OK;
}

cnnrt_status cnnrt_model_tensor_info(const cnnrt_model* model, size_t index, cnnrt_tensor_info* info) {
  if (!valid(model)) return bad_handle("cnnrt_model_tensor_info", "model");
  return info_at("cnnrt_model_tensor_info", model, model->model->intermediates(), index, info);
}

cnnrt_status cnnrt_model_metadata(const cnnrt_model* model, const char* key, const char** value) {
  if (!valid(model)) return bad_handle("cnnrt_model_metadata", "model");
  if (!key || !value) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_model_metadata: key or value is NULL");
  const std::string* v = model->model->metadata(key);
  *value = v ? v->c_str() : nullptr;
  return CNNRT_OK;
}

cnnrt_status cnnrt_session_create(const cnnrt_model* model, const cnnrt_session_options* options,
                                  cnnrt_session** out) {
  return guarded("cnnrt_session_create", [&] {
    if (!out) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_session_create: out is NULL");
    *out = nullptr;
    if (!valid(model)) return bad_handle("cnnrt_session_create", "model");
    SessionOptions opts;
    cnnrt_session_options copied;
    if (options) {
      const cnnrt_status st = copy_options(options, &copied);
      if (st != CNNRT_OK) return st;
      options = &copied;
      if (options->threads < 0)
        return fail(CNNRT_INVALID_ARGUMENT, cat("cnnrt_session_create: threads must be >= 0, got ", options->threads));
      opts.threads = options->threads;
      switch (enum_value(options->conv_algorithm)) {
        case CNNRT_CONV_AUTO: opts.compile.conv_algorithm = CompileOptions::ConvAlgorithm::automatic; break;
        case CNNRT_CONV_DIRECT: opts.compile.conv_algorithm = CompileOptions::ConvAlgorithm::direct; break;
        default:
          return fail(CNNRT_INVALID_ARGUMENT,
                      cat("cnnrt_session_create: unknown conv_algorithm ", enum_value(options->conv_algorithm)));
      }
      switch (enum_value(options->precision)) {
        case CNNRT_PRECISION_FP32: opts.compile.precision = CompileOptions::Precision::fp32; break;
        case CNNRT_PRECISION_BF16: opts.compile.precision = CompileOptions::Precision::bf16; break;
        case CNNRT_PRECISION_INT8: opts.compile.precision = CompileOptions::Precision::int8; break;
        default:
          return fail(CNNRT_INVALID_ARGUMENT,
                      cat("cnnrt_session_create: unknown precision ", enum_value(options->precision)));
      }
      const cnnrt_status cal = bind_calibration(*options, *model->model, &opts.calibration);
      if (cal != CNNRT_OK) return cal;
      opts.profile = options->profile != 0;
      if (options->batch < 0 || options->batch > kMaxInitialBatch)
        return fail(CNNRT_INVALID_ARGUMENT, cat("cnnrt_session_create: batch must be 0..", kMaxInitialBatch,
                                                " (0: 1), got ", options->batch));
      if (options->batch > 0) opts.initial_batch = options->batch;
      switch (enum_value(options->batch_mode)) {
        case CNNRT_BATCH_AUTO: opts.batch_mode = SessionOptions::BatchMode::automatic; break;
        case CNNRT_BATCH_WHOLE: opts.batch_mode = SessionOptions::BatchMode::whole; break;
        case CNNRT_BATCH_PER_IMAGE: opts.batch_mode = SessionOptions::BatchMode::per_image; break;
        default:
          return fail(CNNRT_INVALID_ARGUMENT,
                      cat("cnnrt_session_create: unknown batch_mode ", enum_value(options->batch_mode)));
      }
      if (options->extra_output_count && !options->extra_outputs)
        return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_session_create: extra_outputs is NULL");
      for (size_t i = 0; i < options->extra_output_count; ++i) {
        if (!options->extra_outputs[i])
          return fail(CNNRT_INVALID_ARGUMENT, cat("cnnrt_session_create: extra_outputs[", i, "] is NULL"));
        opts.extra_outputs.emplace_back(options->extra_outputs[i]);
      }
    }
    auto s = Session::create(model->model, opts);
    if (!s.ok()) return fail(s.status());
    auto handle = std::make_unique<cnnrt_session>();
    for (const TensorInfo& t : model->model->outputs()) handle->output_names.push_back(t.name);
    for (const std::string& name : opts.extra_outputs) handle->output_names.push_back(name);
    handle->selected.reserve(handle->output_names.size());
    handle->bind.resize(model->model->inputs().size());
    handle->given.reserve(model->model->inputs().size());
    handle->session = std::move(s).value();
    *out = handle.release();
    return CNNRT_OK;
  });
}

void cnnrt_session_destroy(cnnrt_session** session) {
  if (!session || !*session) return;
  if ((*session)->tag == kSessionTag) {
    (*session)->tag = 0;
    delete *session;
  }
  *session = nullptr;
}

cnnrt_status cnnrt_session_run(cnnrt_session* session, const cnnrt_tensor* inputs, size_t n_inputs,
                               cnnrt_tensor* outputs, size_t n_outputs) {
  return guarded("cnnrt_session_run", [&] {
    const char* fn = "cnnrt_session_run";
    if (!valid(session)) return bad_handle(fn, "session");
    // Any failed run leaves no readable results (see cnnrt_session_output).
    session->has_run = false;
    if (n_inputs && !inputs) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": inputs is NULL"));
    if (n_outputs && !outputs) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": outputs is NULL"));
    Session& s = *session->session;
    std::vector<InputBinding>& bind = session->bind;
    if (Status st = bind_inputs(fn, s.model(), inputs, n_inputs, bind, session->given); !st.ok()) return fail(st);
    // Everything the caller got wrong is refused before running.
    if (n_outputs > session->output_names.size())
      return fail(CNNRT_INVALID_ARGUMENT,
                  cat(fn, ": asked for ", n_outputs, " outputs, the session produces ", session->output_names.size()));
    std::vector<size_t>& selected = session->selected;
    selected.resize(n_outputs);
    for (size_t i = 0; i < n_outputs; ++i) {
      const cnnrt_status sel = select_output(fn, session, outputs[i], i, &selected[i]);
      if (sel != CNNRT_OK) return sel;
    }
    Status st = s.run(bind);
    if (!st.ok()) return fail(st);
    // The run happened: its results stay readable even if copying one into
    // a caller's buffer fails below (too small).
    session->has_run = true;
    for (size_t i = 0; i < n_outputs; ++i) {
      cnnrt_tensor& o = outputs[i];
      const size_t index = selected[i];
      const size_t bytes = s.output_tensor(index).bytes;
      if (o.data) {
        if (o.size_bytes < bytes)
          return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": output '", s.output_tensor(index).name, "' needs ", bytes,
                                                  " bytes, the buffer has ", o.size_bytes));
        if (bytes) std::memcpy(o.data, s.output_data(index), bytes);
      } else {
        o.data = const_cast<void*>(s.output_data(index));
      }
      describe_output(s, index, &o);
    }
    return CNNRT_OK;
  });
}

cnnrt_status cnnrt_session_output_count(const cnnrt_session* session, size_t* count) {
  if (!valid(session)) return bad_handle("cnnrt_session_output_count", "session");
  if (!count) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_session_output_count: count is NULL");
  *count = session->session->num_outputs();
  return CNNRT_OK;
}

cnnrt_status cnnrt_session_output(const cnnrt_session* session, size_t index, cnnrt_tensor* out) {
  const char* fn = "cnnrt_session_output";
  if (!valid(session)) return bad_handle(fn, "session");
  if (!out) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": out is NULL"));
  if (!session->has_run) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": the session has no successful run yet"));
  const Session& s = *session->session;
  if (index >= s.num_outputs())
    return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": index ", index, " is out of range (count ", s.num_outputs(), ")"));
  out->data = const_cast<void*>(s.output_data(index));
  describe_output(s, index, out);
  return CNNRT_OK;
}

cnnrt_status cnnrt_session_memory_plan(const cnnrt_session* session, cnnrt_memory_plan* plan) {
  const char* fn = "cnnrt_session_memory_plan";
  if (!valid(session)) return bad_handle(fn, "session");
  if (!plan) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": plan is NULL"));
  if (!session->session->program()) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": no plan yet (run the session first)"));
  const Session::MemorySummary m = session->session->memory_summary();
  plan->arena_bytes = m.arena_bytes;
  plan->total_bytes = m.total_bytes;
  plan->lower_bound_bytes = m.lower_bound_bytes;
  plan->tensor_count = m.tensor_count;
  plan->step_count = m.step_count;
  return CNNRT_OK;
}

cnnrt_status cnnrt_session_runs_per_batch(const cnnrt_session* session, int64_t* runs) {
  const char* fn = "cnnrt_session_runs_per_batch";
  if (!valid(session)) return bad_handle(fn, "session");
  if (!runs) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": runs is NULL"));
  if (!session->session->program()) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": no plan yet (run the session first)"));
  *runs = session->session->images_per_run();
  return CNNRT_OK;
}

cnnrt_status cnnrt_session_step_runs_per_batch(const cnnrt_session* session, size_t index, int64_t* runs) {
  const char* fn = "cnnrt_session_step_runs_per_batch";
  if (!valid(session)) return bad_handle(fn, "session");
  if (!runs) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": runs is NULL"));
  if (index >= session->session->step_count())
    return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": index ", index, " is out of range"));
  *runs = session->session->step(index).runs_per_batch;
  return CNNRT_OK;
}

cnnrt_status cnnrt_session_plan_text(cnnrt_session* session, const char** text) {
  return guarded("cnnrt_session_plan_text", [&] {
    const char* fn = "cnnrt_session_plan_text";
    if (!valid(session)) return bad_handle(fn, "session");
    if (!text) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": text is NULL"));
    if (!session->session->program()) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": no plan yet (run the session first)"));
    session->plan_text = session->session->plan_text();
    *text = session->plan_text.c_str();
    return CNNRT_OK;
  });
}

cnnrt_status cnnrt_session_profile_count(const cnnrt_session* session, size_t* count) {
  if (!valid(session)) return bad_handle("cnnrt_session_profile_count", "session");
  if (!count) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_session_profile_count: count is NULL");
  *count = session->session->step_count();
  return CNNRT_OK;
}

cnnrt_status cnnrt_session_profile_entry(const cnnrt_session* session, size_t index, cnnrt_profile_entry* entry) {
  const char* fn = "cnnrt_session_profile_entry";
  if (!valid(session)) return bad_handle(fn, "session");
  if (!entry) return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": entry is NULL"));
  if (index >= session->session->step_count())
    return fail(CNNRT_INVALID_ARGUMENT, cat(fn, ": index ", index, " is out of range"));
  const Session::StepView view = session->session->step(index);
  const Step& s = *view.step;
  const StepTiming& t = *view.timing;
  entry->node = s.node_name.c_str();
  entry->op = s.op_type.c_str();
  entry->impl = s.impl.c_str();
  entry->shapes = s.shapes.c_str();
  entry->total_ms = t.ms;
  entry->runs = t.runs;
  entry->flops = s.flops;
  return CNNRT_OK;
}

cnnrt_status cnnrt_blob_read_file(const char* path, cnnrt_blob** out) {
  return guarded("cnnrt_blob_read_file", [&] {
    if (!out) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_blob_read_file: out is NULL");
    *out = nullptr;
    if (!path) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_blob_read_file: path is NULL");
    // Only regular files: a FIFO would block, /dev/zero would never end.
    auto file = RegularFile::open(path);
    if (!file.ok()) return fail(file.status().with_prefix(cat(path, ": ")));
    if (file.value().size() > (uint64_t{1} << 31)) return fail(CNNRT_OUT_OF_MEMORY, cat(path, ": file is over 2 GiB"));
    std::string bytes;
    if (Status st = file.value().read(0, static_cast<size_t>(file.value().size()), &bytes); !st.ok())
      return fail(st.with_prefix(cat(path, ": ")));
    std::string name;
    auto t = decode_tensor_bytes(bytes.data(), bytes.size(), &name);
    if (!t.ok()) return fail(t.status().with_prefix(cat(path, ": ")));
    auto* b = new cnnrt_blob();
    b->tensor = t.value();
    b->name = name;
    *out = b;
    return CNNRT_OK;
  });
}

cnnrt_status cnnrt_blob_tensor(const cnnrt_blob* blob, cnnrt_tensor* tensor) {
  if (!valid(blob)) return bad_handle("cnnrt_blob_tensor", "blob");
  if (!tensor) return fail(CNNRT_INVALID_ARGUMENT, "cnnrt_blob_tensor: tensor is NULL");
  tensor->name = blob->name.c_str();
  tensor->dtype = static_cast<cnnrt_dtype>(blob->tensor->dtype);
  tensor->rank = blob->tensor->dims.size();
  tensor->dims = blob->tensor->dims.data();
  tensor->data = const_cast<void*>(blob->tensor->data());
  tensor->size_bytes = blob->tensor->bytes;
  return CNNRT_OK;
}

void cnnrt_blob_destroy(cnnrt_blob** blob) {
  if (!blob || !*blob) return;
  if ((*blob)->tag == kBlobTag) {
    (*blob)->tag = 0;
    delete *blob;
  }
  *blob = nullptr;
}

}  // extern "C"
