// cnnrt-run: runs models and checks them against reference outputs.
//
//   cnnrt-run DIR...        folders in the ONNX backend test layout
//                           (model.onnx, test_data_set_N/input_K.pb, output_K.pb)
//   cnnrt-run MODEL.onnx    one run on generated inputs; prints the outputs
//
// Built on the public C API only.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cnnrt.h"

namespace fs = std::filesystem;

namespace {

struct Options {
  std::vector<std::string> paths;
  double rtol = 1e-4, atol = 1e-5;
  int threads = 0;
  bool plan = false, profile = false, direct = false;
  int64_t batch = 1;
};

struct Blob {
  cnnrt_blob* blob = nullptr;
  ~Blob() { cnnrt_blob_destroy(&blob); }
};

struct Handles {
  cnnrt_model* model = nullptr;
  cnnrt_session* session = nullptr;
  ~Handles() {
    cnnrt_session_destroy(&session);
    cnnrt_model_destroy(&model);
  }
};

std::string dims_str(size_t rank, const int64_t* dims) {
  std::string s = "[";
  for (size_t i = 0; i < rank; ++i) s += (i ? "," : "") + (dims[i] < 0 ? std::string("?") : std::to_string(dims[i]));
  return s + "]";
}

size_t element_count(const cnnrt_tensor& t) {
  size_t n = 1;
  for (size_t i = 0; i < t.rank; ++i) n *= static_cast<size_t>(t.dims[i]);
  return n;
}

// Element i of a tensor as double, for comparison; false for types we do not compare.
bool element(const cnnrt_tensor& t, size_t i, double* out) {
  const auto* p = static_cast<const unsigned char*>(t.data);
  switch (t.dtype) {
    case CNNRT_FLOAT32: *out = reinterpret_cast<const float*>(p)[i]; return true;
    case CNNRT_FLOAT64: *out = reinterpret_cast<const double*>(p)[i]; return true;
    case CNNRT_INT64: *out = static_cast<double>(reinterpret_cast<const int64_t*>(p)[i]); return true;
    case CNNRT_INT32: *out = reinterpret_cast<const int32_t*>(p)[i]; return true;
    case CNNRT_INT8: *out = reinterpret_cast<const int8_t*>(p)[i]; return true;
    case CNNRT_UINT8:
    case CNNRT_BOOL: *out = p[i]; return true;
    default: break;
  }
  // Types without a named constant in cnnrt.h, by their ONNX numbers.
  switch (static_cast<int>(t.dtype)) {
    case 4: *out = reinterpret_cast<const uint16_t*>(p)[i]; return true;  // uint16
    case 5: *out = reinterpret_cast<const int16_t*>(p)[i]; return true;   // int16
    case 12: *out = reinterpret_cast<const uint32_t*>(p)[i]; return true;  // uint32
    case 13: *out = static_cast<double>(reinterpret_cast<const uint64_t*>(p)[i]); return true;  // uint64
    default: return false;
  }
}

struct Comparison {
  bool ok = true;
  double max_abs = 0, max_rel = 0;
  std::string problem;
};

// numpy.allclose semantics per element: |got - want| <= atol + rtol * |want|;
// NaN matches NaN.
Comparison compare(const cnnrt_tensor& got, const cnnrt_tensor& want, const Options& o) {
  Comparison c;
  if (got.rank != want.rank || !std::equal(got.dims, got.dims + got.rank, want.dims)) {
    c.ok = false;
    c.problem = "shape " + dims_str(got.rank, got.dims) + " but the reference is " + dims_str(want.rank, want.dims);
    return c;
  }
  const size_t n = element_count(want);
  for (size_t i = 0; i < n; ++i) {
    double g = 0, w = 0;
    if (!element(got, i, &g) || !element(want, i, &w)) {
      c.ok = false;
      c.problem = "element type " + std::to_string(got.dtype) + " cannot be compared";
      return c;
    }
    if (std::isnan(w) || std::isnan(g)) {
      if (std::isnan(w) != std::isnan(g)) {
        c.ok = false;
        c.max_abs = INFINITY;
      }
      continue;
    }
    if (std::isinf(w) || std::isinf(g)) {
      if (g != w) {
        c.ok = false;
        c.max_abs = INFINITY;
      }
      continue;
    }
    const double diff = std::fabs(g - w);
    c.max_abs = std::max(c.max_abs, diff);
    if (w != 0) c.max_rel = std::max(c.max_rel, diff / std::fabs(w));
    if (diff > o.atol + o.rtol * std::fabs(w)) c.ok = false;
  }
  return c;
}

std::vector<fs::path> sorted_entries(const fs::path& dir, const std::string& prefix, bool dirs) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && e.is_directory() == dirs) out.push_back(e.path());
  }
  // Numeric order: input_2 before input_10.
  auto number = [&](const fs::path& p) {
    const std::string s = p.stem().string().substr(prefix.size());
    return std::atol(s.c_str());
  };
  std::sort(out.begin(), out.end(), [&](const fs::path& a, const fs::path& b) { return number(a) < number(b); });
  return out;
}

cnnrt_status open_model(const std::string& path, const Options& o, Handles& h) {
  cnnrt_status s = cnnrt_model_load_file(path.c_str(), &h.model);
  if (s != CNNRT_OK) return s;
  cnnrt_session_options so;
  cnnrt_session_options_init(&so);
  so.threads = o.threads;
  so.profile = o.profile;
  so.conv_algorithm = o.direct ? CNNRT_CONV_DIRECT : CNNRT_CONV_AUTO;
  return cnnrt_session_create(h.model, &so, &h.session);
}

void print_plan_and_profile(Handles& h, const Options& o) {
  if (o.plan) {
    const char* text = nullptr;
    if (cnnrt_session_plan_text(h.session, &text) == CNNRT_OK) std::printf("%s", text);
  }
  if (o.profile) {
    size_t n = 0;
    cnnrt_session_profile_count(h.session, &n);
    double total = 0;
    std::vector<cnnrt_profile_entry> entries(n);
    for (size_t i = 0; i < n; ++i) {
      cnnrt_session_profile_entry(h.session, i, &entries[i]);
      if (entries[i].runs) total += entries[i].total_ms / entries[i].runs;
    }
    std::printf("%-28s %-12s %-28s %10s %6s  %s\n", "node", "op", "implementation", "ms/run", "share", "shapes");
    for (const auto& e : entries) {
      const double ms = e.runs ? e.total_ms / e.runs : 0;
      std::printf("%-28.28s %-12.12s %-28.28s %10.4f %5.1f%%  %s\n", e.node, e.op, e.impl, ms,
                  total > 0 ? 100 * ms / total : 0, e.shapes);
    }
    std::printf("total %.4f ms/run over %zu steps\n", total, n);
  }
}

// Runs one test set; returns true if every output matches.
bool run_test_set(Handles& h, const fs::path& set, const Options& o, const std::string& label) {
  size_t n_inputs = 0, n_outputs = 0;
  cnnrt_model_input_count(h.model, &n_inputs);
  cnnrt_model_output_count(h.model, &n_outputs);
  const auto input_files = sorted_entries(set, "input_", false);
  const auto output_files = sorted_entries(set, "output_", false);
  std::vector<Blob> in_blobs(input_files.size()), out_blobs(output_files.size());
  std::vector<cnnrt_tensor> inputs(input_files.size());
  for (size_t i = 0; i < input_files.size(); ++i) {
    if (cnnrt_blob_read_file(input_files[i].c_str(), &in_blobs[i].blob) != CNNRT_OK) {
      std::printf("FAIL %s: %s\n", label.c_str(), cnnrt_last_error());
      return false;
    }
    cnnrt_blob_tensor(in_blobs[i].blob, &inputs[i]);
    // Bind by name when the file names a model input, else by position.
    bool named = false;
    for (size_t k = 0; k < n_inputs && inputs[i].name[0]; ++k) {
      cnnrt_tensor_info info;
      cnnrt_model_input_info(h.model, k, &info);
      named = named || std::strcmp(info.name, inputs[i].name) == 0;
    }
    if (!named) inputs[i].name = nullptr;
  }
  std::vector<cnnrt_tensor> got(n_outputs);
  std::memset(got.data(), 0, got.size() * sizeof(cnnrt_tensor));
  if (cnnrt_session_run(h.session, inputs.data(), inputs.size(), got.data(), got.size()) != CNNRT_OK) {
    std::printf("FAIL %s: %s\n", label.c_str(), cnnrt_last_error());
    return false;
  }
  bool ok = true;
  double max_abs = 0, max_rel = 0;
  std::string problems;
  for (size_t i = 0; i < output_files.size(); ++i) {
    cnnrt_tensor want;
    if (cnnrt_blob_read_file(output_files[i].c_str(), &out_blobs[i].blob) != CNNRT_OK) {
      std::printf("FAIL %s: %s\n", label.c_str(), cnnrt_last_error());
      return false;
    }
    cnnrt_blob_tensor(out_blobs[i].blob, &want);
    size_t index = i;
    for (size_t k = 0; k < got.size() && want.name[0]; ++k)
      if (std::strcmp(got[k].name, want.name) == 0) index = k;
    if (index >= got.size()) {
      ok = false;
      problems += " reference " + output_files[i].filename().string() + " has no matching output;";
      continue;
    }
    const Comparison c = compare(got[index], want, o);
    max_abs = std::max(max_abs, c.max_abs);
    max_rel = std::max(max_rel, c.max_rel);
    if (!c.ok) {
      ok = false;
      problems += " output '" + std::string(got[index].name) + "'" + (c.problem.empty() ? "" : ": " + c.problem) + ";";
    }
  }
  std::printf("%s %s  max abs %.3g  max rel %.3g%s\n", ok ? "PASS" : "FAIL", label.c_str(), max_abs, max_rel,
              problems.c_str());
  return ok;
}

// One run of a bare model on generated inputs (uniform [0,1) floats, zeros
// for integers); prints each output's shape and leading values.
bool run_bare_model(const std::string& path, const Options& o) {
  Handles h;
  const auto start = std::chrono::steady_clock::now();
  if (open_model(path, o, h) != CNNRT_OK) {
    std::printf("FAIL %s: %s\n", path.c_str(), cnnrt_last_error());
    return false;
  }
  const double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  size_t n_inputs = 0;
  cnnrt_model_input_count(h.model, &n_inputs);
  std::vector<std::vector<int64_t>> dims(n_inputs);
  std::vector<std::vector<unsigned char>> data(n_inputs);
  std::vector<cnnrt_tensor> inputs(n_inputs);
  uint32_t seed = 12345;
  for (size_t i = 0; i < n_inputs; ++i) {
    cnnrt_tensor_info info;
    cnnrt_model_input_info(h.model, i, &info);
    size_t count = 1;
    for (size_t k = 0; k < info.rank; ++k) {
      dims[i].push_back(info.dims[k] >= 0 ? info.dims[k] : (k == 0 ? o.batch : 1));
      count *= static_cast<size_t>(dims[i].back());
    }
    size_t esize = info.dtype == CNNRT_FLOAT32 || info.dtype == CNNRT_INT32 ? 4
                   : info.dtype == CNNRT_INT64 || info.dtype == CNNRT_FLOAT64 ? 8 : 1;
    data[i].assign(count * esize, 0);
    if (info.dtype == CNNRT_FLOAT32) {
      auto* f = reinterpret_cast<float*>(data[i].data());
      for (size_t k = 0; k < count; ++k) {
        seed = seed * 1664525u + 1013904223u;
        f[k] = static_cast<float>(seed >> 8) / 16777216.0f;
      }
    }
    inputs[i] = {info.name, info.dtype, info.rank, dims[i].data(), data[i].data(), data[i].size()};
    std::printf("input  %s %s\n", info.name, dims_str(info.rank, dims[i].data()).c_str());
  }
  const auto run_start = std::chrono::steady_clock::now();
  if (cnnrt_session_run(h.session, inputs.data(), inputs.size(), nullptr, 0) != CNNRT_OK) {
    std::printf("FAIL %s: %s\n", path.c_str(), cnnrt_last_error());
    return false;
  }
  const double run_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - run_start).count();
  size_t n_out = 0;
  cnnrt_session_output_count(h.session, &n_out);
  for (size_t i = 0; i < n_out; ++i) {
    cnnrt_tensor t;
    cnnrt_session_output(h.session, i, &t);
    std::printf("output %s %s:", t.name, dims_str(t.rank, t.dims).c_str());
    const size_t n = std::min<size_t>(element_count(t), 8);
    for (size_t k = 0; k < n; ++k) {
      double v = 0;
      element(t, k, &v);
      std::printf(" %.6g", v);
    }
    std::printf("%s\n", element_count(t) > n ? " ..." : "");
  }
  std::printf("load %.2f ms, first run %.2f ms\n", load_ms, run_ms);
  print_plan_and_profile(h, o);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"cnnrt-run: run ONNX models with cnnrt and check them against reference outputs.\n"
               "Each PATH is a folder in the ONNX backend test layout (model.onnx and test_data_set_N/\n"
               "with input_K.pb and output_K.pb), or a model file run once on generated inputs."};
  app.add_option("paths", o.paths, "Test folders or .onnx files")->required()->check(CLI::ExistingPath);
  app.add_option("--rtol", o.rtol, "Relative tolerance (numpy.allclose)")->capture_default_str();
  app.add_option("--atol", o.atol, "Absolute tolerance (numpy.allclose)")->capture_default_str();
  app.add_option("--threads", o.threads, "Threads per session (0: all cores)")->capture_default_str();
  app.add_option("--batch", o.batch, "Value for a dynamic first dimension when running a bare model")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_flag("--plan", o.plan, "Print the memory plan");
  app.add_flag("--profile", o.profile, "Print per-step times");
  app.add_flag("--direct", o.direct, "Force direct convolution (bit-stable FP32)");
  app.set_version_flag("--version", std::string(cnnrt_version()));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  int passed = 0, failed = 0, refused = 0;
  for (const std::string& p : o.paths) {
    if (!fs::is_directory(p)) {
      (run_bare_model(p, o) ? passed : failed)++;
      continue;
    }
    const fs::path dir(p);
    Handles h;
    const std::string model = (dir / "model.onnx").string();
    const cnnrt_status s = open_model(model, o, h);
    if (s != CNNRT_OK) {
      std::printf("FAIL %s: %s\n", p.c_str(), cnnrt_last_error());
      (s == CNNRT_UNSUPPORTED ? refused : failed)++;
      continue;
    }
    const auto sets = sorted_entries(dir, "test_data_set_", true);
    if (sets.empty()) {
      std::printf("FAIL %s: no test_data_set_* folders\n", p.c_str());
      failed++;
      continue;
    }
    for (const auto& set : sets) {
      const std::string label = dir.filename().string() + "/" + set.filename().string();
      (run_test_set(h, set, o, label) ? passed : failed)++;
    }
    print_plan_and_profile(h, o);
  }
  std::printf("%d passed, %d failed\n", passed, failed + refused);
  if (failed) return 1;
  return refused ? 3 : 0;
}
