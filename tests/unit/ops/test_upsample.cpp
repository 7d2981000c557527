// Upsample (opsets 7 and 9) against the naive interpolation in
// resize_reference.h with Upsample's rules (asymmetric coordinates, nearest
// truncating): nearest and linear, integer and fractional scales, odd sizes,
// a scaled channel axis, and the errors.
#include <doctest/doctest.h>

#include <string>

#include "resize_reference.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

using Shape = std::vector<int64_t>;

std::string upsample_model(int opset, const Shape& in, const std::vector<float>& scales, const std::string& mode) {
  ModelBuilder mb(opset);
  mb.input("x", in);
  if (opset < 9) {
    mb.node("Upsample", {"x"}, {"y"}, {Attr("mode", mode), Attr("scales", scales)}, "up");
  } else {
    mb.initializer("scales", {static_cast<int64_t>(scales.size())}, scales);
    mb.node("Upsample", {"x", "scales"}, {"y"}, {Attr("mode", mode)}, "up");
  }
  mb.output("y");
  return mb.bytes();
}

void check_upsample(int opset, const Shape& in, const std::vector<float>& scales, const std::string& mode,
                    uint32_t seed) {
  CAPTURE(opset);
  CAPTURE(mode);
  CAPTURE(scales.back());
  const size_t n = element_count(in);
  const auto x = random_floats(n, seed);
  Shape out(in.size());
  for (size_t i = 0; i < in.size(); ++i) out[i] = static_cast<int64_t>(scales[i] * static_cast<float>(in[i]));
  InterpSpec spec;
  spec.mode = mode;
  spec.coord = "asymmetric";
  spec.nearest = "simple";
  const RunResult r = run_model(upsample_model(opset, in, scales, mode), {HostTensor::floats("x", in, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == out);
  CHECK(max_abs_diff(r.outputs[0].f, reference_interpolate(spec, in, out, scales, x)) < 2e-5);
}

}  // namespace

TEST_CASE("Upsample nearest and linear at opsets 7 and 9") {
  uint32_t seed = 1;
  for (int opset : {7, 8, 9})
    for (const char* mode : {"nearest", "linear"}) {
      check_upsample(opset, {1, 2, 5, 7}, {1, 1, 2, 2}, mode, seed++);
      check_upsample(opset, {2, 3, 4, 3}, {1, 1, 1.5f, 3}, mode, seed++);
      check_upsample(opset, {1, 3, 5}, {1, 2, 2.5f}, mode, seed++);
    }
}

TEST_CASE("Upsample errors name the node and the problem") {
  SUBCASE("a scale below 1") {
    const RunResult r = load_model(upsample_model(9, {1, 1, 4, 4}, {1, 1, 0.5f, 2}, "nearest"));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'up' (Upsample, domain ai.onnx, opset 9): scales must be >= 1, got 0.5");
  }
  SUBCASE("scales of the wrong length") {
    const RunResult r = load_model(upsample_model(7, {1, 1, 4, 4}, {2, 2}, "nearest"));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error ==
          "<memory>: node 'up' (Upsample, domain ai.onnx, opset 7): scales has 2 values for an input of rank 4");
  }
  SUBCASE("cubic") {
    const RunResult r = load_model(upsample_model(9, {1, 1, 4, 4}, {1, 1, 2, 2}, "cubic"));
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'up' (Upsample, domain ai.onnx, opset 9): mode 'cubic' is not one of nearest, linear");
  }
}

TEST_CASE("Upsample with scales computed from a dynamic batch's shape") {
  // scales = Cast(Shape(x)) / Cast(Shape(x)) * [1, 1, 2, 3]: folds to a
  // constant only once a session knows the batch.
  ModelBuilder mb(9);
  mb.input("x", {-1, 2, 3, 4})
      .initializer("factor", {4}, {1, 1, 2, 3})
      .node("Shape", {"x"}, {"shape"})
      .node("Cast", {"shape"}, {"shape_f"}, {Attr("to", int64_t{onnx::TensorProto::FLOAT})})
      .node("Div", {"shape_f", "shape_f"}, {"ones"})
      .node("Mul", {"ones", "factor"}, {"scales"})
      .node("Upsample", {"x", "scales"}, {"y"}, {Attr("mode", "nearest")}, "up")
      .output("y");
  const std::string model = mb.bytes();
  for (int64_t batch : {1, 2}) {
    CAPTURE(batch);
    const Shape in = {batch, 2, 3, 4}, out = {batch, 2, 6, 12};
    const auto x = random_floats(element_count(in), 40 + static_cast<uint32_t>(batch));
    InterpSpec spec;
    spec.coord = "asymmetric";
    spec.nearest = "simple";
    const RunResult r = run_model(model, {HostTensor::floats("x", in, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == out);
    CHECK(max_abs_diff(r.outputs[0].f, reference_interpolate(spec, in, out, {1, 1, 2, 3}, x)) < 2e-5);
  }
}
