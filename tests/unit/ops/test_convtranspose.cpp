// ConvTranspose against a naive scatter reference: 1-D to 3-D, groups
// (depthwise included), strides, dilations, pads, output_padding,
// output_shape (odd, even, zero and negative total padding), auto_pad,
// bias, a fused Relu, each opset form, and the errors a bad ConvTranspose
// must give.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

using Shape = std::vector<int64_t>;

struct DeconvCase {
  int64_t n = 1, c = 2, m = 3, group = 1;
  Shape in, k, strides, dilations, pads, output_padding, output_shape;  // pads: begins then ends
  std::string auto_pad = "NOTSET";
  bool bias = true;
  int opset = 11;
};

// Output size and begin padding per dim, following the ONNX definition.
void plan(const DeconvCase& dc, Shape* out, Shape* pb) {
  const size_t r = dc.in.size();
  out->assign(r, 0);
  pb->assign(r, 0);
  for (size_t i = 0; i < r; ++i) {
    const int64_t natural = dc.strides[i] * (dc.in[i] - 1) + dc.output_padding[i] + (dc.k[i] - 1) * dc.dilations[i] + 1;
    const bool same = dc.auto_pad == "SAME_UPPER" || dc.auto_pad == "SAME_LOWER";
    if (!dc.output_shape.empty() || same) {
      (*out)[i] = dc.output_shape.empty() ? dc.in[i] * dc.strides[i] : dc.output_shape[i];
      const int64_t total = natural - (*out)[i];
      (*pb)[i] = total <= 0 ? 0 : (dc.auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2);
    } else {
      const bool pads = dc.auto_pad == "NOTSET" && !dc.pads.empty();
      (*pb)[i] = pads ? dc.pads[i] : 0;
      (*out)[i] = natural - (*pb)[i] - (pads ? dc.pads[i + r] : 0);
    }
  }
}

// Every input element scatters kernel-weighted copies into the output.
std::vector<float> reference_deconv(const DeconvCase& dc, const std::vector<float>& x, const std::vector<float>& w,
                                    const std::vector<float>& b, Shape* ydims) {
  Shape out, pb;
  plan(dc, &out, &pb);
  const size_t r = dc.in.size();
  *ydims = {dc.n, dc.m};
  ydims->insert(ydims->end(), out.begin(), out.end());
  const int64_t in_sp = static_cast<int64_t>(element_count(dc.in)), out_sp = static_cast<int64_t>(element_count(out));
  const int64_t k_sp = static_cast<int64_t>(element_count(dc.k));
  const int64_t cg = dc.c / dc.group, mg = dc.m / dc.group;
  std::vector<double> y(element_count(*ydims), 0.0);
  for (int64_t n = 0; n < dc.n; ++n)
    for (int64_t c = 0; c < dc.c; ++c)
      for (int64_t i = 0; i < in_sp; ++i)
        for (int64_t kk = 0; kk < k_sp; ++kk) {
          int64_t irest = i, krest = kk, o = 0;
          Shape ipos(r), kpos(r);
          for (size_t d = r; d-- > 0;) {
            ipos[d] = irest % dc.in[d];
            irest /= dc.in[d];
            kpos[d] = krest % dc.k[d];
            krest /= dc.k[d];
          }
          bool inside = true;
          for (size_t d = 0; d < r; ++d) {
            const int64_t p = ipos[d] * dc.strides[d] + kpos[d] * dc.dilations[d] - pb[d];
            if (p < 0 || p >= out[d]) inside = false;
            o = o * out[d] + p;
          }
          if (!inside) continue;
          const int64_t g = c / cg;
          for (int64_t mo = 0; mo < mg; ++mo) {
            const int64_t m = g * mg + mo;
            y[static_cast<size_t>((n * dc.m + m) * out_sp + o)] +=
                static_cast<double>(x[static_cast<size_t>((n * dc.c + c) * in_sp + i)]) *
                w[static_cast<size_t>((c * mg + mo) * k_sp + kk)];
          }
        }
  std::vector<float> yf(y.size());
  for (size_t i = 0; i < y.size(); ++i)
    yf[i] = static_cast<float>(y[i] + (dc.bias ? b[(i / static_cast<size_t>(out_sp)) % static_cast<size_t>(dc.m)] : 0));
  return yf;
}

std::string deconv_model(const DeconvCase& dc, const std::vector<float>& w, const std::vector<float>& b,
                         bool relu = false) {
  Shape xdims = {dc.n, dc.c}, wdims = {dc.c, dc.m / dc.group};
  xdims.insert(xdims.end(), dc.in.begin(), dc.in.end());
  wdims.insert(wdims.end(), dc.k.begin(), dc.k.end());
  std::vector<Attr> attrs = {Attr("group", dc.group), Attr("strides", dc.strides), Attr("dilations", dc.dilations),
                             Attr("output_padding", dc.output_padding)};
  if (!dc.pads.empty()) attrs.emplace_back("pads", dc.pads);
  if (!dc.output_shape.empty()) attrs.emplace_back("output_shape", dc.output_shape);
  if (dc.auto_pad != "NOTSET") attrs.emplace_back("auto_pad", dc.auto_pad);
  ModelBuilder mb(dc.opset);
  mb.input("x", xdims).initializer("w", wdims, w);
  std::vector<std::string> inputs = {"x", "w"};
  if (dc.bias) {
    mb.initializer("b", {dc.m}, b);
    inputs.push_back("b");
  }
  mb.node("ConvTranspose", inputs, {relu ? "t" : "y"}, attrs, "deconv");
  if (relu) mb.node("Relu", {"t"}, {"y"});
  mb.output("y");
  return mb.bytes();
}

void check_deconv(const DeconvCase& dc, uint32_t seed, bool relu = false) {
  Shape xdims = {dc.n, dc.c};
  xdims.insert(xdims.end(), dc.in.begin(), dc.in.end());
  const auto x = random_floats(element_count(xdims), seed);
  const auto w = random_floats(static_cast<size_t>(dc.c * (dc.m / dc.group)) * element_count(dc.k), seed + 1);
  const auto b = random_floats(static_cast<size_t>(dc.m), seed + 2);
  Shape ydims;
  auto want = reference_deconv(dc, x, w, b, &ydims);
  if (relu)
    for (float& v : want) v = std::max(v, 0.0f);
  const RunResult r = run_model(deconv_model(dc, w, b, relu), {HostTensor::floats("x", xdims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == ydims);
  CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-4);
}

DeconvCase case_2d(Shape in, Shape k, Shape s) {
  DeconvCase dc;
  dc.in = std::move(in);
  dc.k = std::move(k);
  dc.strides = std::move(s);
  dc.dilations = Shape(dc.in.size(), 1);
  dc.output_padding = Shape(dc.in.size(), 0);
  return dc;
}

}  // namespace

TEST_CASE("ConvTranspose 2-D over strides, dilations, pads, output_padding, groups and bias") {
  uint32_t seed = 1;
  for (int64_t group : {1, 2})
    for (int64_t stride : {1, 2, 3})
      for (int64_t dil : {1, 2})
        for (bool bias : {true, false}) {
          DeconvCase dc = case_2d({5, 4}, {3, 2}, {stride, stride});
          dc.n = 2;
          dc.c = 4;
          dc.m = 6;
          dc.group = group;
          dc.dilations = {dil, 1};
          dc.pads = {1, 0, 0, 1};
          dc.output_padding = {stride - 1, 0};
          dc.bias = bias;
          CAPTURE(group);
          CAPTURE(stride);
          CAPTURE(dil);
          CAPTURE(bias);
          check_deconv(dc, seed);
          seed += 3;
        }
}

TEST_CASE("ConvTranspose depthwise and 1-D / 3-D") {
  DeconvCase dw = case_2d({7, 6}, {4, 4}, {2, 2});
  dw.c = dw.m = dw.group = 5;
  dw.pads = {1, 1, 1, 1};
  check_deconv(dw, 100);
  DeconvCase one = case_2d({9}, {3}, {2});
  one.dilations = {2};
  one.pads = {2, 1};
  one.output_padding = {1};
  check_deconv(one, 110);
  DeconvCase three = case_2d({3, 4, 2}, {2, 3, 2}, {2, 1, 3});
  three.output_padding = {1, 0, 2};
  three.pads = {0, 1, 0, 1, 0, 1};
  check_deconv(three, 120);
}

TEST_CASE("ConvTranspose output_shape and auto_pad split the padding like ONNX") {
  uint32_t seed = 200;
  // natural size 2*(3-1)+3 = 7: outputs 5 (total 2), 6 (total 1), 7 (none), 8 (extends the end)
  for (const char* mode : {"NOTSET", "SAME_UPPER", "SAME_LOWER"})
    for (int64_t out : {5, 6, 7, 8}) {
      DeconvCase dc = case_2d({3, 4}, {3, 3}, {2, 3});
      dc.auto_pad = mode;
      dc.output_shape = {out, 12};
      CAPTURE(mode);
      CAPTURE(out);
      check_deconv(dc, seed++);
    }
  for (const char* mode : {"SAME_UPPER", "SAME_LOWER", "VALID"})
    for (int64_t stride : {1, 2, 3}) {
      DeconvCase dc = case_2d({4, 5}, {3, 4}, {stride, stride});
      dc.auto_pad = mode;
      CAPTURE(mode);
      CAPTURE(stride);
      check_deconv(dc, seed++);
    }
  // output_shape given with the batch and channel dims too
  DeconvCase full = case_2d({3, 3}, {3, 3}, {3, 2});
  full.output_shape = {10, 8};
  std::vector<float> w = random_floats(2 * 3 * 9, 301), b = random_floats(3, 302);
  const auto x = random_floats(18, 300);
  Shape ydims;
  const auto want = reference_deconv(full, x, w, b, &ydims);
  full.output_shape = {1, 3, 10, 8};
  const RunResult r = run_model(deconv_model(full, w, b), {HostTensor::floats("x", {1, 2, 3, 3}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == ydims);
  CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-4);
}

TEST_CASE("ConvTranspose each opset form and a fused Relu") {
  uint32_t seed = 400;
  for (int opset : {1, 11, 22}) {
    DeconvCase dc = case_2d({4, 5}, {3, 3}, {2, 2});
    dc.opset = opset;
    dc.pads = {1, 1, 1, 1};
    dc.output_padding = {1, 1};
    CAPTURE(opset);
    check_deconv(dc, seed);
    check_deconv(dc, seed + 10, /*relu=*/true);
    ++seed;
  }
}

TEST_CASE("ConvTranspose errors name the node and the problem") {
  const std::string prefix = "<memory>: node 'deconv' (ConvTranspose, domain ai.onnx, opset 11): ";
  const std::vector<float> w(2 * 3 * 9, 0.f), b(3, 0.f);
  SUBCASE("channels do not match the weight") {
    ModelBuilder mb(11);
    mb.input("x", {1, 3, 4, 4}).initializer("w", {2, 3, 3, 3}, w).node("ConvTranspose", {"x", "w"}, {"y"}, {}, "deconv");
    mb.output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "the input has 3 channels but the weight [2,3,3,3] expects 2");
  }
  SUBCASE("output_shape beyond what oneDNN can extend") {
    DeconvCase dc = case_2d({3, 3}, {3, 3}, {2, 2});
    dc.output_shape = {9, 7};  // natural 7: two beyond, stride 2 allows one
    const RunResult r = load_model(deconv_model(dc, w, b));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == prefix + "an output of 9 in spatial dim 0 reaches 2 beyond the last input's window; at most "
                              "stride - 1 = 1 is supported");
  }
  SUBCASE("pads that leave no output") {
    DeconvCase dc = case_2d({1, 3}, {3, 3}, {1, 1});
    dc.pads = {2, 0, 1, 0};
    const RunResult r = load_model(deconv_model(dc, w, b));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "pads [2,0,1,0] leave no output in spatial dim 0 (3 - 2 - 1)");
  }
  SUBCASE("bad auto_pad") {
    DeconvCase dc = case_2d({3, 3}, {3, 3}, {1, 1});
    dc.auto_pad = "FULL";
    const RunResult r = load_model(deconv_model(dc, w, b));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "auto_pad 'FULL' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
  }
}
