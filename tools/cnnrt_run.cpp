// cnnrt-run: runs models and checks them against reference outputs.
//
//   cnnrt-run DIR...        folders in the ONNX backend test layout
//                           (model.onnx, test_data_set_N/input_K.pb, output_K.pb)
//   cnnrt-run MODEL.onnx    one run on generated inputs; prints the outputs
//   --int8 [--calibrate SET...]  int8 sessions; a folder without --calibrate
//                           calibrates on its own test sets (and says so)
//
// Outputs are compared element by element, numpy.allclose style (--atol,
// --rtol), or against a bound scaled by each reference output's largest
// magnitude (--atol-scale), as suites of whole networks with unnormalised
// logits need; --topk also requires the same top-K classes in each row.
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
#include "common/calibration_sets.h"
#include "common/profile.h"
#include "common/session_flags.h"

namespace fs = std::filesystem;

namespace {

struct Options {
  std::vector<std::string> paths;
  double rtol = 1e-4, atol = 1e-5;
  double atol_scale = 0;  // > 0: atol = atol_scale * max|reference| per output, rtol 0
  int topk = 0;           // > 0: the K largest values of each row must be the same classes, in order
  int threads = 0;
  bool plan = false, profile = false, direct = false, bf16 = false, int8 = false;
  std::vector<std::string> calibrate;  // --int8: input sets to calibrate on
  const cnnrt_tools::CalibrationSets* calibration = nullptr;
  int64_t batch = 1;
  std::string batch_mode = "auto";
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

// IEEE half and bfloat16 bits as float (exact).
float half_to_float(uint16_t h) {
  const int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  const float sign = (h & 0x8000) ? -1.0f : 1.0f;
  if (exp == 0) return sign * std::ldexp(static_cast<float>(mant), -24);
  if (exp == 31) return mant ? NAN : sign * INFINITY;
  return sign * std::ldexp(static_cast<float>(mant | 0x400), exp - 25);
}

float bfloat16_to_float(uint16_t h) {
  const uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// Element i of a tensor as double, for comparison; false for types we do not compare.
bool element(const cnnrt_tensor& t, size_t i, double* out) {
  const auto* p = static_cast<const unsigned char*>(t.data);
  switch (t.dtype) {
    case CNNRT_FLOAT16: *out = half_to_float(reinterpret_cast<const uint16_t*>(p)[i]); return true;
    case CNNRT_BFLOAT16: *out = bfloat16_to_float(reinterpret_cast<const uint16_t*>(p)[i]); return true;
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
  double max_ref = 0;  // largest finite |reference| element
  bool same_top = true;  // --topk: the same classes in every row
  std::string problem;
};

// The largest finite |element| of a tensor (0 if none or not comparable).
double max_magnitude(const cnnrt_tensor& t) {
  double m = 0, v = 0;
  const size_t n = element_count(t);
  for (size_t i = 0; i < n && element(t, i, &v); ++i)
    if (std::isfinite(v)) m = std::max(m, std::fabs(v));
  return m;
}

// Indices of the k largest values of one row, largest first; ties go to the
// lower index and NaN ranks last, so equal inputs give equal lists.
std::vector<size_t> top_k(const cnnrt_tensor& t, size_t row, size_t row_size, size_t k) {
  std::vector<double> v(row_size);
  for (size_t i = 0; i < row_size; ++i) element(t, row * row_size + i, &v[i]);
  std::vector<size_t> idx(row_size);
  for (size_t i = 0; i < row_size; ++i) idx[i] = i;
  k = std::min(k, row_size);
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(), [&](size_t a, size_t b) {
    const bool nan_a = std::isnan(v[a]), nan_b = std::isnan(v[b]);
    if (nan_a != nan_b) return nan_b;
    if (!nan_a && v[a] != v[b]) return v[a] > v[b];
    return a < b;
  });
  idx.resize(k);
  return idx;
}

std::string num_str(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string list_str(const std::vector<size_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

// Rows are the first dimension ([N, classes, ...] classifier outputs); each
// row's top-K indices must agree. Names the first row that differs.
bool same_top_k(const cnnrt_tensor& got, const cnnrt_tensor& want, size_t k, std::string* problem) {
  const size_t n = element_count(want);
  const size_t rows = want.rank >= 2 ? static_cast<size_t>(want.dims[0]) : 1;
  if (n == 0 || rows == 0) return true;
  const size_t row_size = n / rows;
  for (size_t r = 0; r < rows; ++r) {
    const auto g = top_k(got, r, row_size, k), w = top_k(want, r, row_size, k);
    if (g != w) {
      *problem = "top-" + std::to_string(k) + " of row " + std::to_string(r) + " is " + list_str(g) +
                 " but the reference has " + list_str(w);
      return false;
    }
  }
  return true;
}

// Per element: |got - want| <= atol + rtol * |want| (numpy.allclose), where
// with --atol-scale atol is that factor times the reference's largest
// magnitude and rtol is 0. NaN matches NaN. With --topk, also the classes.
Comparison compare(const cnnrt_tensor& got, const cnnrt_tensor& want, const Options& o) {
  Comparison c;
  if (got.rank != want.rank || !std::equal(got.dims, got.dims + got.rank, want.dims)) {
    c.ok = false;
    c.same_top = o.topk <= 0;
    c.problem = "shape " + dims_str(got.rank, got.dims) + " but the reference is " + dims_str(want.rank, want.dims);
    return c;
  }
  double probe = 0;
  if (element_count(want) > 0 && (!element(got, 0, &probe) || !element(want, 0, &probe))) {
    c.ok = false;
    c.same_top = o.topk <= 0;
    c.problem = "element type " + std::to_string(got.dtype) + " cannot be compared";
    return c;
  }
  c.max_ref = max_magnitude(want);
  const double atol = o.atol_scale > 0 ? o.atol_scale * c.max_ref : o.atol;
  const double rtol = o.atol_scale > 0 ? 0.0 : o.rtol;
  const size_t n = element_count(want);
  for (size_t i = 0; i < n; ++i) {
    double g = 0, w = 0;
    element(got, i, &g);
    element(want, i, &w);
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
    if (diff > atol + rtol * std::fabs(w)) c.ok = false;
  }
  if (!c.ok) c.problem = "beyond tolerance (atol " + num_str(atol) + ", rtol " + num_str(rtol) + ")";
  std::string top_problem;
  if (o.topk > 0 && !same_top_k(got, want, static_cast<size_t>(o.topk), &top_problem)) {
    c.ok = false;
    c.same_top = false;
    c.problem += (c.problem.empty() ? "" : "; ") + top_problem;
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
  cnnrt_session_options so = cnnrt_tools::session_options_from_flags(o.threads, o.profile, o.direct, o.bf16, o.int8);
  so.batch_mode = cnnrt_tools::batch_mode_from_flag(o.batch_mode);
  if (o.int8) o.calibration->apply(&so);
  return cnnrt_session_create(h.model, &so, &h.session);
}

void print_plan_and_profile(Handles& h, const Options& o) {
  if (o.plan) {
    const char* text = nullptr;
    if (cnnrt_session_plan_text(h.session, &text) == CNNRT_OK) std::printf("%s", text);
  }
  if (o.profile) {
    // Per run of the session: a step that runs image by image runs once
    // per image of the batch.
    const std::vector<cnnrt_tools::ProfileStep> profile = cnnrt_tools::read_profile(h.session);
    const size_t n = profile.size();
    double total = 0;
    for (const auto& s : profile) total += s.ms;
    std::printf("%-28s %-12s %-28s %10s %6s  %s\n", "node", "op", "implementation", "ms/run", "share", "shapes");
    for (const auto& s : profile) {
      const cnnrt_profile_entry& e = s.entry;
      std::printf("%-28.28s %-12.12s %-28.28s %10.4f %5.1f%%  %s\n", e.node, e.op, e.impl, s.ms,
                  total > 0 ? 100 * s.ms / total : 0, e.shapes);
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
  const auto start = std::chrono::steady_clock::now();
  if (cnnrt_session_run(h.session, inputs.data(), inputs.size(), got.data(), got.size()) != CNNRT_OK) {
    std::printf("FAIL %s: %s\n", label.c_str(), cnnrt_last_error());
    return false;
  }
  const double run_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  bool ok = true;
  double max_abs = 0, max_rel = 0, max_scaled = 0;
  bool same_top = true;
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
      problems += (problems.empty() ? ": " : "; ") + std::string("reference ") + output_files[i].filename().string() +
                  " has no matching output";
      continue;
    }
    const Comparison c = compare(got[index], want, o);
    max_abs = std::max(max_abs, c.max_abs);
    max_rel = std::max(max_rel, c.max_rel);
    max_scaled = std::max(max_scaled, c.max_ref > 0 ? c.max_abs / c.max_ref : c.max_abs > 0 ? INFINITY : 0.0);
    same_top = same_top && c.same_top;
    if (!c.ok) {
      ok = false;
      problems += (problems.empty() ? ": " : "; ") + std::string("output '") + got[index].name + "'" +
                  (c.problem.empty() ? "" : " " + c.problem);
    }
  }
  // "abs/max|ref|" is the largest error relative to its output's largest
  // reference magnitude (what --atol-scale bounds); "run" includes any
  // compilation the input shapes need.
  std::string top;
  if (o.topk > 0) top = "  top" + std::to_string(o.topk) + (same_top ? " same" : " differ");
  std::printf("%s %s  max abs %.3g  max rel %.3g  abs/max|ref| %.3g%s  run %.1f ms%s\n", ok ? "PASS" : "FAIL",
              label.c_str(), max_abs, max_rel, max_scaled, top.c_str(), run_ms, problems.c_str());
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
  auto* rtol = app.add_option("--rtol", o.rtol, "Relative tolerance (numpy.allclose)")->capture_default_str();
  auto* atol = app.add_option("--atol", o.atol, "Absolute tolerance (numpy.allclose)")->capture_default_str();
  app.add_option("--atol-scale", o.atol_scale,
                 "Instead of --atol/--rtol: each element within S x the largest |value| of its reference output\n"
                 "(rtol 0), e.g. 1e-4 for logits of any scale")
      ->option_text("S")
      ->check(CLI::PositiveNumber)
      ->excludes(rtol)
      ->excludes(atol);
  app.add_option("--topk", o.topk,
                 "Also require the K largest values of each row (first dimension) of every output to be the\n"
                 "same indices in the same order as the reference's; both lists are printed if not")
      ->option_text("K")
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", o.threads, "Threads per session (0: all cores)")->capture_default_str();
  app.add_option("--batch", o.batch, "Value for a dynamic first dimension when running a bare model")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cnnrt_tools::add_batch_mode_option(app, &o.batch_mode);
  app.add_flag("--plan", o.plan, "Print the memory plan");
  app.add_flag("--profile", o.profile, "Print per-step times");
  app.add_flag("--direct", o.direct, "Force direct convolution (bit-stable FP32)");
  auto* bf16 = app.add_flag("--bf16", o.bf16, "Run convolutions and fully connected layers (Gemm with constant weights) in bfloat16");
  auto* int8 = app.add_flag("--int8", o.int8,
                            "Run convolutions in 8-bit integers (post-training quantization), calibrated on\n"
                            "--calibrate; without it, a test folder calibrates on its own test_data_set_* inputs\n"
                            "(the evaluated inputs themselves: an optimistic accuracy) and says so")
                   ->excludes(bf16);
  app.add_option("--calibrate", o.calibrate,
                 "With --int8: one calibration input set per PATH, a folder with input_K.pb files\n"
                 "(e.g. another model's or a held-out test_data_set) or one .pb file for a one-input model.\n"
                 "Required for a bare .onnx model")
      ->option_text("PATH...")
      ->check(CLI::ExistingPath)
      ->needs(int8);
  app.set_version_flag("--version", std::string(cnnrt_version()));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  cnnrt_tools::CalibrationSets calibration;
  if (o.int8 && !o.calibrate.empty()) {
    std::string error;
    if (!calibration.read(o.calibrate, &error)) {
      std::fprintf(stderr, "cnnrt-run: --calibrate: %s\n", error.c_str());
      return 2;
    }
    o.calibration = &calibration;
  }

  int passed = 0, failed = 0, refused = 0;
  for (const std::string& p : o.paths) {
    if (!fs::is_directory(p)) {
      if (o.int8 && !o.calibration) {
        std::printf("FAIL %s: --int8 on a bare model needs --calibrate (it has no sample inputs of its own)\n",
                    p.c_str());
        failed++;
        continue;
      }
      if (o.int8) std::printf("calibration: %zu sets from --calibrate\n", o.calibration->count());
      (run_bare_model(p, o) ? passed : failed)++;
      continue;
    }
    const fs::path dir(p);
    Handles h;
    const std::string model = (dir / "model.onnx").string();
    // --int8 without --calibrate: this folder's own test sets.
    Options folder_o = o;
    cnnrt_tools::CalibrationSets own;
    if (o.int8 && !o.calibration) {
      std::vector<std::string> set_dirs;
      for (const auto& set : sorted_entries(dir, "test_data_set_", true)) set_dirs.push_back(set.string());
      std::string error;
      if (set_dirs.empty() || !own.read(set_dirs, &error)) {
        std::printf("FAIL %s: --int8 without --calibrate calibrates on the test sets: %s\n", p.c_str(),
                    set_dirs.empty() ? "there are none" : error.c_str());
        failed++;
        continue;
      }
      std::printf("calibration: %zu sets, the folder's own test_data_set_* inputs (the evaluated inputs "
                  "themselves: use --calibrate with other inputs for an unbiased accuracy)\n",
                  own.count());
      folder_o.calibration = &own;
    } else if (o.int8) {
      std::printf("calibration: %zu sets from --calibrate\n", o.calibration->count());
    }
    const cnnrt_status s = open_model(model, folder_o, h);
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
