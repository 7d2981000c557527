// Pad -> AveragePool folding (runtime/passes/fold_pad_into_pool.cpp): a zero
// Pad of the spatial dims feeding an AveragePool (PyTorch's export of
// avg_pool2d with padding and count_include_pad) runs as one pooling step
// with no Pad step left; every case that must not fold keeps its Pad and is
// still right. Each result is checked against a naive pad-then-pool.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

constexpr int64_t kN = 2, kC = 3, kH = 7, kW = 6;

struct Case {
  const char* what;
  std::vector<int64_t> pads = {0, 0, 1, 1, 0, 0, 1, 1};  // the Pad's, begins then ends
  float value = 0.0f;
  int pad_opset = 13;     // below 11: pads and value as attributes
  int64_t kernel = 3;
  std::vector<int64_t> pool_pads = {0, 0, 0, 0};
  int64_t count_include_pad = 0;
  int64_t ceil_mode = 0;
  bool pad_is_output = false;  // the Pad's output is also a graph output
  bool folds = true;
};

// x padded as the Pad would, then pooled (stride 1) with the pool's own
// pads counted in the divisor when count_include_pad, else not.
std::vector<float> reference(const Case& c, const std::vector<float>& x, std::vector<int64_t>* dims) {
  const int64_t pn = c.pads[0], pc = c.pads[1], ph = c.pads[2], pw = c.pads[3];
  const int64_t n = kN + pn + c.pads[4], ch = kC + pc + c.pads[5];
  const int64_t h = kH + ph + c.pads[6], w = kW + pw + c.pads[7];
  std::vector<double> p(static_cast<size_t>(n * ch * h * w), c.value);
  for (int64_t a = 0; a < kN; ++a)
    for (int64_t b = 0; b < kC; ++b)
      for (int64_t y = 0; y < kH; ++y)
        for (int64_t z = 0; z < kW; ++z)
          p[(((a + pn) * ch + b + pc) * h + y + ph) * w + z + pw] = x[((a * kC + b) * kH + y) * kW + z];
  const int64_t k = c.kernel, qb = c.pool_pads[0], qe = c.pool_pads[2];  // the same pads on both spatial dims
  const int64_t oh = h + qb + qe - k + 1, ow = w + c.pool_pads[1] + c.pool_pads[3] - k + 1;
  *dims = {n, ch, oh, ow};
  std::vector<float> out;
  for (int64_t a = 0; a < n; ++a)
    for (int64_t b = 0; b < ch; ++b)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t z = 0; z < ow; ++z) {
          double sum = 0;
          int64_t inside = 0;
          for (int64_t i = 0; i < k; ++i)
            for (int64_t j = 0; j < k; ++j) {
              const int64_t yy = y - qb + i, zz = z - c.pool_pads[1] + j;
              if (yy < 0 || yy >= h || zz < 0 || zz >= w) continue;
              sum += p[((a * ch + b) * h + yy) * w + zz];
              ++inside;
            }
          out.push_back(static_cast<float>(sum / static_cast<double>(c.count_include_pad ? k * k : inside)));
        }
  return out;
}

void check(const Case& c) {
  CAPTURE(c.what);
  ModelBuilder mb(c.pad_opset);
  mb.input("x", {kN, kC, kH, kW});
  if (c.pad_opset < 11) {
    mb.node("Pad", {"x"}, {"p"}, {Attr("pads", c.pads), Attr("value", c.value)});
  } else {
    mb.initializer_i64("pads", {8}, c.pads).initializer("value", {}, {c.value});
    mb.node("Pad", {"x", "pads", "value"}, {"p"});
  }
  std::vector<Attr> attrs = {Attr("kernel_shape", std::vector<int64_t>{c.kernel, c.kernel}),
                             Attr("pads", c.pool_pads), Attr("count_include_pad", c.count_include_pad)};
  if (c.pad_opset >= 10) attrs.emplace_back("ceil_mode", c.ceil_mode);
  mb.node("AveragePool", {"p"}, {"y"}, attrs).output("y");
  if (c.pad_is_output) mb.output("p");
  const auto x = random_floats(static_cast<size_t>(kN * kC * kH * kW), 7);
  RunOptions opts;
  opts.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {kN, kC, kH, kW}, x)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  std::vector<int64_t> dims;
  const std::vector<float> want = reference(c, x, &dims);
  CHECK(r.outputs[0].dims == dims);
  CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-5);
  CHECK((std::count(r.step_ops.begin(), r.step_ops.end(), "Pad") == 0) == c.folds);
}

}  // namespace

TEST_CASE("fold Pad into AveragePool: PyTorch's avg_pool2d(padding, count_include_pad) runs as one pooling") {
  Case c;
  c.what = "pads input, opset 13";
  check(c);
  c.what = "pads attribute, opset 10";
  c.pad_opset = 10;
  check(c);
  Case uneven;
  uneven.what = "uneven pads";
  uneven.pads = {0, 0, 2, 0, 0, 0, 1, 2};
  check(uneven);
  Case both;
  both.what = "the pool's own pads counted too";
  both.pool_pads = {1, 1, 1, 1};
  both.count_include_pad = 1;
  both.kernel = 5;
  check(both);
}

TEST_CASE("fold Pad into AveragePool: cases that must keep the Pad") {
  std::vector<Case> cases(7);
  cases[0].what = "a non-zero pad value";
  cases[0].value = 0.5f;
  cases[1].what = "a pad on the channels";
  cases[1].pads = {0, 1, 1, 1, 0, 0, 1, 1};
  cases[2].what = "combined pads as large as the kernel";
  cases[2].pads = {0, 0, 2, 2, 0, 0, 2, 2};
  cases[2].kernel = 2;
  cases[3].what = "the pool's own pads not counted";
  cases[3].pool_pads = {1, 1, 1, 1};
  cases[4].what = "ceil_mode";
  cases[4].ceil_mode = 1;
  cases[5].what = "the padded tensor is also a graph output";
  cases[5].pad_is_output = true;
  cases[6].what = "a pad on the batch";
  cases[6].pads = {1, 0, 1, 1, 0, 0, 1, 1};
  for (Case& c : cases) {
    c.folds = false;
    check(c);
  }
}
