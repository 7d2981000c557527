// Pad against a naive reference: constant (default 0, a value attribute or
// input), reflect, edge and wrap (opset 19), negative pads that crop, pads
// larger than the input, the axes input (opset 18), every opset form
// (paddings / pads attributes, pads input), every element type and the Conv
// layout, pads given at run time, dynamic shapes; and errors.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

struct PadCase {
  std::string mode = "constant";
  Index pads;           // begins then ends, for `axes` (or every dim)
  Index axes;           // empty: every dim
  float value = 0;
  bool give_value = false;
};

// Output index o along a dim -> input index, -1 for the constant value.
// Written the slow way: mirror or step until inside.
int64_t source_index(const std::string& mode, int64_t o, int64_t begin, int64_t lo, int64_t n) {
  int64_t i = o - std::max<int64_t>(begin, 0);  // relative to the cropped input [lo, lo + n)
  if (i >= 0 && i < n) return lo + i;
  if (mode == "constant") return -1;
  if (mode == "edge") return lo + (i < 0 ? 0 : n - 1);
  if (mode == "wrap") {
    while (i < 0) i += n;
    while (i >= n) i -= n;
    return lo + i;
  }
  if (n == 1) return lo;
  while (i < 0 || i >= n) {
    if (i < 0) i = -i;
    if (i >= n) i = 2 * (n - 1) - i;
  }
  return lo + i;
}

std::vector<float> reference_pad(const Index& dims, const std::vector<float>& x, const PadCase& c, Index* out_dims) {
  const size_t r = dims.size();
  Index begin(r, 0), end(r, 0);
  const size_t na = c.axes.empty() ? r : c.axes.size();
  for (size_t i = 0; i < na; ++i) {
    int64_t a = c.axes.empty() ? static_cast<int64_t>(i) : c.axes[i];
    if (a < 0) a += static_cast<int64_t>(r);
    begin[a] = c.pads[i];
    end[a] = c.pads[i + na];
  }
  Index od(r), lo(r), n(r);
  for (size_t k = 0; k < r; ++k) {
    od[k] = dims[k] + begin[k] + end[k];
    lo[k] = std::max<int64_t>(0, -begin[k]);
    n[k] = dims[k] - lo[k] - std::max<int64_t>(0, -end[k]);
  }
  std::vector<float> y;
  for_each_index(od, [&](const Index& o) {
    Index i(r);
    bool inside = true;
    for (size_t k = 0; k < r; ++k) {
      i[k] = source_index(c.mode, o[k], begin[k], lo[k], n[k]);
      inside = inside && i[k] >= 0;
    }
    y.push_back(inside ? x[offset_of(i, dims)] : c.value);
  });
  *out_dims = od;
  return y;
}

void add_pad(ModelBuilder& mb, const std::string& in, const PadCase& c, int opset, Feed f) {
  std::vector<Attr> attrs = {Attr("mode", c.mode)};
  if (opset < 11) {
    attrs.emplace_back(opset < 2 ? "paddings" : "pads", c.pads);
    if (c.give_value) attrs.emplace_back("value", c.value);
    mb.node("Pad", {in}, {"y"}, attrs);
    return;
  }
  mb.initializer_i64("pads", {static_cast<int64_t>(c.pads.size())}, c.pads);
  std::vector<std::string> inputs = {in, "pads"};
  if (c.give_value) {
    // The value in the data's type: a constant cast like the data (it folds).
    if (f == Feed::i64) {
      mb.initializer_i64("value", {}, {static_cast<int64_t>(c.value)});
      inputs.push_back("value");
    } else {
      mb.initializer("value_f", {}, {c.value});
      mb.node("Cast", {"value_f"}, {"value"}, {Attr("to", static_cast<int64_t>(feed_type(f)))});
      inputs.push_back("value");
    }
  }
  if (!c.axes.empty()) {
    if (inputs.size() == 2) inputs.push_back("");
    mb.initializer_i64("axes", {static_cast<int64_t>(c.axes.size())}, c.axes);
    inputs.push_back("axes");
  }
  mb.node("Pad", inputs, {"y"}, attrs);
}

void check_pad(const Index& dims, const PadCase& c, Feed f, int opset = 19, const Index& decl = {}) {
  CAPTURE(opset);
  CAPTURE(c.mode);
  const FedReference ref = [&](const std::vector<float>& x, Index* want_dims) {
    return reference_pad(dims, x, c, want_dims);
  };
  check_fed(f, dims, decl, opset, ref, [&](ModelBuilder& mb, const std::string& in) { add_pad(mb, in, c, opset, f); });
}

}  // namespace

TEST_CASE("Pad: every mode, negative pads, every element type and the Conv layout") {
  const Index dims = {2, 8, 5, 4};
  for (const char* mode : {"constant", "reflect", "edge", "wrap"})
    for (Feed f : all_feeds(true)) {
      PadCase c;
      c.mode = mode;
      c.pads = ints({0, 1, 2, 3, 1, 0, 1, 2});
      check_pad(dims, c, f);
      c.pads = ints({0, -1, 2, -1, 0, 2, -2, 3});  // crop some dims, pad others
      check_pad(dims, c, f);
      c.pads = ints({1, 0, 0, 0, 0, 0, 0, 1});
      check_pad(dims, c, f);
      c.pads = ints({0, 0, 0, 0, 0, 0, 0, 0});  // nothing to pad: the input itself
      check_pad(dims, c, f);
    }
}

TEST_CASE("Pad: constant values, pads larger than the input, empty results") {
  for (Feed f : {Feed::f32, Feed::i64, Feed::f64, Feed::f16, Feed::u8}) {
    PadCase c;
    c.give_value = true;
    c.value = 7;
    c.pads = ints({2, 1, 0, 3});
    check_pad({3, 2}, c, f);
    check_pad({3, 2}, c, f, 2);
    c.pads = ints({-3, 0, 0, 0});  // nothing left
    check_pad({3, 2}, c, f);
  }
  for (const char* mode : {"reflect", "wrap", "edge"}) {
    PadCase c;
    c.mode = mode;
    c.pads = ints({7, 9});  // several times the input
    check_pad({3}, c, Feed::f32);
    check_pad({1}, c, Feed::i64);
  }
}

TEST_CASE("Pad: opset forms and the axes input") {
  PadCase c;
  c.pads = ints({1, 2, 2, 1});
  for (int opset : {1, 2, 11, 13, 18, 19, 21}) check_pad({3, 4}, c, Feed::f32, opset);
  PadCase ax;
  ax.pads = ints({1, 3});
  ax.axes = ints({-1});
  check_pad({2, 3, 4}, ax, Feed::f32, 18);
  ax.mode = "reflect";
  ax.pads = ints({1, 2, 2, 1});
  ax.axes = ints({2, 0});
  check_pad({3, 3, 4}, ax, Feed::i64, 18);
}

TEST_CASE("Pad: pads given at run time, dynamic shapes") {
  ModelBuilder mb(13);
  mb.input("x", {-1, 3}).input("p", {4}, onnx::TensorProto::INT64).node("Pad", {"x", "p"}, {"y"}, {Attr("mode", "edge")}).output("y");
  for (int64_t n : {1, 4})
    for (const Index& pads : {ints({1, 0, 0, 2}), ints({0, 1, 1, -1})}) {
      const auto x = iota_floats(n * 3);
      PadCase c;
      c.mode = "edge";
      c.pads = pads;
      Index want_dims;
      const auto want = reference_pad({n, 3}, x, c, &want_dims);
      const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {n, 3}, x), HostTensor::ints("p", {4}, pads)});
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].dims == want_dims);
      CHECK(r.outputs[0].f == want);
    }
}

TEST_CASE("Pad: errors") {
  auto load_error = [](const Index& x, const Index& pads, const char* mode, int opset = 19) {
    ModelBuilder mb(opset);
    mb.input("x", x).initializer_i64("p", {static_cast<int64_t>(pads.size())}, pads).node("Pad", {"x", "p"}, {"y"}, {Attr("mode", mode)}, "p").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    return r.error;
  };
  const std::string at = "<memory>: node 'p' (Pad, domain ai.onnx, opset 19): ";
  CHECK(load_error({2, 3}, ints({1, 1}), "constant") == at + "pads [1,1] must have 4 values (begins, then ends)");
  CHECK(load_error({2, 3}, ints({0, -2, 0, -2}), "constant") == at + "pads [-2, -2] leave a negative size for dim 1 of [2,3]");
  CHECK(load_error({2, 3}, ints({0, int64_t{1} << 62, 0, 0}), "constant") ==
        at + "pads [0,4611686018427387904,0,0] are too large");
  CHECK(load_error({2, 3}, ints({0, 1}), "mirror").find("mode 'mirror' is not one of constant, reflect, edge, wrap") != std::string::npos);
  CHECK(load_error({2, 3}, ints({0, 1, 0, 1}), "wrap", 18) ==
        "<memory>: node 'p' (Pad, domain ai.onnx, opset 18): mode 'wrap' is not one of constant, reflect, edge");
  CHECK(load_error({2, 3}, ints({0, -3, 0, 2}), "reflect") ==
        at + "cannot pad dim 1 of [2,3] in this mode: nothing is left to repeat");
}
