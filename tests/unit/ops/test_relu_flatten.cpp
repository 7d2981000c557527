// Relu and Flatten: values, in-place and zero-copy behaviour, axes, errors.
#include <doctest/doctest.h>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

TEST_CASE("Relu clamps negatives, keeps the shape, at every opset") {
  for (int64_t opset : {6, 13, 14}) {
    const std::vector<int64_t> dims = {2, 3, 5};
    const auto x = random_floats(30, static_cast<uint32_t>(opset));
    ModelBuilder mb(opset);
    mb.input("x", dims).node("Relu", {"x"}, {"y"}).output("y");
    std::vector<float> want(x);
    for (float& v : want) v = v > 0 ? v : 0;
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == dims);
    CHECK(max_abs_diff(r.outputs[0].f, want) == 0.0);
  }
}

TEST_CASE("Relu chain after Conv fuses and still matches, intermediate kept on request") {
  // x -> Conv(1x1, weight 1) -> Relu -> Relu: the first Relu fuses into the
  // Conv unless its input is requested as an extra output.
  ModelBuilder mb(13);
  mb.input("x", {1, 1, 2, 3}).initializer("w", {1, 1, 1, 1}, {1.0f});
  mb.node("Conv", {"x", "w"}, {"c"}).node("Relu", {"c"}, {"r1"}).node("Relu", {"r1"}, {"y"}).output("y");
  const std::vector<float> x = {-1, 2, -3, 4, -5, 6};
  const std::vector<float> relu = {0, 2, 0, 4, 0, 6};
  RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {1, 1, 2, 3}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f == relu);
  RunOptions keep;
  keep.extra_outputs = {"c"};
  r = run_model(mb.bytes(), {HostTensor::floats("x", {1, 1, 2, 3}, x)}, keep);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  REQUIRE(r.outputs.size() == 2);
  CHECK(r.outputs[0].f == relu);
  CHECK(r.outputs[1].name == "c");
  CHECK(r.outputs[1].f == x);
}

TEST_CASE("Relu refuses non-float input with the supported types") {
  ModelBuilder mb(14);
  mb.input("x", {4}, onnx::TensorProto::INT64).node("Relu", {"x"}, {"y"}, {}, "r").output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'r' (Relu, domain ai.onnx, opset 14): input 0 ('x') has element type int64; "
                   "supported: float");
}

TEST_CASE("Flatten at every axis, negative included") {
  const std::vector<int64_t> dims = {2, 3, 4, 5};
  const auto x = random_floats(120, 9);
  for (int64_t axis = -4; axis <= 4; ++axis) {
    ModelBuilder mb(13);
    mb.input("x", dims).node("Flatten", {"x"}, {"y"}, {Attr("axis", axis)}).output("y");
    int64_t a = axis < 0 ? axis + 4 : axis, outer = 1;
    for (int64_t i = 0; i < a; ++i) outer *= dims[i];
    CAPTURE(axis);
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == std::vector<int64_t>{outer, 120 / outer});
    CHECK(r.outputs[0].f == x);
  }
}

TEST_CASE("Flatten after Conv converts the conv's layout back to row-major") {
  // A conv output in a blocked or channels-last layout must be flattened in
  // NCHW order, as ONNX defines.
  const int64_t c = 16, h = 5, w = 5;
  const auto x = random_floats(static_cast<size_t>(c * h * w), 3);
  const std::vector<float> ident = identity_conv_weights(c);
  ModelBuilder mb(13);
  mb.input("x", {1, c, h, w}).initializer("w", {c, c, 1, 1}, ident);
  mb.node("Conv", {"x", "w"}, {"y"}).node("Flatten", {"y"}, {"f"}).output("f");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {1, c, h, w}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(max_abs_diff(r.outputs[0].f, x) < 1e-6);
}

TEST_CASE("Flatten errors") {
  SUBCASE("axis out of range") {
    ModelBuilder mb(13);
    mb.input("x", {2, 3}).node("Flatten", {"x"}, {"y"}, {Attr("axis", 3)}, "fl").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'fl' (Flatten, domain ai.onnx, opset 13): axis 3 is out of range for rank 2");
  }
  SUBCASE("negative axis before opset 11 is accepted (one meaning; older exporters wrote it)") {
    ModelBuilder mb(9);
    mb.input("x", {2, 3}).node("Flatten", {"x"}, {"y"}, {Attr("axis", -1)}, "fl").output("y");
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {2, 3}, {1, 2, 3, 4, 5, 6})});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == std::vector<int64_t>{2, 3});
  }
}
