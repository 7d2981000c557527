// Post-op fusion through the whole pipeline: gated activations (x *
// Sigmoid(x) as swish, x * HardSigmoid(x; 1/6, 1/2) as hardswish) fold into
// the producing Conv, and only when the intermediate disappears entirely.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

// 1x1 conv of x [1,C,H,W] with w [C,C] (no bias).
std::vector<float> conv1x1(const std::vector<float>& x, const std::vector<float>& w, int64_t c, int64_t hw) {
  std::vector<float> y(x.size());
  for (int64_t m = 0; m < c; ++m)
    for (int64_t p = 0; p < hw; ++p) {
      double acc = 0;
      for (int64_t k = 0; k < c; ++k) acc += static_cast<double>(x[k * hw + p]) * w[m * c + k];
      y[m * hw + p] = static_cast<float>(acc);
    }
  return y;
}

struct Gated {
  const char* op;
  std::vector<Attr> attrs;
  double (*gate)(double);
  bool fuses;
};

}  // namespace

TEST_CASE("x * act(x) after a Conv fuses as one post-op where oneDNN has it") {
  const int64_t c = 16, hw = 35;
  const std::vector<int64_t> dims = {1, c, 5, 7};
  const auto x = random_floats(static_cast<size_t>(c * hw), 1, -3, 3);
  const auto w = random_floats(static_cast<size_t>(c * c), 2, -0.5f, 0.5f);
  const std::vector<Gated> cases = {
      {"Sigmoid", {}, [](double v) { return 1 / (1 + std::exp(-v)); }, true},
      {"HardSigmoid", {Attr("alpha", 1.0f / 6.0f), Attr("beta", 0.5f)},
       [](double v) { return std::clamp(v / 6 + 0.5, 0.0, 1.0); }, true},
      {"HardSigmoid", {Attr("alpha", 0.2f), Attr("beta", 0.5f)},
       [](double v) { return std::clamp(0.2 * v + 0.5, 0.0, 1.0); }, false},
  };
  const auto conv = conv1x1(x, w, c, hw);
  for (const Gated& g : cases)
    for (bool keep_conv : {false, true}) {
      ModelBuilder mb(13);
      mb.input("x", dims).initializer("w", {c, c, 1, 1}, w);
      mb.node("Conv", {"x", "w"}, {"c"}).node(g.op, {"c"}, {"g"}, g.attrs).node("Mul", {"c", "g"}, {"y"}).output("y");
      RunOptions opts;
      opts.profile = true;
      if (keep_conv) opts.extra_outputs = {"c"};
      CAPTURE(g.op);
      CAPTURE(keep_conv);
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)}, opts);
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      std::vector<float> want(conv.size());
      for (size_t i = 0; i < conv.size(); ++i) want[i] = static_cast<float>(conv[i] * g.gate(conv[i]));
      CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-5);
      const auto& ops = r.step_ops;
      const bool fused = std::find(ops.begin(), ops.end(), "Mul") == ops.end() &&
                         std::find(ops.begin(), ops.end(), g.op) == ops.end();
      CHECK(fused == (g.fuses && !keep_conv));
    }
}
