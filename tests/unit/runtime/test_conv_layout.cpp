// Which graphs hold their FP32 convolutions in 16-channel blocks
// (runtime/conv_layout.h), and that such a graph computes what the default
// layout does.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "loaders/onnx_loader.h"
#include "runtime/conv_layout.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt;
using namespace cnnrt::test;

namespace {

// x [1, 32, 16, 16] -> 1x1 conv -> 3x3 conv with `group` -> Relu, then
// optionally a channel shuffle (Reshape, Transpose, Reshape).
std::string conv_net(int64_t group, bool shuffle) {
  ModelBuilder mb(13);
  mb.input("x", {1, 32, 16, 16});
  mb.initializer("w1", {32, 32, 1, 1}, random_floats(32 * 32, 1, -0.3f, 0.3f));
  mb.initializer("w2", {32, 32 / group, 3, 3}, random_floats(static_cast<size_t>(32 * 32 / group * 9), 2, -0.3f, 0.3f));
  mb.node("Conv", {"x", "w1"}, {"c1"});
  mb.node("Conv", {"c1", "w2"}, {"c2"}, {Attr("group", group), Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
  if (!shuffle) {
    mb.node("Relu", {"c2"}, {"y"});
  } else {
    mb.initializer_i64("split", {5}, {1, 2, 16, 16, 16}).initializer_i64("merge", {4}, {1, 32, 16, 16});
    mb.node("Reshape", {"c2", "split"}, {"s"});
    mb.node("Transpose", {"s"}, {"t"}, {Attr("perm", std::vector<int64_t>{0, 2, 1, 3, 4})});
    mb.node("Reshape", {"t", "merge"}, {"y"});
  }
  mb.output("y");
  return mb.bytes();
}

CompileOptions::ConvLayout layout_of(const std::string& bytes, CompileOptions::Precision precision) {
  auto graph = load_onnx_bytes(bytes.data(), bytes.size(), "<memory>", "");
  REQUIRE(graph.ok());
  return choose_conv_layout(graph.value(), precision);
}

}  // namespace

TEST_CASE("conv layout: blocks for FP32 graphs of grouped convolutions without a channel shuffle") {
  using Layout = CompileOptions::ConvLayout;
  using Precision = CompileOptions::Precision;
  CHECK(layout_of(conv_net(32, false), Precision::fp32) == Layout::blocked);  // depthwise
  CHECK(layout_of(conv_net(4, false), Precision::fp32) == Layout::blocked);   // grouped
  CHECK(layout_of(conv_net(1, false), Precision::fp32) == Layout::any);       // no groups
  CHECK(layout_of(conv_net(32, true), Precision::fp32) == Layout::any);       // a shuffle
  CHECK(layout_of(conv_net(32, false), Precision::bf16) == Layout::any);
  CHECK(layout_of(conv_net(32, false), Precision::int8) == Layout::any);
}

TEST_CASE("conv layout: a depthwise network held in blocks gives the results of the default layout") {
  // The shuffle only moves channels, so the two nets agree on the
  // convolutions: the same values, whichever layout each chose.
  const auto x = random_floats(32 * 16 * 16, 3);
  RunOptions profiled;
  profiled.profile = true;
  const RunResult blocked = run_model(conv_net(32, false), {HostTensor::floats("x", {1, 32, 16, 16}, x)}, profiled);
  REQUIRE_MESSAGE(blocked.status == CNNRT_OK, blocked.error);
  RunOptions direct = profiled;
  direct.extra_outputs = {"c2"};
  const RunResult plain = run_model(conv_net(32, true), {HostTensor::floats("x", {1, 32, 16, 16}, x)}, direct);
  REQUIRE_MESSAGE(plain.status == CNNRT_OK, plain.error);
  // The layout took effect: both convolutions on oneDNN's blocked jit
  // kernels (jit_1x1, jit_dw on AVX-512), other kernels than the default's
  // (brgconv_1x1, brdgmm_dw).
  std::vector<std::string> blocked_convs, plain_convs;
  for (size_t i = 0; i < blocked.step_ops.size(); ++i)
    if (blocked.step_ops[i] == "Conv") blocked_convs.push_back(blocked.step_impls[i]);
  for (size_t i = 0; i < plain.step_ops.size(); ++i)
    if (plain.step_ops[i] == "Conv") plain_convs.push_back(plain.step_impls[i]);
  REQUIRE(blocked_convs.size() == 2);
  REQUIRE(plain_convs.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CAPTURE(blocked_convs[i]);
    CHECK(blocked_convs[i].find("jit") != std::string::npos);
    CHECK(blocked_convs[i] != plain_convs[i]);
  }
  REQUIRE(plain.outputs.size() == 2);
  std::vector<float> relu = plain.outputs[1].f;
  for (float& v : relu) v = std::max(v, 0.0f);
  CHECK(max_abs_diff(blocked.outputs[0].f, relu) < 1e-5);
}
