// Concat against a naive reference: every axis (negative too), 1 to 4
// inputs of different sizes along the axis, empty inputs, every element
// type, mixed layouts (a Conv output next to a row-major input), dynamic
// shapes, and the legacy default axis; plus the errors.
#include <doctest/doctest.h>

#include <algorithm>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

std::vector<float> reference_concat(const std::vector<Index>& dims, const std::vector<std::vector<float>>& xs,
                                    int64_t axis, Index* out_dims) {
  Index od = dims[0];
  od[axis] = 0;
  for (const Index& d : dims) od[axis] += d[axis];
  std::vector<float> y(static_cast<size_t>(count_of(od)));
  int64_t at = 0;
  for (size_t i = 0; i < dims.size(); ++i) {
    for_each_index(dims[i], [&](const Index& idx) {
      Index o = idx;
      o[axis] += at;
      y[offset_of(o, od)] = xs[i][offset_of(idx, dims[i])];
    });
    at += dims[i][axis];
  }
  *out_dims = od;
  return y;
}

// Input i is fed as feeds[i] (all cast to the type of feeds[0]'s feed).
void check_concat(const std::vector<Index>& dims, int64_t axis, const std::vector<Feed>& feeds, int opset = 13,
                  bool give_axis = true, const std::vector<Index>& decl = {}) {
  ModelBuilder mb(opset);
  std::vector<std::string> names;
  std::vector<std::vector<float>> xs;
  std::vector<HostTensor> inputs;
  float start = 0;
  for (size_t i = 0; i < dims.size(); ++i) {
    const std::string name = "x" + std::to_string(i);
    names.push_back(feed_input(mb, feeds[i], name, decl.empty() ? dims[i] : decl[i]));
    auto v = feed_values(feeds[i], count_of(dims[i]));
    for (float& e : v) e += start;  // distinct across inputs
    start += static_cast<float>(v.size());
    if (feeds[0] == Feed::u8 || feeds[0] == Feed::bf16 || feeds[0] == Feed::f16)
      for (float& e : v) e = static_cast<float>(static_cast<int>(e) % 251);
    inputs.push_back(feed_tensor(feeds[i], name, dims[i], v));
    xs.push_back(v);
  }
  std::vector<Attr> attrs;
  if (give_axis) attrs.emplace_back("axis", axis);
  mb.node("Concat", names, {"y"}, attrs);
  feed_output(mb, feeds[0], "y");
  Index want_dims;
  const auto want = reference_concat(dims, xs, axis < 0 ? axis + static_cast<int64_t>(dims[0].size()) : axis, &want_dims);
  CAPTURE(axis);
  check_fed_output(feeds[0], run_model(mb.bytes(), inputs), want_dims, want);
}

}  // namespace

TEST_CASE("Concat: every axis of rank 1 to 4, every element type") {
  for (Feed f : all_feeds(false)) {
    check_concat({{3}, {5}}, 0, {f, f});
    check_concat({{2, 3}, {2, 1}, {2, 4}}, 1, {f, f, f});
    check_concat({{2, 3}, {1, 3}}, -2, {f, f});
    for (int64_t axis : {0, 1, 2, -1}) {
      Index a = {2, 3, 4}, b = {2, 3, 4};
      const int64_t ax = axis < 0 ? axis + 3 : axis;
      b[ax] = 3;
      check_concat({a, b, a}, axis, {f, f, f});
    }
    check_concat({{1, 2, 3, 5}, {1, 7, 3, 5}, {1, 1, 3, 5}, {1, 2, 3, 5}}, 1, {f, f, f, f});
    check_concat({{2, 3}}, 1, {f});  // a single input
  }
}

TEST_CASE("Concat: Conv outputs along channels, next to row-major inputs") {
  check_concat({{2, 16, 5, 7}, {2, 8, 5, 7}}, 1, {Feed::f32_conv, Feed::f32_conv});
  check_concat({{2, 16, 5, 7}, {2, 3, 5, 7}}, 1, {Feed::f32_conv, Feed::f32});
  check_concat({{1, 3, 5, 7}, {1, 8, 5, 7}, {1, 16, 5, 7}}, -3, {Feed::f32, Feed::f32_conv, Feed::f32_conv});
  check_concat({{1, 8, 5, 7}, {1, 8, 2, 7}}, 2, {Feed::f32_conv, Feed::f32_conv});
  check_concat({{1, 8, 5, 7}, {1, 8, 5, 3}}, 3, {Feed::f32_conv, Feed::f32});
}

TEST_CASE("Concat: inputs in 16-channel blocks, channels-last and row-major copied into their slices") {
  // a: a Winograd conv's output (16-channel blocks); b: a 1x1 conv's
  // (channels-last); x: the graph input (row-major). At one image each is
  // copied into its slice of the output (oneDNN's concat runs its
  // reference kernel on mixed layouts): blocked when a is blocked, whole
  // blocks (32 channels), row-major otherwise (24 channels, a direct conv's
  // channels-last output). At two images oneDNN's concat runs.
  // The result must be exactly a, b and x side by side.
  for (int64_t ca : {32, 24})
  for (int64_t n : {1, 2}) {
    CAPTURE(ca);
    CAPTURE(n);
    ModelBuilder mb(13);
    mb.input("x", {n, 16, 20, 20});
    mb.initializer("wa", {ca, 16, 3, 3}, random_floats(static_cast<size_t>(ca * 16 * 9), 1));
    mb.initializer("wb", {16, 16, 1, 1}, random_floats(16 * 16, 2));
    mb.node("Conv", {"x", "wa"}, {"a"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
    mb.node("Conv", {"x", "wb"}, {"b"});
    mb.node("Concat", {"a", "b", "x"}, {"y"}, {Attr("axis", int64_t{1})}).output("y");
    const auto x = random_floats(static_cast<size_t>(n * 16 * 400), 3);
    RunOptions opts;
    opts.extra_outputs = {"a", "b"};
    opts.profile = true;
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {n, 16, 20, 20}, x)}, opts);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    REQUIRE(r.outputs.size() == 3);
    std::vector<float> want;
    for (int64_t i = 0; i < n; ++i) {
      const auto image = [&](const std::vector<float>& v, int64_t c) {
        want.insert(want.end(), v.begin() + i * c * 400, v.begin() + (i + 1) * c * 400);
      };
      image(r.outputs[1].f, ca);
      image(r.outputs[2].f, 16);
      image(x, 16);
    }
    CHECK(r.outputs[0].dims == std::vector<int64_t>{n, ca + 32, 20, 20});
    CHECK(r.outputs[0].f == want);
    const bool winograd = std::any_of(r.step_impls.begin(), r.step_impls.end(),
                                      [](const std::string& impl) { return impl.find("wino") != std::string::npos; });
    CHECK(winograd == (ca == 32));  // 24 channels are too few for Winograd: a is channels-last then
    size_t concat_steps = 0, reference_kernels = 0;
    for (size_t i = 0; i < r.step_ops.size(); ++i)
      if (r.step_ops[i] == "Concat") {
        ++concat_steps;
        if (r.step_impls[i].find("ref") != std::string::npos) ++reference_kernels;
      }
    if (n == 1) {
      CHECK(concat_steps == 3);  // one copy per input
      CHECK(reference_kernels == 0);
    }
  }
}

TEST_CASE("Concat: empty inputs are skipped") {
  for (Feed f : {Feed::f32, Feed::i64, Feed::f64}) {
    check_concat({{2, 0}, {2, 3}, {2, 0}}, 1, {f, f, f});
    check_concat({{0, 3}, {0, 3}}, 0, {f, f});
  }
}

TEST_CASE("Concat: opsets (axis optional before 4, negative from 11)") {
  check_concat({{2, 3}, {2, 2}}, 1, {Feed::f32, Feed::f32}, 1, /*give_axis=*/false);  // default axis 1
  for (int opset : {4, 11, 13, 21}) check_concat({{2, 3}, {4, 3}}, 0, {Feed::f32, Feed::f32}, opset);
}

TEST_CASE("Concat: dynamic shapes") {
  for (int64_t n : {1, 3})
    for (Feed f : {Feed::f32, Feed::i64})
      check_concat({{n, 2}, {n, 5}}, 1, {f, f}, 13, true, {{-1, 2}, {-1, 5}});
}

TEST_CASE("Concat: errors") {
  auto load_error = [](const Index& a, const Index& b, int64_t axis, int opset = 13) {
    ModelBuilder mb(opset);
    mb.input("a", a).input("b", b).node("Concat", {"a", "b"}, {"y"}, {Attr("axis", axis)}, "c").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  const std::string at = "<memory>: node 'c' (Concat, domain ai.onnx, opset 13): ";
  CHECK(load_error({2, 3}, {3, 3}, 1) == at + "input 1 [3,3] differs from [2,3] in dim 0, which is not the concatenation axis 1");
  CHECK(load_error({2, 3}, {2, 3, 1}, 1) == at + "input 1 [2,3,1] has rank 3, input 0 [2,3] has rank 2");
  CHECK(load_error({2, 3}, {2, 3}, 2) == at + "axis 2 is out of range for rank 2");
  CHECK(load_error({2, 3}, {2, 3}, -1, 10) ==
        "<memory>: node 'c' (Concat, domain ai.onnx, opset 10): negative axis -1 needs opset 11 or later");
  ModelBuilder mb(13);
  mb.input("a", {2}).input("b", {2}, onnx::TensorProto::INT64).node("Concat", {"a", "b"}, {"y"}, {Attr("axis", int64_t{0})}, "c").output("y");
  const RunResult r = load_model(mb.bytes());
  CHECK(r.error == at + "input 1 has element type int64, input 0 has float");
}
