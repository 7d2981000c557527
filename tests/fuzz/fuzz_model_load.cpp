// libFuzzer target: arbitrary bytes as an ONNX model, through the public C
// API as a service would use it — load from memory, query everything, plan a
// session and, when the plan is small, run it once on inputs made from the
// same bytes. Any status is fine; a crash, a leak, a hang, undefined
// behaviour or a failure without a message is a bug.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cnnrt.h"

namespace {

// Runs are attempted only for plans this small, so one input stays fast.
constexpr size_t kMaxRunArena = size_t{64} << 20;
constexpr size_t kMaxRunInputBytes = size_t{1} << 20;
constexpr double kMaxRunFlops = 2e7;

void require(bool ok) {
  if (!ok) std::abort();  // a broken promise of the API: report it as a crash
}

// A failed call must say why.
void expect_message(cnnrt_status s) {
  if (s != CNNRT_OK) require(cnnrt_last_error()[0] != '\0');
}

size_t dtype_size(cnnrt_dtype t) {
  switch (t) {
    case CNNRT_FLOAT32: case CNNRT_INT32: case CNNRT_UINT32: return 4;
    case CNNRT_UINT8: case CNNRT_INT8: case CNNRT_BOOL: return 1;
    case CNNRT_UINT16: case CNNRT_INT16: case CNNRT_FLOAT16: case CNNRT_BFLOAT16: return 2;
    case CNNRT_INT64: case CNNRT_FLOAT64: case CNNRT_UINT64: return 8;
    default: return 0;
  }
}

struct InputDesc {
  std::string name;
  cnnrt_dtype dtype;
  std::vector<int64_t> dims;  // symbolic dims as 1: the shapes the session planned for
};

std::vector<InputDesc> describe_inputs(const cnnrt_model* m) {
  size_t n = 0;
  require(cnnrt_model_input_count(m, &n) == CNNRT_OK);
  std::vector<InputDesc> out(n);
  for (size_t i = 0; i < n; ++i) {
    cnnrt_tensor_info info;
    require(cnnrt_model_input_info(m, i, &info) == CNNRT_OK);
    out[i].name = info.name;
    out[i].dtype = info.dtype;
    for (size_t k = 0; k < info.rank; ++k) out[i].dims.push_back(info.dims[k] < 0 ? 1 : info.dims[k]);
  }
  return out;
}

void query_model(const cnnrt_model* m) {
  size_t n = 0;
  cnnrt_tensor_info info;
  require(cnnrt_model_input_count(m, &n) == CNNRT_OK);
  for (size_t i = 0; i <= n; ++i) require((cnnrt_model_input_info(m, i, &info) == CNNRT_OK) == (i < n));
  require(cnnrt_model_output_count(m, &n) == CNNRT_OK);
  for (size_t i = 0; i <= n; ++i) require((cnnrt_model_output_info(m, i, &info) == CNNRT_OK) == (i < n));
  require(cnnrt_model_tensor_count(m, &n) == CNNRT_OK);
  for (size_t i = 0; i < n; ++i) require(cnnrt_model_tensor_info(m, i, &info) == CNNRT_OK);
  const char* value = nullptr;
  require(cnnrt_model_metadata(m, "author", &value) == CNNRT_OK);
}

// Runs the session once if its plan is small; inputs are filled from `data`.
void maybe_run(cnnrt_session* s, const std::vector<InputDesc>& decl, const uint8_t* data, size_t size) {
  cnnrt_memory_plan plan;
  if (cnnrt_session_memory_plan(s, &plan) != CNNRT_OK || plan.arena_bytes > kMaxRunArena) return;
  size_t steps = 0;
  require(cnnrt_session_profile_count(s, &steps) == CNNRT_OK);
  double flops = 0;
  for (size_t i = 0; i < steps; ++i) {
    cnnrt_profile_entry e;
    require(cnnrt_session_profile_entry(s, i, &e) == CNNRT_OK);
    flops += e.flops;
  }
  if (flops > kMaxRunFlops) return;

  const size_t n = decl.size();
  std::vector<cnnrt_tensor> inputs(n);
  std::vector<std::vector<uint8_t>> buffers(n);
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t count = 1;
    for (int64_t d : decl[i].dims) {
      if (d > 0 && count > kMaxRunInputBytes / static_cast<size_t>(d)) return;
      count *= static_cast<size_t>(d);
    }
    const size_t bytes = count * dtype_size(decl[i].dtype);
    if (bytes > kMaxRunInputBytes - total) return;
    total += bytes;
    buffers[i].resize(bytes);
    for (size_t b = 0; b < bytes; ++b) buffers[i][b] = size ? data[(b * 131 + i) % size] : 0;
    inputs[i] = {decl[i].name.c_str(), decl[i].dtype, decl[i].dims.size(), decl[i].dims.data(), buffers[i].data(), bytes};
  }
  const cnnrt_status st = cnnrt_session_run(s, inputs.data(), n, nullptr, 0);
  expect_message(st);
  if (st != CNNRT_OK) return;
  size_t outs = 0;
  require(cnnrt_session_output_count(s, &outs) == CNNRT_OK);
  for (size_t i = 0; i < outs; ++i) {
    cnnrt_tensor t;
    std::memset(&t, 0, sizeof t);
    require(cnnrt_session_output(s, i, &t) == CNNRT_OK);
    // Touch every byte: a result pointing outside its buffer shows up here.
    volatile uint8_t sink = 0;
    for (size_t b = 0; b < t.size_bytes; ++b) sink ^= static_cast<const uint8_t*>(t.data)[b];
    (void)sink;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cnnrt_model* model = nullptr;
  const cnnrt_status loaded = cnnrt_model_load_memory(size ? data : reinterpret_cast<const uint8_t*>(""), size, &model);
  expect_message(loaded);
  if (loaded != CNNRT_OK) {
    require(model == nullptr);
    return 0;
  }
  query_model(model);
  const std::vector<InputDesc> decl = describe_inputs(model);

  // Odd-sized inputs also keep every intermediate readable (a different
  // fusion and planning path).
  std::vector<const char*> extra;
  if (size % 2) {
    size_t n = 0;
    require(cnnrt_model_tensor_count(model, &n) == CNNRT_OK);
    for (size_t i = 0; i < n && i < 64; ++i) {
      cnnrt_tensor_info info;
      require(cnnrt_model_tensor_info(model, i, &info) == CNNRT_OK);
      extra.push_back(info.name);
    }
  }
  cnnrt_session_options options;
  cnnrt_session_options_init(&options);
  options.threads = 1;
  options.profile = 1;
  options.extra_outputs = extra.data();
  options.extra_output_count = extra.size();
  cnnrt_session* session = nullptr;
  const cnnrt_status created = cnnrt_session_create(model, &options, &session);
  expect_message(created);
  // The session keeps the model's data alive on its own.
  cnnrt_model* doomed = model;
  if (created == CNNRT_OK && (size % 3) == 0) cnnrt_model_destroy(&doomed);
  if (created == CNNRT_OK) {
    maybe_run(session, decl, data, size);
    const char* text = nullptr;
    expect_message(cnnrt_session_plan_text(session, &text));
  }
  cnnrt_session_destroy(&session);
  cnnrt_model_destroy(&doomed);
  return 0;
}
