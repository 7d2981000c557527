// Resize against a naive interpolation (resize_reference.h): nearest with
// every rounding mode, linear and cubic (coefficient, exclude_outside), every
// supported coordinate transformation, up- and downsampling with integer and
// fractional scales or sizes, odd sizes, 3-D to 5-D inputs, a resized
// channel axis, an input in a Conv's layout, each opset form (10, 11, 13,
// 18 with axes and keep_aspect_ratio_policy, 19), and the errors.
#include <doctest/doctest.h>

#include <string>

#include "resize_reference.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

using Shape = std::vector<int64_t>;

struct ResizeCase {
  Shape in;
  std::vector<float> scales;  // empty: use sizes
  Shape sizes;
  InterpSpec spec;
  int opset = 13;
  Shape axes;  // opset 18+
  std::string policy;  // keep_aspect_ratio_policy, opset 18+
};

// Output dims and the per-axis scale the coordinates use, as ONNX Runtime
// derives them.
void derive(const ResizeCase& rc, Shape* out, std::vector<float>* scales) {
  const size_t rank = rc.in.size();
  *out = rc.in;
  scales->assign(rank, 1.0f);
  std::vector<size_t> axes;
  for (auto a : rc.axes) axes.push_back(static_cast<size_t>(a < 0 ? a + static_cast<int64_t>(rank) : a));
  if (axes.empty())
    for (size_t i = 0; i < rank; ++i) axes.push_back(i);
  if (!rc.scales.empty()) {
    for (size_t k = 0; k < axes.size(); ++k) (*scales)[axes[k]] = rc.scales[k];
    for (size_t i = 0; i < rank; ++i) (*out)[i] = static_cast<int64_t>((*scales)[i] * static_cast<float>(rc.in[i]));
    return;
  }
  if (rc.policy.empty() || rc.policy == "stretch") {
    for (size_t k = 0; k < axes.size(); ++k) {
      (*out)[axes[k]] = rc.sizes[k];
      (*scales)[axes[k]] = static_cast<float>(rc.sizes[k]) / static_cast<float>(rc.in[axes[k]]);
    }
    return;
  }
  float s = rc.policy == "not_larger" ? 1e30f : 0.0f;
  for (size_t k = 0; k < axes.size(); ++k) {
    const float r = static_cast<float>(rc.sizes[k]) / static_cast<float>(rc.in[axes[k]]);
    s = rc.policy == "not_larger" ? std::min(s, r) : std::max(s, r);
  }
  for (size_t a : axes) {
    (*scales)[a] = s;
    (*out)[a] = static_cast<int64_t>(std::round(s * static_cast<float>(rc.in[a])));
  }
}

std::string resize_model(const ResizeCase& rc, const std::string& input = "x") {
  ModelBuilder mb(rc.opset);
  std::vector<Attr> attrs = {Attr("mode", rc.spec.mode)};
  std::vector<std::string> inputs = {input};
  if (rc.opset >= 11) {
    attrs.emplace_back("coordinate_transformation_mode", rc.spec.coord);
    attrs.emplace_back("nearest_mode", rc.spec.nearest);
    attrs.emplace_back("cubic_coeff_a", rc.spec.cubic_a);
    attrs.emplace_back("exclude_outside", static_cast<int64_t>(rc.spec.exclude_outside));
    inputs.push_back("");  // roi
  }
  if (rc.opset >= 18 && !rc.axes.empty()) attrs.emplace_back("axes", rc.axes);
  if (rc.opset >= 18 && !rc.policy.empty()) attrs.emplace_back("keep_aspect_ratio_policy", rc.policy);
  if (!rc.scales.empty()) {
    mb.initializer("scales", {static_cast<int64_t>(rc.scales.size())}, rc.scales);
    inputs.push_back("scales");
  } else {
    mb.initializer_i64("sizes", {static_cast<int64_t>(rc.sizes.size())}, rc.sizes);
    inputs.push_back("");
    inputs.push_back("sizes");
  }
  mb.input("x", rc.in);
  if (input != "x") mb.node("Relu", {"x"}, {input});  // any producer will do
  mb.node("Resize", inputs, {"y"}, attrs, "resize").output("y");
  return mb.bytes();
}

void check_resize(const ResizeCase& rc, uint32_t seed) {
  CAPTURE(rc.opset);
  CAPTURE(rc.spec.mode);
  CAPTURE(rc.spec.coord);
  CAPTURE(rc.spec.nearest);
  CAPTURE(rc.in.size());
  CAPTURE(rc.scales.empty() ? -1.0f : rc.scales.back());
  CAPTURE(rc.sizes.empty() ? -1 : rc.sizes.back());
  const auto x = random_floats(element_count(rc.in), seed);
  Shape out;
  std::vector<float> scales;
  derive(rc, &out, &scales);
  const auto want = reference_interpolate(rc.spec, rc.in, out, scales, x);
  const RunResult r = run_model(resize_model(rc), {HostTensor::floats("x", rc.in, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == out);
  CHECK(max_abs_diff(r.outputs[0].f, want) < 2e-5);
}

const char* kCoordModes[] = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"};

}  // namespace

TEST_CASE("Resize nearest: every rounding mode and coordinate transformation, up and down") {
  uint32_t seed = 1;
  for (const char* coord : {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"})
    for (const char* nearest : {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"})
      for (const auto& scales : std::vector<std::vector<float>>{{1, 1, 2, 3}, {1, 1, 0.5f, 0.6f}, {1, 1, 1.7f, 2.5f}}) {
        ResizeCase rc;
        rc.in = {1, 2, 5, 7};
        rc.scales = scales;
        rc.spec.coord = coord;
        rc.spec.nearest = nearest;
        check_resize(rc, seed++);
      }
}

TEST_CASE("Resize linear and cubic over the coordinate transformations, scales and sizes") {
  uint32_t seed = 100;
  for (const char* mode : {"linear", "cubic"})
    for (const char* coord : kCoordModes) {
      for (const auto& scales : std::vector<std::vector<float>>{{1, 1, 2, 2}, {1, 1, 0.5f, 0.75f}, {1, 1, 1.3f, 2.6f}}) {
        ResizeCase rc;
        rc.in = {2, 3, 6, 5};
        rc.scales = scales;
        rc.spec.mode = mode;
        rc.spec.coord = coord;
        check_resize(rc, seed++);
      }
      for (const auto& sizes : std::vector<Shape>{{2, 3, 9, 1}, {2, 3, 3, 11}, {2, 3, 1, 1}}) {
        ResizeCase rc;
        rc.in = {2, 3, 6, 5};
        rc.sizes = sizes;
        rc.spec.mode = mode;
        rc.spec.coord = coord;
        check_resize(rc, seed++);
      }
    }
}

TEST_CASE("Resize cubic coefficient and exclude_outside") {
  uint32_t seed = 200;
  for (float a : {-0.75f, -0.5f})
    for (bool exclude : {false, true})
      for (const auto& scales : std::vector<std::vector<float>>{{1, 1, 2.5f, 1.5f}, {1, 1, 0.8f, 0.6f}}) {
        ResizeCase rc;
        rc.in = {1, 2, 7, 6};
        rc.scales = scales;
        rc.spec.mode = "cubic";
        rc.spec.cubic_a = a;
        rc.spec.exclude_outside = exclude;
        CAPTURE(a);
        CAPTURE(exclude);
        check_resize(rc, seed++);
      }
}

TEST_CASE("Resize 3-D and 5-D inputs, and a resized channel axis") {
  uint32_t seed = 300;
  for (const char* mode : {"nearest", "linear"}) {
    ResizeCase one;
    one.in = {2, 3, 7};
    one.scales = {1, 1, 2};
    one.spec.mode = mode;
    check_resize(one, seed++);
    ResizeCase three;
    three.in = {1, 2, 3, 4, 5};
    three.scales = {1, 1, 2, 2, 2};
    three.spec.mode = mode;
    check_resize(three, seed++);
    three.scales = {1, 1, 1.5f, 0.5f, 2};
    check_resize(three, seed++);
    ResizeCase channels;
    channels.in = {2, 5, 3, 4};
    channels.scales = {1, 2, 1, 1.5f};
    channels.spec.mode = mode;
    check_resize(channels, seed++);
  }
}

TEST_CASE("Resize opset forms: 10 (Upsample-like), 11, 13, 18 (axes, keep_aspect_ratio_policy), 19") {
  uint32_t seed = 400;
  for (const char* mode : {"nearest", "linear"})
    for (const auto& scales : std::vector<std::vector<float>>{{1, 1, 2, 3}, {1, 1, 0.6f, 0.75f}}) {
      ResizeCase rc;
      rc.opset = 10;
      rc.in = {1, 2, 5, 7};
      rc.scales = scales;
      rc.spec.mode = mode;
      rc.spec.coord = "asymmetric";
      rc.spec.nearest = "simple";
      check_resize(rc, seed++);
    }
  for (int opset : {11, 13, 18, 19}) {
    ResizeCase rc;
    rc.opset = opset;
    rc.in = {1, 2, 5, 7};
    rc.sizes = {1, 2, 8, 4};
    rc.spec.mode = "linear";
    check_resize(rc, seed++);
  }
  for (const char* policy : {"stretch", "not_larger", "not_smaller"})
    for (bool with_axes : {false, true}) {
      ResizeCase rc;
      rc.opset = 18;
      rc.in = {1, 2, 5, 7};
      rc.sizes = with_axes ? Shape{8, 9} : Shape{1, 2, 8, 9};
      if (with_axes) rc.axes = {2, -1};
      rc.policy = policy;
      rc.spec.mode = "linear";
      CAPTURE(policy);
      CAPTURE(with_axes);
      check_resize(rc, seed++);
    }
  ResizeCase axes_scales;
  axes_scales.opset = 18;
  axes_scales.in = {1, 2, 5, 7};
  axes_scales.scales = {2.0f, 0.5f};
  axes_scales.axes = {3, 2};
  axes_scales.spec.mode = "nearest";
  check_resize(axes_scales, seed++);
  for (const char* mode : {"nearest", "linear", "cubic"}) {
    ResizeCase sym;
    sym.opset = 19;
    sym.in = {1, 1, 6, 5};
    sym.scales = {1, 1, 1.5f, 0.7f};
    sym.spec.mode = mode;
    sym.spec.coord = "half_pixel_symmetric";
    check_resize(sym, seed++);
  }
}

TEST_CASE("Resize reads a Conv output in the Conv's layout") {
  const int64_t c = 32;
  const std::vector<float> w = identity_conv_weights(c);
  for (const char* mode : {"nearest", "linear"})
    for (const char* coord : {"asymmetric", "half_pixel", "align_corners"}) {
      ResizeCase rc;
      rc.in = {2, c, 5, 6};
      rc.scales = {1, 1, 2, 2};
      rc.spec.mode = mode;
      rc.spec.coord = coord;
      rc.spec.nearest = "floor";
      const auto x = random_floats(element_count(rc.in), 500);
      Shape out;
      std::vector<float> scales;
      derive(rc, &out, &scales);
      ModelBuilder mb(13);
      mb.input("x", rc.in)
          .initializer("w", {c, c, 1, 1}, w)
          .initializer("scales", {4}, rc.scales)
          .node("Conv", {"x", "w"}, {"t"})
          .node("Resize", {"t", "", "scales"}, {"y"},
                {Attr("mode", mode), Attr("coordinate_transformation_mode", coord), Attr("nearest_mode", "floor")})
          .output("y");
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", rc.in, x)});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].dims == out);
      CHECK(max_abs_diff(r.outputs[0].f, reference_interpolate(rc.spec, rc.in, out, scales, x)) < 2e-5);
    }
}

TEST_CASE("Resize errors name the node and the problem") {
  const std::string prefix = "<memory>: node 'resize' (Resize, domain ai.onnx, opset 13): ";
  ResizeCase rc;
  rc.in = {1, 1, 4, 4};
  rc.scales = {1, 1, 2, 2};
  SUBCASE("tf_crop_and_resize") {
    rc.spec.coord = "tf_crop_and_resize";
    const RunResult r = load_model(resize_model(rc));
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == prefix + "coordinate_transformation_mode 'tf_crop_and_resize' is not supported (supported: "
                              "half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, "
                              "tf_half_pixel_for_nn)");
  }
  SUBCASE("scales of the wrong length") {
    rc.scales = {2, 2};
    const RunResult r = load_model(resize_model(rc));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "scales has 2 values for 4 axes");
  }
  SUBCASE("neither scales nor sizes") {
    ModelBuilder mb(13);
    mb.input("x", {1, 1, 4, 4}).node("Resize", {"x"}, {"y"}, {}, "resize").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "exactly one of scales and sizes must be given (neither are)");
  }
  SUBCASE("sizes computed from data") {
    // A rank-2 input is never taken as a shape input (Session keys plans
    // only on small rank <= 1 inputs), so these sizes never fold.
    ModelBuilder mb(13);
    mb.input("x", {1, 1, 4, 4}).input("sizes_2d", {2, 2}, onnx::TensorProto::INT64);
    mb.initializer_i64("flat", {1}, {4});
    mb.node("Reshape", {"sizes_2d", "flat"}, {"sizes"});
    mb.node("Resize", {"x", "", "", "sizes"}, {"y"}, {}, "resize").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == prefix + "sizes must be a constant or computable from the input shapes");
  }
  SUBCASE("bad mode and nearest_mode") {
    rc.spec.mode = "area";
    RunResult r = load_model(resize_model(rc));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "mode 'area' is not one of nearest, linear, cubic");
    rc.spec.mode = "nearest";
    rc.spec.nearest = "nearest";
    r = load_model(resize_model(rc));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "nearest_mode 'nearest' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil");
  }
  SUBCASE("antialiased downsampling") {
    ModelBuilder mb(18);
    mb.input("x", {1, 1, 4, 4}).initializer("scales", {4}, {1, 1, 0.5f, 0.5f});
    mb.node("Resize", {"x", "", "scales"}, {"y"}, {Attr("mode", "linear"), Attr("antialias", 1)}, "resize").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: node 'resize' (Resize, domain ai.onnx, opset 18): antialiased downsampling (antialias "
                     "= 1 with a scale below 1)");
  }
}

namespace {

// PyTorch exports F.interpolate(x, size=(H, W)) on a dynamic batch as sizes
// = Concat(Slice(Shape(x), 0, 2), [H, W]): not a constant at load (the batch
// is unknown), folded once a session knows it (segmentation heads: FCN,
// DeepLabV3, LR-ASPP).
std::string resize_to_size_of_dynamic_batch(int64_t channels, int64_t h, int64_t w, int64_t out_h, int64_t out_w) {
  ModelBuilder mb(13);
  mb.input("x", {-1, channels, h, w})
      .initializer_i64("start", {1}, {0})
      .initializer_i64("end", {1}, {2})
      .initializer_i64("hw", {2}, {out_h, out_w})
      .node("Shape", {"x"}, {"shape"})
      .node("Slice", {"shape", "start", "end"}, {"nc"})
      .node("Concat", {"nc", "hw"}, {"sizes"}, {Attr("axis", int64_t{0})})
      .node("Resize", {"x", "", "", "sizes"}, {"y"},
            {Attr("mode", "linear"), Attr("coordinate_transformation_mode", "half_pixel")}, "resize")
      .output("y");
  return mb.bytes();
}

}  // namespace

TEST_CASE("Resize to sizes computed from a dynamic batch's shape") {
  for (int64_t batch : {1, 3}) {
    CAPTURE(batch);
    ResizeCase rc;
    rc.in = {batch, 2, 5, 6};
    rc.sizes = {batch, 2, 11, 9};
    rc.spec.mode = "linear";
    rc.spec.coord = "half_pixel";
    const auto x = random_floats(element_count(rc.in), 700 + static_cast<uint32_t>(batch));
    Shape out;
    std::vector<float> scales;
    derive(rc, &out, &scales);
    const RunResult r = run_model(resize_to_size_of_dynamic_batch(2, 5, 6, 11, 9), {HostTensor::floats("x", rc.in, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == out);
    CHECK(max_abs_diff(r.outputs[0].f, reference_interpolate(rc.spec, rc.in, out, scales, x)) < 2e-5);
  }
}

TEST_CASE("Resize with sizes given as a graph input: a plan per sizes") {
  ModelBuilder mb(13);
  mb.input("x", {-1, 1, 4, 4}).input("sizes", {4}, onnx::TensorProto::INT64);
  mb.node("Resize", {"x", "", "", "sizes"}, {"y"}, {Attr("mode", "linear")}, "resize").output("y");
  const std::string model = mb.bytes();
  for (const Shape& sizes : {Shape{1, 1, 8, 8}, Shape{2, 1, 3, 7}}) {
    CAPTURE(sizes[2]);
    ResizeCase rc;
    rc.in = {sizes[0], 1, 4, 4};
    rc.sizes = sizes;
    rc.spec.mode = "linear";
    const auto x = random_floats(element_count(rc.in), 31 + static_cast<uint32_t>(sizes[3]));
    Shape out;
    std::vector<float> scales;
    derive(rc, &out, &scales);
    const RunResult r = run_model(model, {HostTensor::floats("x", rc.in, x), HostTensor::ints("sizes", {4}, sizes)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == out);
    CHECK(max_abs_diff(r.outputs[0].f, reference_interpolate(rc.spec, rc.in, out, scales, x)) < 2e-5);
  }
}
