// Slice against a naive reference written from the ONNX text: starts and
// ends (negative, out of range, INT64_MAX/MIN), axes (default, negative,
// any order), steps (positive and negative), the attribute form before
// opset 10, int32 bounds, every element type and the Conv layout, dynamic
// shapes; and the errors for bad bounds.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

struct SliceCase {
  Index starts, ends, axes, steps;  // axes/steps empty: not given
};

// The indices one axis keeps, as the ONNX operator text says: negative
// bounds count from the end, then starts clamp to [0, d] ([0, d-1] when
// stepping backwards) and ends to [0, d] ([-1, d-1]).
Index kept(int64_t d, int64_t start, int64_t end, int64_t step) {
  if (start < 0) start += d;
  if (end < 0) end += d;
  Index out;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, d);
    end = std::clamp<int64_t>(end, 0, d);
    for (int64_t i = start; i < end; i += std::min(step, end - i)) out.push_back(i);  // no overflow past end
  } else {
    start = std::clamp<int64_t>(start, 0, d - 1);
    end = std::clamp<int64_t>(end, -1, d - 1);
    const int64_t mag = step == kMin ? kMax : -step;
    for (int64_t i = start; i > end; i -= std::min(mag, i - end)) out.push_back(i);
  }
  return out;
}

std::vector<float> reference_slice(const Index& dims, const std::vector<float>& x, const SliceCase& c, Index* out_dims) {
  std::vector<Index> picks(dims.size());
  for (size_t k = 0; k < dims.size(); ++k)
    for (int64_t i = 0; i < dims[k]; ++i) picks[k].push_back(i);
  for (size_t i = 0; i < c.starts.size(); ++i) {
    int64_t axis = c.axes.empty() ? static_cast<int64_t>(i) : c.axes[i];
    if (axis < 0) axis += static_cast<int64_t>(dims.size());
    picks[axis] = kept(dims[axis], c.starts[i], c.ends[i], c.steps.empty() ? 1 : c.steps[i]);
  }
  Index od;
  for (const Index& p : picks) od.push_back(static_cast<int64_t>(p.size()));
  std::vector<float> y;
  for_each_index(od, [&](const Index& o) {
    Index i(dims.size());
    for (size_t k = 0; k < dims.size(); ++k) i[k] = picks[k][o[k]];
    y.push_back(x[offset_of(i, dims)]);
  });
  *out_dims = od;
  return y;
}

void add_slice(ModelBuilder& mb, const std::string& in, const SliceCase& c, int opset, bool int32_bounds = false) {
  if (opset < 10) {
    std::vector<Attr> attrs = {Attr("starts", c.starts), Attr("ends", c.ends)};
    if (!c.axes.empty()) attrs.emplace_back("axes", c.axes);
    mb.node("Slice", {in}, {"y"}, attrs);
    return;
  }
  auto add = [&](const std::string& name, const Index& v) {
    if (!int32_bounds) {
      mb.initializer_i64(name, {static_cast<int64_t>(v.size())}, v);
      return;
    }
    onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::INT32);
    t.add_dims(static_cast<int64_t>(v.size()));
    for (int64_t e : v) t.add_int32_data(static_cast<int32_t>(std::clamp<int64_t>(e, INT32_MIN, INT32_MAX)));
    *mb.proto().mutable_graph()->add_initializer() = t;
  };
  add("starts", c.starts);
  add("ends", c.ends);
  std::vector<std::string> inputs = {in, "starts", "ends"};
  if (!c.axes.empty() || !c.steps.empty()) {
    if (c.axes.empty()) {
      inputs.push_back("");
    } else {
      add("axes", c.axes);
      inputs.push_back("axes");
    }
  }
  if (!c.steps.empty()) {
    add("steps", c.steps);
    inputs.push_back("steps");
  }
  mb.node("Slice", inputs, {"y"});
}

void check_slice(const Index& dims, const SliceCase& c, Feed f, int opset = 13, bool int32_bounds = false,
                 const Index& decl = {}) {
  CAPTURE(opset);
  const FedReference ref = [&](const std::vector<float>& x, Index* want_dims) {
    return reference_slice(dims, x, c, want_dims);
  };
  check_fed(f, dims, decl, opset, ref,
            [&](ModelBuilder& mb, const std::string& in) { add_slice(mb, in, c, opset, int32_bounds); });
}

}  // namespace

TEST_CASE("Slice: bounds, axes and steps of every kind, every element type and the Conv layout") {
  const Index dims = {3, 8, 5, 7};
  const std::vector<SliceCase> cases = {
      {ints({1}), ints({3}), {}, {}},
      {ints({0, 2}), ints({2, 7}), ints({1, 3}), {}},
      {ints({-4, 1}), ints({-1, kMax}), ints({-3, -1}), {}},
      {ints({1, 0, 1}), ints({8, 5, 7}), ints({1, 2, 3}), ints({2, 3, 3})},
      {ints({-1}), ints({kMin}), ints({1}), ints({-1})},           // reversed
      {ints({6, 4}), ints({0, -9}), ints({1, 3}), ints({-2, -3})},  // backwards, strided
      {ints({-100}), ints({100}), ints({2}), {}},                    // clamped to the whole axis
      {ints({5}), ints({2}), ints({1}), {}},                         // empty
      {ints({0, 0, 0, 0}), ints({kMax, kMax, kMax, kMax}), {}, {}},  // everything
      {ints({2, 1}), ints({3, 2}), ints({0, 2}), ints({1, kMax})},   // one element per axis
      {ints({4, 6}), ints({0, 0}), ints({2, 3}), ints({kMin, kMin})},  // huge backward steps
  };
  for (Feed f : all_feeds(true))
    for (size_t i = 0; i < cases.size(); ++i) {
      CAPTURE(i);
      check_slice(dims, cases[i], f);
    }
}

TEST_CASE("Slice: start beyond the end with a negative step keeps the last element (ONNX clamps to d-1)") {
  check_slice({6}, {ints({100}), ints({kMin}), {}, ints({-1})}, Feed::f32);
  check_slice({6}, {ints({-100}), ints({kMin}), {}, ints({-1})}, Feed::i64);
  check_slice({6}, {ints({3}), ints({3}), {}, ints({-1})}, Feed::f32);
}

TEST_CASE("Slice: opset forms and int32 bounds") {
  const SliceCase c = {ints({1, -3}), ints({4, 100}), ints({0, 1}), {}};
  for (int opset : {1, 9, 10, 11, 13, 21}) check_slice({5, 6}, c, Feed::f32, opset);
  check_slice({5, 6}, {ints({1, 0}), ints({-1, 6}), {}, {}}, Feed::f32, 1);  // default axes
  check_slice({5, 6}, {ints({4, 1}), ints({0, 6}), ints({0, 1}), ints({-2, 2})}, Feed::f32, 13, /*int32=*/true);
  check_slice({5, 6}, {ints({4, 1}), ints({kMin, kMax}), ints({-2, -1}), ints({-1, 4})}, Feed::i64, 11, true);
}

TEST_CASE("Slice: dynamic shapes") {
  for (int64_t n : {1, 4, 7})
    for (Feed f : {Feed::f32, Feed::i64}) check_slice({n, 6}, {ints({1, 1}), ints({-1, 5}), {}, {}}, f, 13, false, {-1, 6});
}

TEST_CASE("Slice: errors") {
  auto load_error = [](const SliceCase& c, int opset = 13) {
    ModelBuilder mb(opset);
    mb.input("x", {4, 5});
    add_slice(mb, "x", c, opset);
    mb.proto().mutable_graph()->mutable_node(0)->set_name("s");
    mb.output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  const std::string at = "<memory>: node 's' (Slice, domain ai.onnx, opset 13): ";
  CHECK(load_error({ints({0}), ints({2}), ints({0}), ints({0})}) == at + "steps [0] has a 0 step for axis 0");
  CHECK(load_error({ints({0, 1}), ints({2}), {}, {}}) == at + "starts [0,1] and ends [2] differ in length");
  CHECK(load_error({ints({0}), ints({2}), ints({0, 1}), {}}) == at + "axes [0,1] and starts [0] differ in length");
  CHECK(load_error({ints({0}), ints({2}), ints({2}), {}}) == at + "axes [2]: axis 2 is out of range for rank 2");
  CHECK(load_error({ints({0, 0}), ints({2, 2}), ints({1, -1}), {}}) == at + "axes [1,-1] names axis 1 twice");
  CHECK(load_error({ints({0}), ints({2}), ints({-1}), {}}, 10) ==
        "<memory>: node 's' (Slice, domain ai.onnx, opset 10): negative axis -1 needs opset 11 or later");
}
