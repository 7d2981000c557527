// Determinism: the same input gives bit-identical output across runs of one
// session and across sessions with the same thread count. Across thread
// counts the output may change in the last bits (oneDNN may split a
// reduction differently); the test measures how much and bounds it, and
// README's Safety section reports what it found.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "cnnrt.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

// Big enough that oneDNN parallelises every layer: Conv 16->64 3x3 on
// 56x56, pool, Conv 64->64, and a Gemm with K = 43264 (the kind of long
// reduction a library may split across threads).
std::string wide_cnn() {
  ModelBuilder b(17);
  b.input("x", {1, 16, 56, 56});
  b.initializer("w1", {64, 16, 3, 3}, random_floats(64 * 16 * 9, 21, -0.1f, 0.1f));
  b.initializer("b1", {64}, random_floats(64, 22));
  b.initializer("w2", {64, 64, 3, 3}, random_floats(64 * 64 * 9, 23, -0.05f, 0.05f));
  b.initializer("wf", {100, 64 * 26 * 26}, random_floats(100 * 64 * 26 * 26, 24, -0.01f, 0.01f));
  b.node("Conv", {"x", "w1", "b1"}, {"c1"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
  b.node("Relu", {"c1"}, {"r1"});
  b.node("MaxPool", {"r1"}, {"p1"}, {Attr("kernel_shape", std::vector<int64_t>{2, 2}), Attr("strides", std::vector<int64_t>{2, 2})});
  b.node("Conv", {"p1", "w2"}, {"c2"});
  b.node("Flatten", {"c2"}, {"f"});
  b.node("Gemm", {"f", "wf"}, {"y"}, {Attr("transB", 1)});
  b.output("y");
  return b.bytes();
}

struct Runner {
  cnnrt_model* model = nullptr;
  explicit Runner(const std::string& bytes) { REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &model) == CNNRT_OK); }
  ~Runner() { cnnrt_model_destroy(&model); }

  // `runs` results of one new session with `threads` threads.
  std::vector<std::vector<float>> run(int threads, cnnrt_conv_algorithm algo, const std::vector<float>& x, int runs) {
    cnnrt_session_options o;
    cnnrt_session_options_init(&o);
    o.threads = threads;
    o.conv_algorithm = algo;
    cnnrt_session* s = nullptr;
    REQUIRE(cnnrt_session_create(model, &o, &s) == CNNRT_OK);
    const int64_t dims[4] = {1, 16, 56, 56};
    cnnrt_tensor in = {"x", CNNRT_FLOAT32, 4, dims, const_cast<float*>(x.data()), x.size() * sizeof(float)};
    std::vector<std::vector<float>> outs;
    for (int r = 0; r < runs; ++r) {
      cnnrt_tensor o2 = {};
      REQUIRE(cnnrt_session_run(s, &in, 1, &o2, 1) == CNNRT_OK);
      const float* p = static_cast<const float*>(o2.data);
      outs.emplace_back(p, p + o2.size_bytes / sizeof(float));
    }
    cnnrt_session_destroy(&s);
    return outs;
  }
};

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Largest |a-b| relative to the largest |a|.
double relative_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double scale = 0;
  for (float v : a) scale = std::max(scale, std::fabs(static_cast<double>(v)));
  return max_abs_diff(a, b) / std::max(scale, 1e-30);
}

}  // namespace

TEST_CASE("determinism: bit-identical across runs and sessions with the same thread count") {
  Runner r(wide_cnn());
  const std::vector<float> x = random_floats(16 * 56 * 56, 5);
  for (int threads : {1, 2, 3}) {
    for (cnnrt_conv_algorithm algo : {CNNRT_CONV_DIRECT, CNNRT_CONV_AUTO}) {
      INFO("threads ", threads, ", conv algorithm ", static_cast<int>(algo));
      const auto first = r.run(threads, algo, x, 5);
      for (const auto& out : first) CHECK(same_bits(out, first[0]));
      const auto second = r.run(threads, algo, x, 2);  // a fresh session
      for (const auto& out : second) CHECK(same_bits(out, first[0]));
    }
  }
}

TEST_CASE("determinism: what changes with the thread count") {
  Runner r(wide_cnn());
  const std::vector<float> x = random_floats(16 * 56 * 56, 6);
  const auto one = r.run(1, CNNRT_CONV_DIRECT, x, 1)[0];
  for (int threads : {2, 3, 4}) {
    const auto many = r.run(threads, CNNRT_CONV_DIRECT, x, 1)[0];
    const double rel = relative_diff(one, many);
    MESSAGE("threads 1 vs ", threads, ": ", std::string(same_bits(one, many) ? "bit-identical" : "differs"),
            ", max relative difference ", rel);
    CHECK(rel < 1e-5);
  }
}
