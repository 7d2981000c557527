// BatchNormalization (standalone, inference) against a naive reference:
// ranks 2 to 6, every opset form (is_test, spatial, training_mode),
// statistics given at run time, after a Conv in its layout, and the errors
// for training mode and bad parameters. Folding into Conv/Gemm is tested in
// tests/unit/runtime/passes/test_fold_batchnorm.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/elementwise.h"

using namespace cnnrt::test;

namespace {

struct Params {
  std::vector<float> scale, bias, mean, var;
};

Params random_params(int64_t c, uint32_t seed) {
  Params p;
  p.scale = random_floats(static_cast<size_t>(c), seed, -2, 2);
  p.bias = random_floats(static_cast<size_t>(c), seed + 1, -1, 1);
  p.mean = random_floats(static_cast<size_t>(c), seed + 2, -1, 1);
  p.var = random_floats(static_cast<size_t>(c), seed + 3, 0.1f, 3);
  return p;
}

std::vector<float> reference(const std::vector<float>& x, const Dims& xd, const Params& p, double eps) {
  const int64_t c = xd[1];
  int64_t inner = 1;
  for (size_t i = 2; i < xd.size(); ++i) inner *= xd[i];
  std::vector<float> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const int64_t ch = (static_cast<int64_t>(i) / inner) % c;
    y[i] = static_cast<float>(p.scale[ch] * (x[i] - static_cast<double>(p.mean[ch])) /
                                  std::sqrt(static_cast<double>(p.var[ch]) + eps) +
                              p.bias[ch]);
  }
  return y;
}

// Statistics as graph inputs (never folded) or initializers (folded only
// after a Conv/Gemm, so standalone here as X is a graph input).
void check(int opset, const Dims& xd, std::vector<Attr> attrs, double eps, bool constant_params) {
  CAPTURE(opset);
  CAPTURE(xd.size());
  CAPTURE(constant_params);
  const auto x = random_floats(element_count(xd), 1, -3, 3);
  const Params p = random_params(xd[1], 5);
  ModelBuilder mb(opset);
  mb.input("x", xd);
  const char* names[] = {"scale", "bias", "mean", "var"};
  const std::vector<float>* values[] = {&p.scale, &p.bias, &p.mean, &p.var};
  std::vector<HostTensor> in = {HostTensor::floats("x", xd, x)};
  for (int k = 0; k < 4; ++k) {
    if (constant_params)
      mb.initializer(names[k], {xd[1]}, *values[k]);
    else {
      mb.input(names[k], {xd[1]});
      in.push_back(HostTensor::floats(names[k], {xd[1]}, *values[k]));
    }
  }
  mb.node("BatchNormalization", {"x", "scale", "bias", "mean", "var"}, {"y"}, attrs).output("y");
  const RunResult r = run_model(mb.bytes(), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == xd);
  const auto want = reference(x, xd, p, eps);
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 2e-6, 2e-6) == "", first_mismatch(r.outputs[0].f, want, 2e-6, 2e-6));
}

}  // namespace

TEST_CASE("BatchNormalization in every opset form and rank") {
  const std::vector<Dims> shapes = {{5, 3}, {2, 3, 7}, {2, 5, 4, 3}, {1, 17, 3, 5, 2}, {2, 3, 2, 1, 3, 2}};
  for (const Dims& xd : shapes)
    for (bool constant : {true, false}) {
      check(6, xd, {Attr("is_test", 1), Attr("spatial", 1)}, 1e-5, constant);
      check(7, xd, {Attr("epsilon", 1e-3f)}, static_cast<double>(1e-3f), constant);
      check(9, xd, {}, static_cast<double>(1e-5f), constant);
      check(14, xd, {Attr("training_mode", 0), Attr("momentum", 0.5f)}, static_cast<double>(1e-5f), constant);
      check(15, xd, {Attr("epsilon", 0.25f)}, 0.25, constant);
    }
}

TEST_CASE("BatchNormalization opset 1 and 6 with is_test 0 but only Y read runs on the running statistics") {
  check(1, {2, 3, 4, 4}, {Attr("consumed_inputs", std::vector<int64_t>{0, 0, 0, 1, 1})}, static_cast<double>(1e-5f), false);
  check(6, {2, 3, 4, 4}, {}, static_cast<double>(1e-5f), false);
}

TEST_CASE("BatchNormalization after a Conv whose output is also a graph output stays a step") {
  const Dims xd = {1, 16, 5, 6};
  const auto x = random_floats(element_count(xd), 1, -1, 1);
  const auto w = random_floats(16 * 16, 2, -0.5f, 0.5f);
  const Params p = random_params(16, 7);
  ModelBuilder mb(15);
  mb.input("x", xd).initializer("w", {16, 16, 1, 1}, w);
  mb.initializer("s", {16}, p.scale).initializer("b", {16}, p.bias).initializer("m", {16}, p.mean).initializer("v", {16}, p.var);
  mb.node("Conv", {"x", "w"}, {"c"}).node("BatchNormalization", {"c", "s", "b", "m", "v"}, {"y"}).output("y").output("c");
  const auto conv_exact = conv1x1_reference(xd, x, w, 16);
  const std::vector<float> conv(conv_exact.begin(), conv_exact.end());
  RunOptions opts;
  opts.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xd, x)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(std::find(r.step_ops.begin(), r.step_ops.end(), "BatchNormalization") != r.step_ops.end());
  const auto want = reference(conv, xd, p, static_cast<double>(1e-5f));
  CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5));
  CHECK_MESSAGE(first_mismatch(r.outputs[1].f, conv, 1e-5, 1e-5) == "", first_mismatch(r.outputs[1].f, conv, 1e-5, 1e-5));
}

TEST_CASE("BatchNormalization errors") {
  auto model = [](int opset, std::vector<Attr> attrs, std::vector<std::string> outputs, Dims param = {3}) {
    ModelBuilder mb(opset);
    mb.input("x", {2, 3, 4});
    for (const char* n : {"s", "b", "m", "v"}) mb.input(n, param);
    mb.node("BatchNormalization", {"x", "s", "b", "m", "v"}, outputs, std::move(attrs), "bn");
    for (const auto& o : outputs) mb.output(o);
    return mb.bytes();
  };
  SUBCASE("training_mode=1") {
    const RunResult r = load_model(model(15, {Attr("training_mode", 1)}, {"y"}));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'bn' (BatchNormalization, domain ai.onnx, opset 15): training mode "
                     "(training_mode=1) is not supported, only inference");
  }
  SUBCASE("reading the training outputs") {
    const RunResult r = load_model(model(9, {}, {"y", "mean", "var", "saved_mean", "saved_var"}));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'bn' (BatchNormalization, domain ai.onnx, opset 9): output 1 (running or saved "
                     "statistics) is only computed in training mode, which is not supported");
  }
  SUBCASE("parameters of the wrong size") {
    const RunResult r = load_model(model(15, {}, {"y"}, {4}));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'bn' (BatchNormalization, domain ai.onnx, opset 15): scale [4] does not match the "
                     "input's 3 channels");
  }
  SUBCASE("spatial=0 with per-element statistics") {
    const RunResult r = load_model(model(7, {Attr("spatial", 0)}, {"y"}, {3, 4}));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'bn' (BatchNormalization, domain ai.onnx, opset 7): spatial=0 with per-element "
                     "statistics (scale [3,4]) is not supported");
  }
  SUBCASE("negative epsilon") {
    const RunResult r = load_model(model(15, {Attr("epsilon", -1.0f)}, {"y"}));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'bn' (BatchNormalization, domain ai.onnx, opset 15): epsilon must be finite and >= "
                     "0, got -1");
  }
}

TEST_CASE("BatchNormalization with a fused activation: Relu in its pass, others as steps after it") {
  struct Act {
    const char* op;
    std::vector<Attr> attrs;
    double (*f)(double);
  };
  const std::vector<Act> acts = {
      {"Relu", {}, [](double v) { return std::max(v, 0.0); }},
      {"LeakyRelu", {Attr("alpha", 0.1f)}, [](double v) { return v < 0 ? static_cast<double>(0.1f) * v : v; }},
      {"HardSigmoid", {Attr("alpha", 0.2f), Attr("beta", 0.5f)},
       [](double v) { return std::clamp(static_cast<double>(0.2f) * v + 0.5, 0.0, 1.0); }},
      {"Sigmoid", {}, [](double v) { return 1.0 / (1.0 + std::exp(-v)); }},
      // Selu is elu with an output scale: a second step after the first.
      {"Selu", {Attr("alpha", 1.5f), Attr("gamma", 2.0f)},
       [](double v) { return 2.0 * (v > 0 ? v : 1.5 * (std::exp(v) - 1.0)); }},
  };
  for (const Dims& xd : {Dims{1, 32, 5, 6}, Dims{2, 3, 7}, Dims{4, 5}})
    for (const Act& a : acts) {
      CAPTURE(a.op);
      CAPTURE(xd.size());
      const auto x = random_floats(element_count(xd), 3, -3, 3);
      const Params p = random_params(xd[1], 9);
      ModelBuilder mb(15);
      mb.input("x", xd).input("s", {xd[1]}).input("b", {xd[1]}).input("m", {xd[1]}).input("v", {xd[1]});
      mb.node("BatchNormalization", {"x", "s", "b", "m", "v"}, {"n"}).node(a.op, {"n"}, {"y"}, a.attrs).output("y");
      RunOptions opts;
      opts.profile = true;
      const RunResult r = run_model(mb.bytes(),
                                    {HostTensor::floats("x", xd, x), HostTensor::floats("s", {xd[1]}, p.scale),
                                     HostTensor::floats("b", {xd[1]}, p.bias), HostTensor::floats("m", {xd[1]}, p.mean),
                                     HostTensor::floats("v", {xd[1]}, p.var)},
                                    opts);
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      auto want = reference(x, xd, p, static_cast<double>(1e-5f));
      for (float& w : want) w = static_cast<float>(a.f(w));
      CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5) == "", first_mismatch(r.outputs[0].f, want, 1e-5, 1e-5));
      // Fused: no step of the activation's own; a Relu needs no step at all.
      CHECK(std::count(r.step_ops.begin(), r.step_ops.end(), a.op) == 0);
      const auto bn_steps = std::count(r.step_ops.begin(), r.step_ops.end(), "BatchNormalization");
      if (std::string(a.op) == "Relu") CHECK(bn_steps == 1);
      else CHECK(bn_steps >= 2);
    }
}
