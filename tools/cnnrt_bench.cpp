// cnnrt-bench: latency, throughput and memory of one model on this machine.
//
//   cnnrt-bench MODEL [--batch N] [--threads N] [--warmup N]
//               [--iterations N | --seconds S] [--profile] [--json]
//               [--direct] [--bf16 | --int8 [--calibrate PATH...]]
//               [--batch-mode auto|whole|per-image]
//
// Prints load time, first-run time, latency percentiles, throughput, peak RSS
// and arena size; --profile adds a per-step table (op, shapes, oneDNN
// implementation, time, GFLOP/s, share). Built on the public C API only.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cnnrt.h"
#include "common/calibration_sets.h"
#include "common/profile.h"
#include "common/session_flags.h"

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is KiB on Linux
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = p * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

struct Options {
  std::string model;
  int64_t batch = 1;
  int threads = 0;
  int warmup = 5;
  int iterations = 0;
  double seconds = 3.0;
  bool profile = false, json = false, direct = false, bf16 = false, int8 = false;
  std::vector<std::string> calibrate;
  int calibration_samples = 4;
  std::string batch_mode = "auto";
};

// Uniform [0,1) floats from an LCG seeded with `seed`.
void fill_uniform(std::vector<float>& v, uint32_t seed) {
  for (float& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>(seed >> 8) / 16777216.0f;
  }
}

int fail(const char* what) {
  std::fprintf(stderr, "cnnrt-bench: %s: %s\n", what, cnnrt_last_error());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"cnnrt-bench: measure a model's latency, throughput and memory with cnnrt."};
  app.add_option("model", o.model, "ONNX model file")->required()->check(CLI::ExistingFile);
  app.add_option("--batch", o.batch, "Batch size for a dynamic first dimension")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  cnnrt_tools::add_batch_mode_option(app, &o.batch_mode);
  app.add_option("--threads", o.threads, "Threads (0: all cores)")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--warmup", o.warmup, "Untimed runs after the first")->capture_default_str()->check(CLI::NonNegativeNumber);
  auto* iters = app.add_option("--iterations", o.iterations, "Timed runs (instead of --seconds)")->check(CLI::PositiveNumber);
  app.add_option("--seconds", o.seconds, "Time budget for timed runs")->capture_default_str()->excludes(iters)->check(CLI::PositiveNumber);
  app.add_flag("--profile", o.profile, "Per-step table: op, shapes, implementation, time, GFLOP/s, share");
  app.add_flag("--json", o.json, "Machine-readable output");
  app.add_flag("--direct", o.direct, "Force direct convolution (bit-stable FP32)");
  auto* bf16 = app.add_flag("--bf16", o.bf16, "Run convolutions and fully connected layers (Gemm with constant weights) in bfloat16");
  auto* int8 = app.add_flag("--int8", o.int8,
                            "Run convolutions in 8-bit integers, calibrated on --calibrate, or else on\n"
                            "--calibration-samples generated inputs (fine for timing, not for accuracy)")
                   ->excludes(bf16);
  app.add_option("--calibrate", o.calibrate,
                 "With --int8: one calibration input set per PATH, a folder with input_K.pb files or one .pb file")
      ->option_text("PATH...")
      ->check(CLI::ExistingPath)
      ->needs(int8);
  app.add_option("--calibration-samples", o.calibration_samples,
                 "With --int8 and no --calibrate: generated calibration inputs (other seeds than the timed input)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->needs(int8);
  app.set_version_flag("--version", std::string(cnnrt_version()));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  cnnrt_model* model = nullptr;
  cnnrt_session* session = nullptr;
  auto t0 = clock_type::now();
  if (cnnrt_model_load_file(o.model.c_str(), &model) != CNNRT_OK) return fail("loading the model");

  // Inputs: uniform [0,1) floats, the dynamic first dimension set to --batch.
  size_t n_inputs = 0;
  cnnrt_model_input_count(model, &n_inputs);
  std::vector<std::vector<int64_t>> dims(n_inputs);
  std::vector<std::vector<float>> data(n_inputs);
  std::vector<cnnrt_tensor> inputs(n_inputs);
  for (size_t i = 0; i < n_inputs; ++i) {
    cnnrt_tensor_info info;
    cnnrt_model_input_info(model, i, &info);
    if (info.dtype != CNNRT_FLOAT32) {
      std::fprintf(stderr, "cnnrt-bench: input '%s' is not float32; only float inputs are generated\n", info.name);
      return 1;
    }
    size_t count = 1;
    for (size_t k = 0; k < info.rank; ++k) {
      dims[i].push_back(info.dims[k] >= 0 ? info.dims[k] : (k == 0 ? o.batch : 1));
      count *= static_cast<size_t>(dims[i].back());
    }
    data[i].resize(count);
    fill_uniform(data[i], static_cast<uint32_t>(i + 1));
    inputs[i] = {info.name, CNNRT_FLOAT32, info.rank, dims[i].data(), data[i].data(), count * sizeof(float)};
  }

  cnnrt_session_options so = cnnrt_tools::session_options_from_flags(o.threads, o.profile, o.direct, o.bf16, o.int8);
  so.batch = o.batch;  // the plan for the timed batch is compiled at load, not one for batch 1
  so.batch_mode = cnnrt_tools::batch_mode_from_flag(o.batch_mode);
  // int8: calibration sets from files, or generated like the timed input
  // with other seeds.
  // What the scales were measured on, printed with the results.
  std::string calibration_source;
  cnnrt_tools::CalibrationSets files;
  std::vector<std::vector<float>> cal_data;
  std::vector<cnnrt_tensor> cal_tensors;
  if (o.int8 && !o.calibrate.empty()) {
    std::string error;
    if (!files.read(o.calibrate, &error)) {
      std::fprintf(stderr, "cnnrt-bench: --calibrate: %s\n", error.c_str());
      return 2;
    }
    files.apply(&so);
    calibration_source = std::to_string(files.count()) + " input sets from --calibrate";
  } else if (o.int8) {
    calibration_source = std::to_string(o.calibration_samples) +
                         " generated uniform [0,1) input sets (no --calibrate: fine for timing, not for accuracy)";
    const size_t sets = static_cast<size_t>(o.calibration_samples);
    cal_data.resize(sets * n_inputs);
    for (size_t k = 0; k < sets; ++k)
      for (size_t i = 0; i < n_inputs; ++i) {
        std::vector<float>& v = cal_data[k * n_inputs + i];
        v.resize(data[i].size());
        fill_uniform(v, static_cast<uint32_t>(1000 * (k + 1) + i));
        cnnrt_tensor t = inputs[i];
        t.data = v.data();
        cal_tensors.push_back(t);
      }
    so.calibration_inputs = cal_tensors.data();
    so.calibration_count = sets;
  }
  if (cnnrt_session_create(model, &so, &session) != CNNRT_OK) {
    cnnrt_model_destroy(&model);
    return fail("creating the session");
  }
  const double load_ms = ms_since(t0);

  auto run = [&] { return cnnrt_session_run(session, inputs.data(), inputs.size(), nullptr, 0); };
  t0 = clock_type::now();
  if (run() != CNNRT_OK) return fail("first run");
  const double first_ms = ms_since(t0);
  for (int i = 0; i < o.warmup; ++i)
    if (run() != CNNRT_OK) return fail("warm-up run");

  std::vector<double> lat;
  const auto start = clock_type::now();
  for (int i = 0; o.iterations ? i < o.iterations : ms_since(start) < o.seconds * 1000.0 || lat.size() < 3; ++i) {
    t0 = clock_type::now();
    if (run() != CNNRT_OK) return fail("timed run");
    lat.push_back(ms_since(t0));
  }
  double mean = 0;
  for (double l : lat) mean += l;
  mean /= static_cast<double>(lat.size());
  const double p50 = percentile(lat, 0.5);
  cnnrt_memory_plan plan{};
  cnnrt_session_memory_plan(session, &plan);
  int64_t runs_per_batch = 1;  // the batch-1 plan's runs when the batch runs image by image
  cnnrt_session_runs_per_batch(session, &runs_per_batch);
  // The steps run image by image: all, or only the first layers' when the
  // rest runs as one batch.
  const std::vector<cnnrt_tools::ProfileStep> profile = cnnrt_tools::read_profile(session);
  const size_t step_count = profile.size();
  size_t image_steps = 0;
  for (const auto& s : profile) image_steps += s.runs_per_batch > 1;

  nlohmann::json out = {
      {"model", o.model},
      {"version", cnnrt_version()},
      {"batch", o.batch},
      {"threads", o.threads},
      {"precision", o.bf16 ? "bf16" : o.int8 ? "int8" : "fp32"},
      {"calibration", calibration_source},
      {"load_ms", load_ms},
      {"first_run_ms", first_ms},
      {"iterations", lat.size()},
      {"p50_ms", p50},
      {"p90_ms", percentile(lat, 0.9)},
      {"p99_ms", percentile(lat, 0.99)},
      {"min_ms", *std::min_element(lat.begin(), lat.end())},
      {"mean_ms", mean},
      {"throughput_ips", 1000.0 * static_cast<double>(o.batch) / mean},
      {"peak_rss_mib", peak_rss_mib()},
      {"arena_bytes", plan.arena_bytes},
      {"arena_lower_bound_bytes", plan.lower_bound_bytes},
      {"runs_per_batch", runs_per_batch},
      {"steps", step_count},
      {"image_by_image_steps", image_steps},
  };

  if (o.profile) {
    // Per batch: a step that runs image by image runs once per image.
    double total_ms = 0, total_flops = 0;
    for (const auto& s : profile) {
      total_ms += s.ms;
      total_flops += static_cast<double>(s.runs_per_batch) * s.entry.flops;
    }
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : profile) {
      const cnnrt_profile_entry& e = s.entry;
      const double per_batch = static_cast<double>(s.runs_per_batch);
      steps.push_back({{"node", e.node},
                       {"op", e.op},
                       {"impl", e.impl},
                       {"shapes", e.shapes},
                       {"ms", s.ms},
                       {"runs_per_batch", per_batch},
                       {"gflops", s.ms > 0 ? per_batch * e.flops / s.ms / 1e6 : 0},
                       {"share", total_ms > 0 ? s.ms / total_ms : 0}});
    }
    out["profile"] = steps;
    out["profile_total_ms"] = total_ms;
    out["model_gflop"] = total_flops / 1e9;
  }

  if (o.json) {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("model        %s (%s)\n", o.model.c_str(), cnnrt_version());
    std::printf("batch        %lld, threads %d\n", static_cast<long long>(o.batch), o.threads);
    if (runs_per_batch > 1 && image_steps < step_count)
      std::printf("             first %zu of %zu steps image by image (%lld runs of their batch-1 plan), the rest "
                  "as one batch (--batch-mode whole: all as one)\n",
                  image_steps, step_count, static_cast<long long>(runs_per_batch));
    else if (runs_per_batch > 1)
      std::printf("             run image by image: %lld runs of the batch-1 plan (--batch-mode whole: one run)\n",
                  static_cast<long long>(runs_per_batch));
    if (o.int8) std::printf("calibration  %s\n", calibration_source.c_str());
    std::printf("load         %.2f ms (parse, passes, %scompile)\n", load_ms, o.int8 ? "calibration, " : "");
    std::printf("first run    %.3f ms\n", first_ms);
    std::printf("latency      p50 %.3f  p90 %.3f  p99 %.3f  min %.3f ms over %zu runs\n", p50,
                out["p90_ms"].get<double>(), out["p99_ms"].get<double>(), out["min_ms"].get<double>(), lat.size());
    std::printf("throughput   %.1f images/s\n", out["throughput_ips"].get<double>());
    std::printf("peak RSS     %.1f MiB\n", out["peak_rss_mib"].get<double>());
    std::printf("arena        %zu bytes (lower bound %zu)\n", plan.arena_bytes, plan.lower_bound_bytes);
    if (o.profile) {
      std::printf("\n%-28s %-12s %-30s %9s %8s %6s  %s\n", "node", "op", "implementation", "ms", "GFLOP/s", "share",
                  "shapes");
      for (const auto& s : out["profile"]) {
        std::printf("%-28.28s %-12.12s %-30.30s %9.4f %8.1f %5.1f%%  %s\n", s["node"].get<std::string>().c_str(),
                    s["op"].get<std::string>().c_str(), s["impl"].get<std::string>().c_str(), s["ms"].get<double>(),
                    s["gflops"].get<double>(), 100 * s["share"].get<double>(), s["shapes"].get<std::string>().c_str());
      }
      std::printf("total %.3f ms profiled, model %.3f GFLOP\n", out["profile_total_ms"].get<double>(),
                  out["model_gflop"].get<double>());
    }
  }
  cnnrt_session_destroy(&session);
  cnnrt_model_destroy(&model);
  return 0;
}
