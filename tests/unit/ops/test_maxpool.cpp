// MaxPool against a naive reference: 1-D and 2-D, kernel, strides, pads,
// auto_pad, ceil_mode and dilations; the Indices output is refused.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "window_size.h"

using namespace cnnrt::test;

namespace {

struct PoolCase {
  int64_t n = 1, c = 2;
  std::vector<int64_t> in, k, strides, dilations, pads;  // pads: begins then ends
  bool ceil = false;
  std::string auto_pad = "NOTSET";
};

int64_t out_size(const PoolCase& pc, size_t i, int64_t& p0, int64_t& p1) {
  p0 = pc.pads[i];
  p1 = pc.pads[i + pc.in.size()];
  return window_out_size(pc.in[i], pc.k[i], pc.strides[i], pc.dilations[i], pc.auto_pad, pc.ceil, p0, p1);
}

// Spatial rank 1 or 2 (1-D as h = 1).
std::vector<float> reference_maxpool(const PoolCase& pc, const std::vector<float>& x, std::vector<int64_t>* dims) {
  const bool two_d = pc.in.size() == 2;
  int64_t ph0 = 0, ph1 = 0, pw0 = 0, pw1 = 0;
  const int64_t oh = two_d ? out_size(pc, 0, ph0, ph1) : 1, ow = out_size(pc, pc.in.size() - 1, pw0, pw1);
  const int64_t ih = two_d ? pc.in[0] : 1, iw = pc.in.back();
  const int64_t kh = two_d ? pc.k[0] : 1, kw = pc.k.back();
  const int64_t sh = two_d ? pc.strides[0] : 1, sw = pc.strides.back();
  const int64_t dh = two_d ? pc.dilations[0] : 1, dw = pc.dilations.back();
  *dims = two_d ? std::vector<int64_t>{pc.n, pc.c, oh, ow} : std::vector<int64_t>{pc.n, pc.c, ow};
  std::vector<float> y(static_cast<size_t>(pc.n * pc.c * oh * ow));
  for (int64_t nc = 0; nc < pc.n * pc.c; ++nc)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox) {
        float m = -std::numeric_limits<float>::infinity();
        for (int64_t ky = 0; ky < kh; ++ky)
          for (int64_t kx = 0; kx < kw; ++kx) {
            const int64_t iy = oy * sh - ph0 + ky * dh, ix = ox * sw - pw0 + kx * dw;
            if (iy >= 0 && iy < ih && ix >= 0 && ix < iw) m = std::max(m, x[(nc * ih + iy) * iw + ix]);
          }
        y[(nc * oh + oy) * ow + ox] = m;
      }
  return y;
}

void check_maxpool(const PoolCase& pc, int64_t opset, uint32_t seed) {
  std::vector<int64_t> xdims = {pc.n, pc.c};
  xdims.insert(xdims.end(), pc.in.begin(), pc.in.end());
  const size_t xn = element_count(xdims);
  const auto x = random_floats(xn, seed);
  std::vector<Attr> attrs = {Attr("kernel_shape", pc.k), Attr("strides", pc.strides)};
  if (opset >= 10) {
    attrs.emplace_back("dilations", pc.dilations);
    attrs.emplace_back("ceil_mode", pc.ceil ? 1 : 0);
  }
  if (pc.auto_pad == "NOTSET")
    attrs.emplace_back("pads", pc.pads);
  else
    attrs.emplace_back("auto_pad", pc.auto_pad);
  ModelBuilder mb(opset);
  mb.input("x", xdims).node("MaxPool", {"x"}, {"y"}, attrs).output("y");
  std::vector<int64_t> ydims;
  const auto want = reference_maxpool(pc, x, &ydims);
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xdims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == ydims);
  CHECK(max_abs_diff(r.outputs[0].f, want) == 0.0);
}

}  // namespace

TEST_CASE("MaxPool 2-D over kernels, strides, pads, dilations and ceil_mode") {
  uint32_t seed = 1;
  for (int64_t stride : {1, 2, 3})
    for (int64_t dilation : {1, 2})
      for (bool ceil : {false, true})
        for (int64_t pad : {0, 1}) {
          PoolCase pc;
          pc.n = 2;
          pc.c = 3;
          pc.in = {11, 8};
          pc.k = {3, 2};
          pc.strides = {stride, stride};
          pc.dilations = {dilation, 1};
          pc.pads = {pad, 0, pad, pad};
          pc.ceil = ceil;
          CAPTURE(stride);
          CAPTURE(dilation);
          CAPTURE(ceil);
          CAPTURE(pad);
          check_maxpool(pc, 12, seed++);
        }
}

TEST_CASE("MaxPool auto_pad and 1-D") {
  for (const char* mode : {"SAME_UPPER", "SAME_LOWER", "VALID"}) {
    PoolCase pc;
    pc.in = {9, 6};
    pc.k = {3, 3};
    pc.strides = {2, 2};
    pc.dilations = {1, 1};
    pc.pads = {0, 0, 0, 0};
    pc.auto_pad = mode;
    CAPTURE(mode);
    check_maxpool(pc, 11, 100);
  }
  PoolCase one;
  one.c = 4;
  one.in = {13};
  one.k = {4};
  one.strides = {3};
  one.dilations = {1};
  one.pads = {1, 2};
  check_maxpool(one, 8, 101);
}

TEST_CASE("MaxPool at opset 8 rejects ceil_mode, which arrived in opset 10") {
  ModelBuilder mb(8);
  mb.input("x", {1, 1, 4, 4})
      .node("MaxPool", {"x"}, {"y"}, {Attr("kernel_shape", std::vector<int64_t>{2, 2}), Attr("ceil_mode", 1)}, "pool")
      .output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'pool' (MaxPool, domain ai.onnx, opset 8): attribute 'ceil_mode' is not valid at "
                   "this opset");
}

TEST_CASE("MaxPool's Indices output is refused when used, ignored when not") {
  ModelBuilder used(12);
  used.input("x", {1, 1, 4, 4})
      .node("MaxPool", {"x"}, {"y", "idx"}, {Attr("kernel_shape", std::vector<int64_t>{2, 2})}, "pool")
      .output("y")
      .output("idx");
  RunResult r = load_model(used.bytes());
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'pool' (MaxPool, domain ai.onnx, opset 12): the Indices output is not supported");

  ModelBuilder unused(12);
  unused.input("x", {1, 1, 4, 4})
      .node("MaxPool", {"x"}, {"y", "idx"}, {Attr("kernel_shape", std::vector<int64_t>{2, 2})}, "pool")
      .output("y");
  const auto x = random_floats(16, 3);
  r = run_model(unused.bytes(), {HostTensor::floats("x", {1, 1, 4, 4}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs.size() == 1);
}

TEST_CASE("MaxPool missing kernel_shape names the attribute") {
  ModelBuilder mb(12);
  mb.input("x", {1, 1, 4, 4}).node("MaxPool", {"x"}, {"y"}, {}, "pool").output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error ==
        "<memory>: node 'pool' (MaxPool, domain ai.onnx, opset 12): attribute 'kernel_shape' is required");
}
