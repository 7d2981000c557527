#include "support/run_model.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace cnnrt::test {

HostTensor HostTensor::floats(std::string name, std::vector<int64_t> dims, std::vector<float> values) {
  HostTensor t;
  t.name = std::move(name);
  t.dims = std::move(dims);
  t.f = std::move(values);
  return t;
}

HostTensor HostTensor::ints(std::string name, std::vector<int64_t> dims, std::vector<int64_t> values) {
  HostTensor t;
  t.name = std::move(name);
  t.dtype = CNNRT_INT64;
  t.dims = std::move(dims);
  t.i64 = std::move(values);
  return t;
}

size_t HostTensor::count() const { return element_count(dims); }

Handles::~Handles() {
  cnnrt_session_destroy(&session);
  cnnrt_model_destroy(&model);
}

namespace {

// One field of every profile entry of `session`.
std::vector<std::string> profile_column(const cnnrt_session* session, const char* cnnrt_profile_entry::*field) {
  std::vector<std::string> column;
  size_t steps = 0;
  cnnrt_session_profile_count(session, &steps);
  for (size_t i = 0; i < steps; ++i) {
    cnnrt_profile_entry e;
    if (cnnrt_session_profile_entry(session, i, &e) == CNNRT_OK) column.push_back(e.*field);
  }
  return column;
}

}  // namespace

std::vector<std::string> Handles::step_ops() const { return profile_column(session, &cnnrt_profile_entry::op); }

std::vector<std::string> Handles::step_impls() const { return profile_column(session, &cnnrt_profile_entry::impl); }

namespace {

RunResult failure(cnnrt_status s) {
  RunResult r;
  r.status = s;
  r.error = cnnrt_last_error();
  return r;
}

}  // namespace

RunResult load_model(const std::string& model_bytes) {
  Handles h;
  cnnrt_status s = cnnrt_model_load_memory(model_bytes.data(), model_bytes.size(), &h.model);
  if (s != CNNRT_OK) return failure(s);
  s = cnnrt_session_create(h.model, nullptr, &h.session);
  if (s != CNNRT_OK) return failure(s);
  return RunResult();
}

RunResult run_model(const std::string& model_bytes, const std::vector<HostTensor>& inputs, const RunOptions& options) {
  Handles h;
  cnnrt_status s = cnnrt_model_load_memory(model_bytes.data(), model_bytes.size(), &h.model);
  if (s != CNNRT_OK) return failure(s);
  std::vector<const char*> extra;
  for (const auto& e : options.extra_outputs) extra.push_back(e.c_str());
  cnnrt_session_options so;
  cnnrt_session_options_init(&so);
  so.threads = options.threads;
  so.conv_algorithm = options.conv_algorithm;
  so.precision = options.precision;
  so.extra_outputs = extra.data();
  so.extra_output_count = extra.size();
  so.profile = options.profile ? 1 : 0;
  so.batch_mode = options.batch_mode;
  s = cnnrt_session_create(h.model, &so, &h.session);
  if (s != CNNRT_OK) return failure(s);

  std::vector<cnnrt_tensor> in(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const HostTensor& t = inputs[i];
    in[i].name = t.name.c_str();
    in[i].dtype = t.dtype;
    in[i].rank = t.dims.size();
    in[i].dims = t.dims.data();
    if (t.dtype == CNNRT_FLOAT32) {
      in[i].data = const_cast<float*>(t.f.data());
      in[i].size_bytes = t.f.size() * sizeof(float);
    } else if (t.dtype == CNNRT_INT64) {
      in[i].data = const_cast<int64_t*>(t.i64.data());
      in[i].size_bytes = t.i64.size() * sizeof(int64_t);
    } else {
      in[i].data = const_cast<uint8_t*>(t.raw.data());
      in[i].size_bytes = t.raw.size();
    }
  }
  s = cnnrt_session_run(h.session, in.data(), in.size(), nullptr, 0);
  if (s != CNNRT_OK) return failure(s);

  RunResult r;
  size_t n = 0;
  cnnrt_session_output_count(h.session, &n);
  for (size_t i = 0; i < n; ++i) {
    cnnrt_tensor o;
    std::memset(&o, 0, sizeof o);
    cnnrt_session_output(h.session, i, &o);
    HostTensor t;
    t.name = o.name;
    t.dtype = o.dtype;
    t.dims.assign(o.dims, o.dims + o.rank);
    if (o.dtype == CNNRT_FLOAT32) {
      t.f.resize(o.size_bytes / sizeof(float));
      if (o.size_bytes) std::memcpy(t.f.data(), o.data, o.size_bytes);
    } else if (o.dtype == CNNRT_INT64) {
      t.i64.resize(o.size_bytes / sizeof(int64_t));
      if (o.size_bytes) std::memcpy(t.i64.data(), o.data, o.size_bytes);
    } else {
      t.raw.resize(o.size_bytes);
      if (o.size_bytes) std::memcpy(t.raw.data(), o.data, o.size_bytes);
    }
    r.outputs.push_back(std::move(t));
  }
  if (options.profile) {
    r.step_ops = h.step_ops();
    r.step_impls = h.step_impls();
    for (size_t i = 0; i < r.step_ops.size(); ++i) {
      int64_t runs = 0;
      cnnrt_session_step_runs_per_batch(h.session, i, &runs);
      r.step_runs.push_back(runs);
    }
  }
  cnnrt_session_runs_per_batch(h.session, &r.runs_per_batch);
  return r;
}

size_t element_count(const std::vector<int64_t>& dims) {
  size_t n = 1;
  for (int64_t d : dims) n *= static_cast<size_t>(d);
  return n;
}

std::vector<float> random_floats(size_t n, uint32_t seed, float lo, float hi) {
  std::vector<float> v(n);
  uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  for (auto& x : v) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    x = lo + (hi - lo) * static_cast<float>(state >> 40) / static_cast<float>(1 << 24);
  }
  return v;
}

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = std::fabs(static_cast<double>(a[i]) - b[i]);
    if (std::isnan(d)) return std::numeric_limits<double>::infinity();
    m = std::max(m, d);
  }
  return m;
}

}  // namespace cnnrt::test
