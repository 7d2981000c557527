// ReduceMean against a naive the mean: the shared reduction cases in
// reduce_cases.h (ranks, axes, keepdims, opset forms, layouts, empty sets,
// errors).
#include "reduce_cases.h"

using namespace cnnrt::test;

namespace {

ReduceOp op() {
  ReduceOp op;
  op.name = "ReduceMean";
  op.axes_input_opset = 18;
  op.fold = [](const std::vector<double>& v) { return fold_sum(v) / static_cast<double>(v.size()); };
  return op;
}

}  // namespace

TEST_CASE("ReduceMean matches the reference") { run_reduce_cases(op()); }

TEST_CASE("ReduceMean over the spatial dims of a Winograd conv's output (16-channel blocks) avoids the reference kernel") {
  // x.mean([2, 3]) as PyTorch exports it (MNASNet's head): global pooling
  // into a row-major [N, C]. From 16-channel blocks oneDNN has only its
  // reference kernel for that (1.26 ms at [1,1280,7,7]); the input is read
  // channels-last instead. The result is the mean of the conv output.
  ModelBuilder mb(13);
  mb.input("x", {1, 16, 20, 20}).initializer("w", {32, 16, 3, 3}, random_floats(32 * 16 * 9, 41));
  mb.node("Conv", {"x", "w"}, {"c"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
  mb.node("ReduceMean", {"c"}, {"y"}, {Attr("axes", std::vector<int64_t>{2, 3}), Attr("keepdims", int64_t{0})});
  mb.output("y");
  RunOptions opts;
  opts.profile = true;
  opts.extra_outputs = {"c"};
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {1, 16, 20, 20}, random_floats(16 * 400, 42))}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  REQUIRE(r.outputs.size() == 2);
  CHECK(r.outputs[0].dims == std::vector<int64_t>{1, 32});
  std::vector<float> want(32);
  for (size_t ch = 0; ch < 32; ++ch) {
    double acc = 0;
    for (size_t i = 0; i < 400; ++i) acc += r.outputs[1].f[ch * 400 + i];
    want[ch] = static_cast<float>(acc / 400);
  }
  CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-5);
  bool winograd = false;
  for (size_t i = 0; i < r.step_impls.size(); ++i) {
    CAPTURE(r.step_ops[i]);
    CHECK(r.step_impls[i].rfind("ref", 0) != 0);
    winograd = winograd || r.step_impls[i].find("wino") != std::string::npos;
  }
  CHECK(winograd);
}
