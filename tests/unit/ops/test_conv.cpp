// Conv against a naive reference: 1-D and 2-D, groups (depthwise included),
// strides, dilations, explicit and automatic padding, with and without bias,
// random odd sizes; plus the errors a bad Conv must give.
#include <doctest/doctest.h>

#include <algorithm>

#include <cmath>
#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "window_size.h"

using namespace cnnrt::test;

namespace {

struct ConvCase {
  int64_t n = 1, c = 3, m = 4, group = 1;
  std::vector<int64_t> in, k, strides, dilations, pads;  // pads: begins then ends
  bool bias = true;
  std::string auto_pad = "NOTSET";
};

// Direct loops over the ONNX definition; spatial rank 1 or 2 (1-D uses h = 1).
std::vector<float> reference_conv(const ConvCase& cc, const std::vector<float>& x, const std::vector<float>& w,
                                  const std::vector<float>& b, std::vector<int64_t>* out_dims) {
  const bool two_d = cc.in.size() == 2;
  const int64_t ih = two_d ? cc.in[0] : 1, iw = cc.in.back();
  const int64_t kh = two_d ? cc.k[0] : 1, kw = cc.k.back();
  const int64_t sh = two_d ? cc.strides[0] : 1, sw = cc.strides.back();
  const int64_t dh = two_d ? cc.dilations[0] : 1, dw = cc.dilations.back();
  const size_t r = cc.in.size();
  int64_t ph0 = two_d ? cc.pads[0] : 0, pw0 = cc.pads[r - 1], ph1 = two_d ? cc.pads[r] : 0, pw1 = cc.pads[2 * r - 1];
  const int64_t oh = window_out_size(ih, kh, sh, dh, cc.auto_pad, false, ph0, ph1);
  const int64_t ow = window_out_size(iw, kw, sw, dw, cc.auto_pad, false, pw0, pw1);
  *out_dims = two_d ? std::vector<int64_t>{cc.n, cc.m, oh, ow} : std::vector<int64_t>{cc.n, cc.m, ow};
  const int64_t cg = cc.c / cc.group, mg = cc.m / cc.group;
  std::vector<float> y(static_cast<size_t>(cc.n * cc.m * oh * ow));
  for (int64_t n = 0; n < cc.n; ++n)
    for (int64_t m = 0; m < cc.m; ++m)
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          double acc = cc.bias ? b[m] : 0.0;
          const int64_t g = m / mg;
          for (int64_t ci = 0; ci < cg; ++ci)
            for (int64_t ky = 0; ky < kh; ++ky)
              for (int64_t kx = 0; kx < kw; ++kx) {
                const int64_t iy = oy * sh - ph0 + ky * dh, ix = ox * sw - pw0 + kx * dw;
                if (iy < 0 || iy >= ih || ix < 0 || ix >= iw) continue;
                const int64_t c = g * cg + ci;
                acc += static_cast<double>(x[((n * cc.c + c) * ih + iy) * iw + ix]) *
                       w[((m * cg + ci) * kh + ky) * kw + kx];
              }
          y[((n * cc.m + m) * oh + oy) * ow + ox] = static_cast<float>(acc);
        }
  return y;
}

void check_conv(const ConvCase& cc, uint32_t seed) {
  std::vector<int64_t> xdims = {cc.n, cc.c}, wdims = {cc.m, cc.c / cc.group};
  xdims.insert(xdims.end(), cc.in.begin(), cc.in.end());
  wdims.insert(wdims.end(), cc.k.begin(), cc.k.end());
  size_t xn = 1, wn = 1;
  for (auto d : xdims) xn *= d;
  for (auto d : wdims) wn *= d;
  const auto x = random_floats(xn, seed), w = random_floats(wn, seed + 1), b = random_floats(cc.m, seed + 2);

  std::vector<Attr> attrs = {Attr("group", cc.group), Attr("strides", cc.strides), Attr("dilations", cc.dilations),
                             Attr("kernel_shape", cc.k)};
  if (cc.auto_pad == "NOTSET")
    attrs.emplace_back("pads", cc.pads);
  else
    attrs.emplace_back("auto_pad", cc.auto_pad);
  ModelBuilder mb(11);
  mb.input("x", xdims).initializer("w", wdims, w);
  std::vector<std::string> inputs = {"x", "w"};
  if (cc.bias) {
    mb.initializer("b", {cc.m}, b);
    inputs.push_back("b");
  }
  mb.node("Conv", inputs, {"y"}, attrs).output("y");

  std::vector<int64_t> ydims;
  const auto want = reference_conv(cc, x, w, b, &ydims);
  for (cnnrt_conv_algorithm algo : {CNNRT_CONV_AUTO, CNNRT_CONV_DIRECT}) {
    RunOptions opts;
    opts.conv_algorithm = algo;
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xdims, x)}, opts);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == ydims);
    CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-4);
  }
}

// A 3x3 convolution, stride 1, padded by 1 (the output keeps the input's
// side x side size), with a bias: the Winograd-eligible case.
ConvCase same_3x3(int64_t n, int64_t c, int64_t m, int64_t side) {
  ConvCase cc;
  cc.n = n;
  cc.c = c;
  cc.m = m;
  cc.in = {side, side};
  cc.k = {3, 3};
  cc.strides = cc.dilations = {1, 1};
  cc.pads = {1, 1, 1, 1};
  return cc;
}

// A 1x1 convolution with strides, unpadded, with a bias.
ConvCase strided_1x1(int64_t n, int64_t c, int64_t m, const std::vector<int64_t>& in,
                     const std::vector<int64_t>& strides) {
  ConvCase cc;
  cc.n = n;
  cc.c = c;
  cc.m = m;
  cc.in = in;
  cc.k = std::vector<int64_t>(in.size(), 1);
  cc.strides = strides;
  cc.dilations = std::vector<int64_t>(in.size(), 1);
  cc.pads = std::vector<int64_t>(2 * in.size(), 0);
  return cc;
}

}  // namespace

TEST_CASE("Conv 2-D matches the reference over strides, dilations, pads and groups") {
  uint32_t seed = 1;
  for (int64_t group : {1, 2})
    for (int64_t stride : {1, 2})
      for (int64_t dilation : {1, 2})
        for (bool bias : {true, false}) {
          ConvCase cc;
          cc.n = 2;
          cc.c = 4;
          cc.m = 6;
          cc.group = group;
          cc.in = {9, 7};
          cc.k = {3, 2};
          cc.strides = {stride, stride};
          cc.dilations = {dilation, 1};
          cc.pads = {1, 0, 2, 1};
          cc.bias = bias;
          CAPTURE(group);
          CAPTURE(stride);
          CAPTURE(dilation);
          CAPTURE(bias);
          check_conv(cc, seed++);
        }
}

TEST_CASE("Conv depthwise (group == channels) and channel multiplier") {
  for (int64_t mult : {1, 3}) {
    ConvCase cc;
    cc.c = 5;
    cc.m = 5 * mult;
    cc.group = 5;
    cc.in = {11, 13};
    cc.k = {3, 3};
    cc.strides = {2, 1};
    cc.dilations = {1, 1};
    cc.pads = {1, 1, 1, 1};
    CAPTURE(mult);
    check_conv(cc, 40 + static_cast<uint32_t>(mult));
  }
}

TEST_CASE("Conv auto_pad SAME_UPPER, SAME_LOWER and VALID") {
  for (const char* mode : {"SAME_UPPER", "SAME_LOWER", "VALID"})
    for (int64_t stride : {1, 2, 3}) {
      ConvCase cc;
      cc.c = 2;
      cc.m = 3;
      cc.in = {10, 7};
      cc.k = {4, 3};
      cc.strides = {stride, stride};
      cc.dilations = {1, 1};
      cc.pads = {0, 0, 0, 0};
      cc.auto_pad = mode;
      CAPTURE(mode);
      CAPTURE(stride);
      check_conv(cc, 70 + static_cast<uint32_t>(stride));
    }
}

TEST_CASE("Conv 1-D") {
  for (int64_t group : {1, 3}) {
    ConvCase cc;
    cc.c = 3;
    cc.m = 6;
    cc.group = group;
    cc.in = {17};
    cc.k = {5};
    cc.strides = {2};
    cc.dilations = {2};
    cc.pads = {2, 1};
    CAPTURE(group);
    check_conv(cc, 90 + static_cast<uint32_t>(group));
  }
}

TEST_CASE("Conv 1x1 with strides gathers every s-th pixel, then runs a stride-1 convolution") {
  // Odd sizes, unequal strides, 1-D and 2-D, a batch; grouped ones run as
  // strided convolutions and must agree too.
  struct Shape {
    std::vector<int64_t> in, strides;
    int64_t group;
  };
  const std::vector<Shape> shapes = {{{9, 7}, {2, 2}, 1}, {{8, 8}, {2, 2}, 1}, {{10, 11}, {3, 2}, 1},
                                     {{7, 9}, {1, 2}, 1}, {{17}, {2}, 1},       {{9, 7}, {2, 2}, 2}};
  uint32_t seed = 500;
  for (const Shape& sh : shapes) {
    ConvCase cc = strided_1x1(2, 6, 10, sh.in, sh.strides);
    cc.group = sh.group;
    CAPTURE(sh.in.size());
    CAPTURE(sh.strides[0]);
    CAPTURE(sh.group);
    check_conv(cc, seed++);
  }
  // An empty batch: an empty output, nothing gathered.
  check_conv(strided_1x1(0, 4, 3, {6, 5}, {2, 2}), seed);
}

TEST_CASE("Conv 1x1 stride 2 on the output of another conv, in its layout, in FP32 and bf16") {
  // The gathering reorder reads the producer's layout through a strided
  // view: channels-last from a direct 3x3 conv (20 channels), 16-channel
  // blocks from a Winograd one (32 channels, FP32 only).
  const int64_t ci = 16, side = 20, half = side / 2, co = 24;
  for (int64_t c : {20, 32})
    for (cnnrt_precision precision : {CNNRT_PRECISION_FP32, CNNRT_PRECISION_BF16}) {
      CAPTURE(c);
      CAPTURE(precision);
      ModelBuilder mb(13);
      mb.input("x", {1, ci, side, side});
      const auto w1 = random_floats(static_cast<size_t>(c * ci * 9), 1);
      const auto w2 = random_floats(static_cast<size_t>(co * c), 2);
      const auto b2 = random_floats(co, 3);
      mb.initializer("w1", {c, ci, 3, 3}, w1).initializer("w2", {co, c, 1, 1}, w2).initializer("b2", {co}, b2);
      mb.node("Conv", {"x", "w1"}, {"h"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
      mb.node("Conv", {"h", "w2", "b2"}, {"y"}, {Attr("strides", std::vector<int64_t>{2, 2})}).output("y");
      const auto x = random_floats(static_cast<size_t>(ci * side * side), 4);
      RunOptions opts;
      opts.precision = precision;
      opts.profile = true;
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {1, ci, side, side}, x)}, opts);
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      REQUIRE(r.outputs[0].dims == std::vector<int64_t>{1, co, half, half});
      const bool winograd = std::any_of(r.step_impls.begin(), r.step_impls.end(),
                                        [](const std::string& s) { return s.find("wino") != std::string::npos; });
      CHECK(winograd == (c == 32 && precision == CNNRT_PRECISION_FP32));
      // Reference: the 3x3 conv, then the strided 1x1 on its output.
      ConvCase first = same_3x3(1, ci, c, side);
      first.bias = false;
      std::vector<int64_t> dims;
      const auto h = reference_conv(first, x, w1, {}, &dims);
      const auto want = reference_conv(strided_1x1(1, c, co, {side, side}, {2, 2}), h, w2, b2, &dims);
      double peak = 0;
      for (float v : want) peak = std::max(peak, static_cast<double>(std::fabs(v)));
      const double tolerance = precision == CNNRT_PRECISION_BF16 ? 2e-2 * peak : 2e-4;
      CHECK(max_abs_diff(r.outputs[0].f, want) < tolerance);
      // The second node's steps: the gathering reorder and a stride-1 conv.
      CHECK(std::count(r.step_ops.begin(), r.step_ops.end(), "Conv") == 3);
    }
}

TEST_CASE("Conv with a dynamic batch runs at several batch sizes") {
  ModelBuilder mb(13);
  const auto w = random_floats(2 * 1 * 3 * 3, 5);
  mb.input("x", {-1, 1, 6, 6}).initializer("w", {2, 1, 3, 3}, w).node("Conv", {"x", "w"}, {"y"}).output("y");
  for (int64_t n : {1, 3, 2}) {
    ConvCase cc;
    cc.n = n;
    cc.c = 1;
    cc.m = 2;
    cc.in = {6, 6};
    cc.k = {3, 3};
    cc.strides = {1, 1};
    cc.dilations = {1, 1};
    cc.pads = {0, 0, 0, 0};
    cc.bias = false;
    const auto x = random_floats(static_cast<size_t>(n * 36), 7);
    std::vector<int64_t> ydims;
    const auto want = reference_conv(cc, x, w, {}, &ydims);
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {n, 1, 6, 6}, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == ydims);
    CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-5);
  }
}

TEST_CASE("Conv errors name the node and the problem") {
  SUBCASE("weight channels do not match the input") {
    ModelBuilder mb(13);
    mb.input("x", {1, 3, 8, 8})
        .initializer("w", {4, 2, 3, 3}, std::vector<float>(72, 0.f))
        .node("Conv", {"x", "w"}, {"y"}, {}, "conv1")
        .output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error ==
          "<memory>: node 'conv1' (Conv, domain ai.onnx, opset 13): the input has 3 channels but the weight "
          "[4,2,3,3] with group 1 expects 2");
  }
  SUBCASE("kernel larger than the padded input") {
    ModelBuilder mb(13);
    mb.input("x", {1, 1, 2, 2})
        .initializer("w", {1, 1, 3, 3}, std::vector<float>(9, 0.f))
        .node("Conv", {"x", "w"}, {"y"}, {}, "conv1")
        .output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error.find("node 'conv1' (Conv, domain ai.onnx, opset 13): the kernel (3, dilation 1) is larger than "
                       "the padded input") != std::string::npos);
  }
  SUBCASE("bad auto_pad") {
    ModelBuilder mb(13);
    mb.input("x", {1, 1, 4, 4})
        .initializer("w", {1, 1, 3, 3}, std::vector<float>(9, 0.f))
        .node("Conv", {"x", "w"}, {"y"}, {Attr("auto_pad", "SOMETIMES")}, "conv1")
        .output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error ==
          "<memory>: node 'conv1' (Conv, domain ai.onnx, opset 13): auto_pad 'SOMETIMES' is not one of NOTSET, "
          "VALID, SAME_UPPER, SAME_LOWER");
  }
}

TEST_CASE("Conv 3x3 stride-1 layers large enough use Winograd, unless direct is forced") {
  ConvCase cc;
  cc.c = 32;
  cc.m = 24;
  cc.in = {28, 30};
  cc.k = {3, 3};
  cc.strides = {1, 1};
  cc.dilations = {1, 1};
  cc.pads = {1, 1, 1, 1};
  check_conv(cc, 123);  // both algorithms against the reference

  ModelBuilder mb(13);
  mb.input("x", {1, 32, 28, 30}).initializer("w", {24, 32, 3, 3}, random_floats(24 * 32 * 9, 3));
  mb.node("Conv", {"x", "w"}, {"y"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})}).output("y");
  for (cnnrt_conv_algorithm algo : {CNNRT_CONV_AUTO, CNNRT_CONV_DIRECT}) {
    const std::string bytes = mb.bytes();
    cnnrt_model* model = nullptr;
    cnnrt_session* session = nullptr;
    REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &model) == CNNRT_OK);
    cnnrt_session_options so;
    cnnrt_session_options_init(&so);
    so.conv_algorithm = algo;
    REQUIRE(cnnrt_session_create(model, &so, &session) == CNNRT_OK);
    size_t steps = 0;
    REQUIRE(cnnrt_session_profile_count(session, &steps) == CNNRT_OK);
    bool winograd = false;
    for (size_t i = 0; i < steps; ++i) {
      cnnrt_profile_entry e;
      REQUIRE(cnnrt_session_profile_entry(session, i, &e) == CNNRT_OK);
      if (std::string(e.op) == "Conv") winograd = std::string(e.impl).find("wino") != std::string::npos;
    }
    CHECK(winograd == (algo == CNNRT_CONV_AUTO));
    cnnrt_session_destroy(&session);
    cnnrt_model_destroy(&model);
  }
}

TEST_CASE("Conv: a batched Winograd layer with a large scratchpad runs image by image, residual add included") {
  // [2,64,56,56] -> 192 channels, 3x3 (GoogLeNet's conv3): the batch's
  // Winograd scratchpad is over 4 MiB and batch 1 runs the same kernel, so
  // the convolution runs as 2 batch-1 steps on views of the batch; the
  // residual r (fused as a sum post-op, written in place) must land on each
  // image's own slice.
  const std::vector<int64_t> xdims = {2, 64, 56, 56}, wdims = {192, 64, 3, 3}, ydims = {2, 192, 56, 56};
  const auto x = random_floats(2 * 64 * 56 * 56, 31), w = random_floats(192 * 64 * 9, 32);
  const auto b = random_floats(192, 33), res = random_floats(2 * 192 * 56 * 56, 34);
  ModelBuilder mb(13);
  mb.input("x", xdims).input("r", ydims).initializer("w", wdims, w).initializer("b", {192}, b);
  mb.node("Conv", {"x", "w", "b"}, {"y"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})})
      .node("Add", {"y", "r"}, {"z"})
      .output("z");
  const ConvCase cc = same_3x3(2, 64, 192, 56);
  std::vector<int64_t> ref_dims;
  std::vector<float> want = reference_conv(cc, x, w, b, &ref_dims);
  for (size_t i = 0; i < want.size(); ++i) want[i] += res[i];
  RunOptions opts;
  opts.profile = true;
  const RunResult r =
      run_model(mb.bytes(), {HostTensor::floats("x", xdims, x), HostTensor::floats("r", ydims, res)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == ydims);
  CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-3);
  CHECK(std::count(r.step_ops.begin(), r.step_ops.end(), "Conv") == 2);
  CHECK(std::count(r.step_ops.begin(), r.step_ops.end(), "Add") == 0);  // fused
}

TEST_CASE("Conv(x) + x: the fused residual add does not overwrite the conv's own input") {
  // The Add's other operand dies at the Add, so the sum could be written in
  // place into it, but the convolution still reads it.
  for (int64_t n : {1, 3})
    for (cnnrt_conv_algorithm algo : {CNNRT_CONV_AUTO, CNNRT_CONV_DIRECT}) {
      CAPTURE(n);
      CAPTURE(algo);
      const std::vector<int64_t> xdims = {n, 32, 20, 20};
      const auto x = random_floats(static_cast<size_t>(n) * 32 * 20 * 20, 41), w = random_floats(32 * 32 * 9, 42);
      const auto b = random_floats(32, 43);
      ModelBuilder mb(13);
      mb.input("x", xdims).initializer("w", {32, 32, 3, 3}, w).initializer("b", {32}, b);
      mb.node("Conv", {"x", "w", "b"}, {"y"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})})
          .node("Add", {"y", "x"}, {"z"})
          .output("z");
      const ConvCase cc = same_3x3(n, 32, 32, 20);
      std::vector<int64_t> ref_dims;
      std::vector<float> want = reference_conv(cc, x, w, b, &ref_dims);
      for (size_t i = 0; i < want.size(); ++i) want[i] += x[i];
      RunOptions opts;
      opts.conv_algorithm = algo;
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xdims, x)}, opts);
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-3);
    }
}

TEST_CASE("bf16 sessions run convolutions in bfloat16 and keep float outputs") {
  // conv -> relu -> maxpool -> conv -> flatten: bf16 layouts flow between
  // ops; the graph output is converted back to float32.
  ModelBuilder mb(13);
  mb.input("x", {2, 8, 20, 20});
  mb.initializer("w1", {16, 8, 3, 3}, random_floats(16 * 8 * 9, 11)).initializer("b1", {16}, random_floats(16, 12));
  mb.initializer("w2", {4, 16, 1, 1}, random_floats(4 * 16, 13));
  mb.node("Conv", {"x", "w1", "b1"}, {"c1"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
  mb.node("Relu", {"c1"}, {"r1"});
  mb.node("MaxPool", {"r1"}, {"p1"}, {Attr("kernel_shape", std::vector<int64_t>{2, 2}), Attr("strides", std::vector<int64_t>{2, 2})});
  mb.node("Conv", {"p1", "w2"}, {"c2"}).node("Flatten", {"c2"}, {"y"}).output("y");
  const std::string bytes = mb.bytes();
  const auto x = random_floats(2 * 8 * 400, 14);
  const RunResult fp32 = run_model(bytes, {HostTensor::floats("x", {2, 8, 20, 20}, x)});
  REQUIRE_MESSAGE(fp32.status == CNNRT_OK, fp32.error);

  cnnrt_model* model = nullptr;
  cnnrt_session* session = nullptr;
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &model) == CNNRT_OK);
  cnnrt_session_options so;
  cnnrt_session_options_init(&so);
  so.precision = CNNRT_PRECISION_BF16;
  REQUIRE(cnnrt_session_create(model, &so, &session) == CNNRT_OK);
  const int64_t dims[] = {2, 8, 20, 20};
  cnnrt_tensor in = {"x", CNNRT_FLOAT32, 4, dims, const_cast<float*>(x.data()), x.size() * sizeof(float)};
  cnnrt_tensor out{};
  REQUIRE(cnnrt_session_run(session, &in, 1, &out, 1) == CNNRT_OK);
  CHECK(out.dtype == CNNRT_FLOAT32);
  const std::vector<float> got(static_cast<const float*>(out.data),
                               static_cast<const float*>(out.data) + out.size_bytes / sizeof(float));
  double peak = 0;
  for (float v : fp32.outputs[0].f) peak = std::max(peak, static_cast<double>(std::fabs(v)));
  CHECK(max_abs_diff(got, fp32.outputs[0].f) <= 2e-2 * peak);  // bf16 keeps ~3 significant digits
  CHECK(max_abs_diff(got, fp32.outputs[0].f) > 0);               // and really is not float32
  size_t steps = 0;
  cnnrt_session_profile_count(session, &steps);
  int bf16_convs = 0;
  for (size_t i = 0; i < steps; ++i) {
    cnnrt_profile_entry e;
    cnnrt_session_profile_entry(session, i, &e);
    if (std::string(e.op) == "Conv" && std::string(e.impl).find("bf16") != std::string::npos) ++bf16_convs;
  }
  CHECK(bf16_convs == 2);
  cnnrt_session_destroy(&session);
  cnnrt_model_destroy(&model);
}

TEST_CASE("bf16 sessions hand bfloat16 convolution outputs to every kind of consumer") {
  // A conv's bf16 output read by ops whose primitives want float32 (average
  // pooling, reduction, a concat with a float32 graph input, a strided
  // Transpose): each gets it converted. These used to be refused by oneDNN
  // or read the bf16 bytes as float32.
  ModelBuilder mb(13);
  mb.input("x", {1, 8, 12, 12});
  mb.initializer("w", {16, 8, 3, 3}, random_floats(16 * 8 * 9, 21));
  mb.node("Conv", {"x", "w"}, {"c"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
  mb.node("AveragePool", {"c"}, {"avg"}, {Attr("kernel_shape", std::vector<int64_t>{2, 2}), Attr("strides", std::vector<int64_t>{2, 2})});
  mb.node("ReduceMean", {"c"}, {"mean"}, {Attr("axes", std::vector<int64_t>{2, 3}), Attr("keepdims", int64_t{0})});
  mb.node("Concat", {"c", "x"}, {"cat"}, {Attr("axis", int64_t{1})});
  mb.node("Transpose", {"c"}, {"t"}, {Attr("perm", std::vector<int64_t>{0, 2, 3, 1})});
  mb.output("avg").output("mean").output("cat").output("t");
  const std::string bytes = mb.bytes();
  const std::vector<HostTensor> in = {HostTensor::floats("x", {1, 8, 12, 12}, random_floats(8 * 144, 22))};
  const RunResult fp32 = run_model(bytes, in);
  REQUIRE_MESSAGE(fp32.status == CNNRT_OK, fp32.error);
  RunOptions o;
  o.precision = CNNRT_PRECISION_BF16;
  const RunResult bf16 = run_model(bytes, in, o);
  REQUIRE_MESSAGE(bf16.status == CNNRT_OK, bf16.error);
  REQUIRE(bf16.outputs.size() == 4);
  for (size_t k = 0; k < 4; ++k) {
    CAPTURE(k);
    CHECK(bf16.outputs[k].dims == fp32.outputs[k].dims);
    double peak = 0;
    for (float v : fp32.outputs[k].f) peak = std::max(peak, static_cast<double>(std::fabs(v)));
    CHECK(max_abs_diff(bf16.outputs[k].f, fp32.outputs[k].f) <= 2e-2 * peak);
  }
}
