#include "support/elementwise.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace cnnrt::test {

Dims broadcast_dims(const Dims& a, const Dims& b) {
  const size_t rank = std::max(a.size(), b.size());
  Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t x = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    const int64_t y = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    out[i] = x == 1 ? y : x;
  }
  return out;
}

size_t broadcast_offset(const Dims& in, const Dims& out, size_t i) {
  // Unravel i over out, then ravel over in with broadcast dims pinned at 0.
  size_t offset = 0, stride = 1;
  for (size_t k = out.size(); k-- > 0;) {
    const size_t coord = i % static_cast<size_t>(out[k]);
    i /= static_cast<size_t>(out[k]);
    const size_t back = out.size() - 1 - k;
    if (back >= in.size()) continue;
    const int64_t d = in[in.size() - 1 - back];
    if (d != 1) offset += coord * stride;
    stride *= static_cast<size_t>(d);
  }
  return offset;
}

std::string one_node_model(const std::string& op, int opset, const std::vector<HostTensor>& inputs,
                           std::vector<Attr> attrs) {
  ModelBuilder mb(opset);
  std::vector<std::string> names;
  for (const HostTensor& t : inputs) {
    if (!t.name.empty()) mb.input(t.name, t.dims, static_cast<int>(t.dtype));
    names.push_back(t.name);
  }
  mb.node(op, names, {"y"}, std::move(attrs), "node").output("y");
  return mb.bytes();
}

std::string first_mismatch(const std::vector<float>& got, const std::vector<float>& want, double atol, double rtol) {
  if (got.size() != want.size()) return "got " + std::to_string(got.size()) + " elements, want " + std::to_string(want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const double g = got[i], w = want[i];
    bool ok;
    if (std::isnan(w) || std::isnan(g))
      ok = std::isnan(w) && std::isnan(g);
    else if (std::isinf(w) || std::isinf(g))
      ok = g == w;
    else
      ok = std::fabs(g - w) <= atol + rtol * std::fabs(w);
    if (!ok) {
      std::ostringstream s;
      s.precision(9);
      s << "element " << i << ": got " << g << ", want " << w;
      return s.str();
    }
  }
  return "";
}

std::vector<double> conv1x1_reference(const Dims& x_dims, const std::vector<float>& x, const std::vector<float>& w,
                                      int64_t m, double bias) {
  const int64_t n = x_dims[0], c = x_dims[1];
  int64_t plane = 1;
  for (size_t k = 2; k < x_dims.size(); ++k) plane *= x_dims[k];
  std::vector<double> y(static_cast<size_t>(n * m * plane));
  for (int64_t b = 0; b < n; ++b)
    for (int64_t om = 0; om < m; ++om)
      for (int64_t p = 0; p < plane; ++p) {
        double acc = bias;
        for (int64_t ic = 0; ic < c; ++ic) acc += static_cast<double>(x[(b * c + ic) * plane + p]) * w[om * c + ic];
        y[(b * m + om) * plane + p] = acc;
      }
  return y;
}

void check_unary(const std::string& op, int opset, const std::vector<Attr>& attrs,
                 const std::function<double(double)>& ref, float lo, float hi, double atol, double rtol) {
  const std::vector<Dims> shapes = {{}, {1}, {7}, {3, 5}, {2, 3, 4, 5}, {1, 17, 3, 3}, {2, 1, 3, 1, 5}, {2, 0, 3}};
  uint32_t seed = 11;
  for (const Dims& dims : shapes) {
    CAPTURE(op);
    CAPTURE(dims.size());
    const auto x = random_floats(element_count(dims), seed++, lo, hi);
    std::vector<float> want(x.size());
    for (size_t i = 0; i < x.size(); ++i) want[i] = static_cast<float>(ref(x[i]));
    const RunResult r = run_model(one_node_model(op, opset, {HostTensor::floats("x", dims, x)}, attrs),
                                  {HostTensor::floats("x", dims, x)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == dims);
    CHECK_MESSAGE(first_mismatch(r.outputs[0].f, want, atol, rtol) == "", first_mismatch(r.outputs[0].f, want, atol, rtol));
  }
}

namespace {

// Naive Conv 3x3, pad 1, stride 1, NCHW.
std::vector<double> naive_conv(const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& b,
                               int64_t n, int64_t c, int64_t m, int64_t h, int64_t wd) {
  std::vector<double> y(static_cast<size_t>(n * m * h * wd));
  for (int64_t in = 0; in < n; ++in)
    for (int64_t om = 0; om < m; ++om)
      for (int64_t oy = 0; oy < h; ++oy)
        for (int64_t ox = 0; ox < wd; ++ox) {
          double acc = b[om];
          for (int64_t ic = 0; ic < c; ++ic)
            for (int64_t ky = 0; ky < 3; ++ky)
              for (int64_t kx = 0; kx < 3; ++kx) {
                const int64_t iy = oy + ky - 1, ix = ox + kx - 1;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                acc += static_cast<double>(x[((in * c + ic) * h + iy) * wd + ix]) * w[((om * c + ic) * 3 + ky) * 3 + kx];
              }
          y[((in * m + om) * h + oy) * wd + ox] = acc;
        }
  return y;
}

}  // namespace

void check_after_producer(const std::string& producer, const std::string& op, int opset, const std::vector<Attr>& attrs,
                          const std::function<double(double)>& ref, bool fused, double atol, double rtol) {
  CAPTURE(producer);
  CAPTURE(op);
  ModelBuilder mb(opset);
  std::vector<double> pre;
  Dims xdims;
  std::vector<float> x;
  if (producer == "Conv") {
    const int64_t n = 2, c = 3, m = 16, h = 9, wd = 11;
    xdims = {n, c, h, wd};
    x = random_floats(element_count(xdims), 5, -2, 2);
    const auto w = random_floats(static_cast<size_t>(m * c * 9), 6, -0.5f, 0.5f);
    const auto b = random_floats(static_cast<size_t>(m), 7, -0.5f, 0.5f);
    mb.input("x", xdims).initializer("w", {m, c, 3, 3}, w).initializer("b", {m}, b);
    mb.node("Conv", {"x", "w", "b"}, {"t"}, {Attr("kernel_shape", std::vector<int64_t>{3, 3}),
                                            Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
    pre = naive_conv(x, w, b, n, c, m, h, wd);
  } else {
    const int64_t rows = 5, k = 7, cols = 9;
    const int trans_b = 1;
    xdims = {rows, k};
    x = random_floats(element_count(xdims), 8, -2, 2);
    const auto w = random_floats(static_cast<size_t>(k * cols), 9, -1, 1);  // [cols, k] (transB)
    const auto c = random_floats(static_cast<size_t>(cols), 10, -1, 1);
    mb.input("x", xdims).initializer("w", {cols, k}, w).initializer("c", {cols}, c);
    std::vector<Attr> gemm_attrs = {Attr("transB", trans_b)};
    if (opset < 7) gemm_attrs.emplace_back("broadcast", 1);
    mb.node("Gemm", {"x", "w", "c"}, {"t"}, gemm_attrs);
    pre.resize(static_cast<size_t>(rows * cols));
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        double acc = c[j];
        for (int64_t q = 0; q < k; ++q) acc += static_cast<double>(x[i * k + q]) * w[j * k + q];
        pre[i * cols + j] = acc;
      }
  }
  mb.node(op, {"t"}, {"y"}, attrs, "act").output("y");
  RunOptions opts;
  opts.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xdims, x)}, opts);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  REQUIRE(r.outputs[0].f.size() == pre.size());
  // The producer's own float32 rounding (about 1e-6 of its output) is
  // amplified by the activation's slope; allow for it on top of atol/rtol.
  for (size_t i = 0; i < pre.size(); ++i) {
    const double v = pre[i], h = 1e-4 * (1 + std::fabs(v));
    const double want = ref(v), slope = std::fabs(ref(v + h) - ref(v - h)) / (2 * h);
    const double allowed = atol + rtol * std::fabs(want) + slope * 2e-6 * (1 + std::fabs(v));
    const double got = r.outputs[0].f[i];
    if (std::isnan(want) && std::isnan(got)) continue;
    if (!(std::fabs(got - want) <= allowed)) {
      CAPTURE(i);
      CAPTURE(v);
      CHECK(got == doctest::Approx(want));
      break;
    }
  }
  const bool own_step = std::find(r.step_ops.begin(), r.step_ops.end(), op) != r.step_ops.end();
  CHECK(own_step == !fused);
}

void check_binary(const std::string& op, int opset, const std::vector<Attr>& attrs, const Dims& da, const Dims& db,
                  const std::function<double(double, double)>& ref, float alo, float ahi, float blo, float bhi,
                  double atol, double rtol, const Dims* legacy_b) {
  CAPTURE(op);
  CAPTURE(opset);
  CAPTURE(da.size());
  CAPTURE(db.size());
  const Dims b_as = legacy_b ? *legacy_b : db;
  const Dims out = legacy_b ? da : broadcast_dims(da, db);
  const auto a = random_floats(element_count(da), static_cast<uint32_t>(17 + da.size()), alo, ahi);
  const auto b = random_floats(element_count(db), static_cast<uint32_t>(29 + db.size()), blo, bhi);
  std::vector<float> want(element_count(out));
  for (size_t i = 0; i < want.size(); ++i)
    want[i] = static_cast<float>(ref(a[broadcast_offset(da, out, i)], b[broadcast_offset(b_as, out, i)]));
  const std::vector<HostTensor> in = {HostTensor::floats("a", da, a), HostTensor::floats("b", db, b)};
  const RunResult r = run_model(one_node_model(op, opset, in, attrs), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == out);
  std::vector<float> got = r.outputs[0].f;
  if (r.outputs[0].dtype == CNNRT_BOOL)
    for (uint8_t v : r.outputs[0].raw) got.push_back(static_cast<float>(v));
  CHECK_MESSAGE(first_mismatch(got, want, atol, rtol) == "", first_mismatch(got, want, atol, rtol));
}

const std::vector<std::pair<Dims, Dims>>& broadcast_cases() {
  static const std::vector<std::pair<Dims, Dims>> cases = {
      {{3, 4, 5}, {3, 4, 5}}, {{3, 4, 5}, {5}},       {{5}, {3, 4, 5}},          {{3, 1, 5}, {1, 4, 1}},
      {{}, {2, 3}},           {{2, 3}, {}},           {{}, {}},                  {{1}, {7}},
      {{2, 1, 4, 1, 5}, {4, 3, 5}}, {{1, 17, 3, 3}, {17, 1, 1}}, {{17, 1, 1}, {2, 17, 3, 3}}, {{6, 1}, {1, 7}},
      {{1, 1}, {1}},          {{2, 3, 0}, {3, 1}}};
  return cases;
}

}  // namespace cnnrt::test
