// BatchNormalization folding (runtime/passes/fold_batchnorm.cpp): Conv ->
// BN and Gemm -> BN give the unfused naive result with no BN step left in
// the profile; and every case that must not fold (shared output, run-time
// parameters or weights, training outputs) still runs the BN and is right.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

struct Bn {
  std::vector<float> scale, bias, mean, var;
  float eps = 1e-5f;
};

Bn random_bn(int64_t c, uint32_t seed) {
  Bn p;
  p.scale = random_floats(static_cast<size_t>(c), seed, -2, 2);
  p.bias = random_floats(static_cast<size_t>(c), seed + 1, -1, 1);
  p.mean = random_floats(static_cast<size_t>(c), seed + 2, -1, 1);
  p.var = random_floats(static_cast<size_t>(c), seed + 3, 0.01f, 3);
  return p;
}

void add_bn(ModelBuilder& mb, const Bn& p, const std::string& in, const std::string& out, const std::string& tag = "") {
  mb.initializer("s" + tag, {static_cast<int64_t>(p.scale.size())}, p.scale)
      .initializer("b" + tag, {static_cast<int64_t>(p.scale.size())}, p.bias)
      .initializer("m" + tag, {static_cast<int64_t>(p.scale.size())}, p.mean)
      .initializer("v" + tag, {static_cast<int64_t>(p.scale.size())}, p.var);
  mb.node("BatchNormalization", {in, "s" + tag, "b" + tag, "m" + tag, "v" + tag}, {out}, {Attr("epsilon", p.eps)});
}

// BN over dim 1 of a row-major [N, C, inner...] tensor, in double.
std::vector<float> apply_bn(const std::vector<double>& x, int64_t c, int64_t inner, const Bn& p) {
  std::vector<float> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const int64_t ch = (static_cast<int64_t>(i) / inner) % c;
    y[i] = static_cast<float>(p.scale[ch] * (x[i] - p.mean[ch]) / std::sqrt(static_cast<double>(p.var[ch]) + p.eps) +
                              p.bias[ch]);
  }
  return y;
}

// Naive grouped Conv, 3x3, pad 1, NCHW.
std::vector<double> conv3x3(const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>* b,
                            int64_t n, int64_t c, int64_t m, int64_t group, int64_t h, int64_t wd) {
  const int64_t cg = c / group, mg = m / group;
  std::vector<double> y(static_cast<size_t>(n * m * h * wd));
  for (int64_t in = 0; in < n; ++in)
    for (int64_t om = 0; om < m; ++om)
      for (int64_t oy = 0; oy < h; ++oy)
        for (int64_t ox = 0; ox < wd; ++ox) {
          double acc = b ? (*b)[om] : 0.0;
          for (int64_t ic = 0; ic < cg; ++ic)
            for (int64_t ky = 0; ky < 3; ++ky)
              for (int64_t kx = 0; kx < 3; ++kx) {
                const int64_t iy = oy + ky - 1, ix = ox + kx - 1;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                const int64_t ch = (om / mg) * cg + ic;
                acc += static_cast<double>(x[((in * c + ch) * h + iy) * wd + ix]) * w[((om * cg + ic) * 3 + ky) * 3 + kx];
              }
          y[((in * m + om) * h + oy) * wd + ox] = acc;
        }
  return y;
}

bool has_step(const RunResult& r, const char* op) {
  return std::find(r.step_ops.begin(), r.step_ops.end(), op) != r.step_ops.end();
}

RunResult run_profiled(const std::string& model, const std::vector<HostTensor>& in) {
  RunOptions opts;
  opts.profile = true;
  return run_model(model, in, opts);
}

}  // namespace

TEST_CASE("Conv -> BatchNormalization folds into the Conv (with and without bias, grouped)") {
  for (bool bias : {true, false})
    for (int64_t group : {1, 2, 6}) {
      CAPTURE(bias);
      CAPTURE(group);
      const int64_t n = 2, c = 6, m = 12, h = 7, wd = 5;
      const auto x = random_floats(static_cast<size_t>(n * c * h * wd), 1, -2, 2);
      const auto w = random_floats(static_cast<size_t>(m * (c / group) * 9), 2, -0.5f, 0.5f);
      const auto b = random_floats(static_cast<size_t>(m), 3, -1, 1);
      Bn p = random_bn(m, 4);
      p.eps = 1e-3f;
      ModelBuilder mb(15);
      mb.input("x", {n, c, h, wd}).initializer("w", {m, c / group, 3, 3}, w);
      std::vector<std::string> conv_in = {"x", "w"};
      if (bias) {
        mb.initializer("cb", {m}, b);
        conv_in.push_back("cb");
      }
      mb.node("Conv", conv_in, {"t"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1}), Attr("group", group)});
      add_bn(mb, p, "t", "y");
      mb.output("y");
      const auto want = apply_bn(conv3x3(x, w, bias ? &b : nullptr, n, c, m, group, h, wd), m, h * wd, p);
      const RunResult r = run_profiled(mb.bytes(), {HostTensor::floats("x", {n, c, h, wd}, x)});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK_FALSE(has_step(r, "BatchNormalization"));
      CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5));
    }
}

TEST_CASE("Conv -> BatchNormalization -> Relu becomes one Conv step") {
  const int64_t n = 1, c = 3, m = 16, h = 9, wd = 8;
  const auto x = random_floats(static_cast<size_t>(n * c * h * wd), 5, -2, 2);
  const auto w = random_floats(static_cast<size_t>(m * c * 9), 6, -0.5f, 0.5f);
  const Bn p = random_bn(m, 7);
  for (int opset : {6, 9, 15}) {
    CAPTURE(opset);
    ModelBuilder mb(opset);
    mb.input("x", {n, c, h, wd}).initializer("w", {m, c, 3, 3}, w);
    mb.node("Conv", {"x", "w"}, {"t"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
    add_bn(mb, p, "t", "u");
    mb.node("Relu", {"u"}, {"y"}).output("y");
    auto want = apply_bn(conv3x3(x, w, nullptr, n, c, m, 1, h, wd), m, h * wd, p);
    for (float& v : want) v = std::max(v, 0.0f);
    const RunResult r = run_profiled(mb.bytes(), {HostTensor::floats("x", {n, c, h, wd}, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK_FALSE(has_step(r, "BatchNormalization"));
    CHECK_FALSE(has_step(r, "Relu"));
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5));
  }
}

TEST_CASE("Gemm -> BatchNormalization folds (transB, C shapes, alpha and beta, no C)") {
  const int64_t rows = 4, k = 6, cols = 5;
  const auto a = random_floats(static_cast<size_t>(rows * k), 8, -1, 1);
  const auto bmat = random_floats(static_cast<size_t>(k * cols), 9, -1, 1);
  const Bn p = random_bn(cols, 10);
  struct Case {
    int opset;
    int trans_b;
    Dims c;  // empty vector with has_c false: no C
    bool has_c;
    float alpha, beta;
  };
  const std::vector<Case> cases = {{13, 1, {cols}, true, 1, 1},       {13, 0, {cols}, true, 1, 1},
                                   {13, 1, {1, cols}, true, 0.5f, 2},  {13, 0, {rows, cols}, true, 1.5f, -1},
                                   {13, 1, {rows, 1}, true, 1, 0.5f},  {13, 1, {}, true, 1, 1},
                                   {13, 0, {}, false, 2, 1},           {6, 1, {cols}, true, 1, 1},
                                   {7, 0, {rows, cols}, true, 1, 1}};
  for (const Case& cs : cases) {
    CAPTURE(cs.opset);
    CAPTURE(cs.trans_b);
    CAPTURE(cs.c.size());
    CAPTURE(cs.has_c);
    const auto c = random_floats(element_count(cs.c), 11, -1, 1);
    ModelBuilder mb(cs.opset);
    // B stored as [cols, k] when transposed.
    std::vector<float> stored(bmat.size());
    for (int64_t q = 0; q < k; ++q)
      for (int64_t j = 0; j < cols; ++j)
        stored[cs.trans_b ? j * k + q : q * cols + j] = bmat[q * cols + j];
    mb.input("a", {rows, k}).initializer("w", cs.trans_b ? Dims{cols, k} : Dims{k, cols}, stored);
    std::vector<std::string> in = {"a", "w"};
    if (cs.has_c) {
      mb.initializer("c", cs.c, c);
      in.push_back("c");
    }
    std::vector<Attr> attrs = {Attr("transB", cs.trans_b), Attr("alpha", cs.alpha), Attr("beta", cs.beta)};
    if (cs.opset < 7) attrs.emplace_back("broadcast", 1);
    mb.node("Gemm", in, {"t"}, attrs);
    add_bn(mb, p, "t", "y");
    mb.output("y");
    std::vector<double> pre(static_cast<size_t>(rows * cols));
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        double acc = 0;
        for (int64_t q = 0; q < k; ++q) acc += static_cast<double>(a[i * k + q]) * bmat[q * cols + j];
        pre[i * cols + j] = cs.alpha * acc +
                            (cs.has_c ? cs.beta * static_cast<double>(c[broadcast_offset(cs.c, {rows, cols}, static_cast<size_t>(i * cols + j))]) : 0.0);
      }
    const auto want = apply_bn(pre, cols, 1, p);
    const RunResult r = run_profiled(mb.bytes(), {HostTensor::floats("a", {rows, k}, a)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK_FALSE(has_step(r, "BatchNormalization"));
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5));
  }
}

TEST_CASE("Two Convs sharing weights, each followed by its own BatchNormalization") {
  const int64_t c = 4, m = 8, h = 5, wd = 6;
  const auto x = random_floats(static_cast<size_t>(c * h * wd), 12, -1, 1);
  const auto w = random_floats(static_cast<size_t>(m * c * 9), 13, -0.5f, 0.5f);
  const Bn p1 = random_bn(m, 14), p2 = random_bn(m, 20);
  ModelBuilder mb(15);
  mb.input("x", {1, c, h, wd}).initializer("w", {m, c, 3, 3}, w);
  const std::vector<Attr> pads = {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})};
  mb.node("Conv", {"x", "w"}, {"t1"}, pads).node("Conv", {"x", "w"}, {"t2"}, pads);
  add_bn(mb, p1, "t1", "y1", "1");
  add_bn(mb, p2, "t2", "y2", "2");
  mb.output("y1").output("y2");
  const auto conv = conv3x3(x, w, nullptr, 1, c, m, 1, h, wd);
  const RunResult r = run_profiled(mb.bytes(), {HostTensor::floats("x", {1, c, h, wd}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK_FALSE(has_step(r, "BatchNormalization"));
  const auto want1 = apply_bn(conv, m, h * wd, p1), want2 = apply_bn(conv, m, h * wd, p2);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want1, 2e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want1, 2e-5, 1e-5));
  CHECK_MESSAGE(first_mismatch(r.outputs[1].f, want2, 2e-5, 1e-5) == "", first_mismatch(r.outputs[1].f, want2, 2e-5, 1e-5));
}

TEST_CASE("BatchNormalization that must not fold still runs, and right") {
  const int64_t c = 3, m = 16, h = 4, wd = 5;
  const auto x = random_floats(static_cast<size_t>(c * h * wd), 30, -1, 1);
  const auto w = random_floats(static_cast<size_t>(m * c * 9), 31, -0.5f, 0.5f);
  const Bn p = random_bn(m, 32);
  const auto conv = conv3x3(x, w, nullptr, 1, c, m, 1, h, wd);
  const auto want = apply_bn(conv, m, h * wd, p);
  const std::vector<Attr> pads = {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})};
  SUBCASE("the Conv output is read by another node too") {
    ModelBuilder mb(15);
    mb.input("x", {1, c, h, wd}).initializer("w", {m, c, 3, 3}, w);
    mb.node("Conv", {"x", "w"}, {"t"}, pads);
    add_bn(mb, p, "t", "y");
    mb.node("Relu", {"t"}, {"z"}).output("y").output("z");
    const RunResult r = run_profiled(mb.bytes(), {HostTensor::floats("x", {1, c, h, wd}, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(has_step(r, "BatchNormalization"));
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5));
    std::vector<float> relu;
    for (double v : conv) relu.push_back(static_cast<float>(std::max(v, 0.0)));
    CHECK_MESSAGE(first_mismatch(r.outputs[1].f, relu, 2e-5, 1e-5) == "", first_mismatch(r.outputs[1].f, relu, 2e-5, 1e-5));
  }
  SUBCASE("the weights are a run-time input") {
    ModelBuilder mb(15);
    mb.input("x", {1, c, h, wd}).input("w", {m, c, 3, 3});
    mb.node("Conv", {"x", "w"}, {"t"}, pads);
    add_bn(mb, p, "t", "y");
    mb.output("y");
    const RunResult r = run_profiled(mb.bytes(), {HostTensor::floats("x", {1, c, h, wd}, x), HostTensor::floats("w", {m, c, 3, 3}, w)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(has_step(r, "BatchNormalization"));
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5));
  }
  SUBCASE("the statistics are a run-time input") {
    ModelBuilder mb(15);
    mb.input("x", {1, c, h, wd}).initializer("w", {m, c, 3, 3}, w).input("v", {m});
    mb.initializer("s", {m}, p.scale).initializer("b", {m}, p.bias).initializer("mean", {m}, p.mean);
    mb.node("Conv", {"x", "w"}, {"t"}, pads);
    mb.node("BatchNormalization", {"t", "s", "b", "mean", "v"}, {"y"}, {Attr("epsilon", p.eps)}).output("y");
    const RunResult r = run_profiled(mb.bytes(), {HostTensor::floats("x", {1, c, h, wd}, x), HostTensor::floats("v", {m}, p.var)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(has_step(r, "BatchNormalization"));
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 2e-5, 1e-5));
  }
}
