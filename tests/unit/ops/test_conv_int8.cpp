// int8 sessions (CNNRT_PRECISION_INT8): a small conv net run in int8 against
// the same net in FP32, within a bound derived from the quantization steps
// the calibrated ranges imply; which convolutions are quantized; and the
// option errors of cnnrt_session_create with their exact messages.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

double max_abs(const std::vector<float>& v) {
  double m = 0;
  for (float x : v) m = std::max(m, static_cast<double>(std::fabs(x)));
  return m;
}

// Largest |w| of each output channel of [OC, ...] weights.
std::vector<double> channel_max(const std::vector<float>& w, int64_t oc) {
  const size_t per = w.size() / static_cast<size_t>(oc);
  std::vector<double> m(static_cast<size_t>(oc), 0.0);
  for (size_t i = 0; i < w.size(); ++i) m[i / per] = std::max(m[i / per], static_cast<double>(std::fabs(w[i])));
  return m;
}

// Worst-case error of one output of a convolution with fan-in k whose
// input x (|x| <= x_max) carries an error up to in_err (earlier layers plus
// its own rounding) and whose weights are rounded to s8 with step
// w_max / 127 (error up to half a step): sum over the fan-in of
// |w| * e_x + |x| * e_w + e_x * e_w.
double conv_error(int64_t k, double w_max, double x_max, double in_err) {
  const double w_err = 0.5 * w_max / 127.0;
  return static_cast<double>(k) * (w_max * in_err + x_max * w_err + in_err * w_err);
}

struct Net {
  // x [1,8,12,12] -> Conv 3x3 (8->16, bias) -> Relu = r1
  //   -> Conv 3x3 group 2 (16->16, bias) + r1 -> Relu = r2   (sum post-op)
  //   -> depthwise Conv 3x3 (16 groups, stays FP32) = y
  std::vector<float> w1 = random_floats(16 * 8 * 9, 21), b1 = random_floats(16, 22);
  std::vector<float> w2 = random_floats(16 * 8 * 9, 23), b2 = random_floats(16, 24);
  std::vector<float> w3 = random_floats(16 * 9, 25);
  std::vector<int64_t> dims = {1, 8, 12, 12};
  std::string bytes;

  Net() {
    const Attr pad1("pads", std::vector<int64_t>{1, 1, 1, 1});
    ModelBuilder mb(13);
    mb.input("x", dims);
    mb.initializer("w1", {16, 8, 3, 3}, w1).initializer("b1", {16}, b1);
    mb.initializer("w2", {16, 8, 3, 3}, w2).initializer("b2", {16}, b2);
    mb.initializer("w3", {16, 1, 3, 3}, w3);
    mb.node("Conv", {"x", "w1", "b1"}, {"c1"}, {pad1}).node("Relu", {"c1"}, {"r1"});
    mb.node("Conv", {"r1", "w2", "b2"}, {"c2"}, {pad1, Attr("group", int64_t{2})});
    mb.node("Add", {"c2", "r1"}, {"s2"}).node("Relu", {"s2"}, {"r2"});
    mb.node("Conv", {"r2", "w3"}, {"y"}, {pad1, Attr("group", int64_t{16})}).output("y");
    bytes = mb.bytes();
  }
};

struct Int8Session {
  cnnrt_model* model = nullptr;
  cnnrt_session* session = nullptr;
  explicit Int8Session(const std::string& bytes) {
    REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &model) == CNNRT_OK);
  }
  ~Int8Session() {
    cnnrt_session_destroy(&session);
    cnnrt_model_destroy(&model);
  }
  cnnrt_status create(const cnnrt_session_options& so) { return cnnrt_session_create(model, &so, &session); }
};

cnnrt_session_options int8_options(const cnnrt_tensor* sets, size_t count) {
  cnnrt_session_options so;
  cnnrt_session_options_init(&so);
  so.threads = 1;
  so.profile = 1;
  so.precision = CNNRT_PRECISION_INT8;
  so.calibration_inputs = sets;
  so.calibration_count = count;
  return so;
}

}  // namespace

TEST_CASE("an int8 convolution computes the quantized arithmetic it stands for") {
  // One Conv 3x3 pad 1 with bias, C=8 -> M=16, on a signed input (s8) and a
  // never-negative one (u8), plain and in 2 groups. The test quantizes x
  // and w itself with the scheme of runtime/quantization.h (x scale from
  // the calibration input, here x itself; w per output channel), computes
  // the convolution of the rounded values in double, and requires cnnrt's
  // result to match it up to float rounding; that arithmetic must in turn
  // be within the quantization steps' worst case of the FP32 result.
  for (const bool non_negative : {false, true})
    for (const int64_t group : {int64_t{1}, int64_t{2}}) {
      CAPTURE(non_negative);
      CAPTURE(group);
      const int64_t C = 8, M = 16, H = 9, W = 7, cg = C / group, mg = M / group;
      std::vector<float> x = random_floats(static_cast<size_t>(C * H * W), 31);
      if (non_negative)
        for (float& v : x) v = std::fabs(v);
      const std::vector<float> w = random_floats(static_cast<size_t>(M * cg * 9), 32);
      const std::vector<float> b = random_floats(static_cast<size_t>(M), 33);
      std::vector<int64_t> dims = {1, C, H, W};
      ModelBuilder mb(13);
      mb.input("x", dims).initializer("w", {M, cg, 3, 3}, w).initializer("b", {M}, b);
      mb.node("Conv", {"x", "w", "b"}, {"y"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1}), Attr("group", group)});
      mb.output("y");
      const std::string bytes = mb.bytes();
      const RunResult fp32 = run_model(bytes, {HostTensor::floats("x", dims, x)});
      REQUIRE_MESSAGE(fp32.status == CNNRT_OK, fp32.error);

      const cnnrt_tensor in = {"x", CNNRT_FLOAT32, 4, dims.data(), x.data(), x.size() * sizeof(float)};
      Int8Session s(bytes);
      REQUIRE_MESSAGE(s.create(int8_options(&in, 1)) == CNNRT_OK, cnnrt_last_error());
      std::vector<float> y(static_cast<size_t>(M * H * W));
      cnnrt_tensor out = {nullptr, CNNRT_UNDEFINED, 0, nullptr, y.data(), y.size() * sizeof(float)};
      REQUIRE(cnnrt_session_run(s.session, &in, 1, &out, 1) == CNNRT_OK);

      const double sx = (non_negative ? 255.0 : 127.0) / max_abs(x);
      const std::vector<double> wmax = channel_max(w, M);
      double worst_rounding = 0, worst_step = 0, peak = max_abs(fp32.outputs[0].f);
      for (int64_t m = 0; m < M; ++m) {
        const double sw = 127.0 / wmax[static_cast<size_t>(m)];
        const int64_t g = m / mg;
        for (int64_t oy = 0; oy < H; ++oy)
          for (int64_t ox = 0; ox < W; ++ox) {
            double acc = 0, step_bound = 0;  // sum qx*qw; sum of |w| e_x + |x| e_w + e_x e_w
            for (int64_t ci = 0; ci < cg; ++ci)
              for (int64_t ky = 0; ky < 3; ++ky)
                for (int64_t kx = 0; kx < 3; ++kx) {
                  const int64_t iy = oy + ky - 1, ix = ox + kx - 1;
                  if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                  const double xv = x[static_cast<size_t>(((g * cg + ci) * H + iy) * W + ix)];
                  const double wv = w[static_cast<size_t>(((m * cg + ci) * 3 + ky) * 3 + kx)];
                  acc += std::nearbyint(xv * sx) * std::nearbyint(wv * sw);
                  step_bound += std::fabs(wv) * 0.5 / sx + std::fabs(xv) * 0.5 / sw + 0.25 / (sx * sw);
                }
            const size_t o = static_cast<size_t>((m * H + oy) * W + ox);
            const double quantized = acc / (sx * sw) + b[static_cast<size_t>(m)];
            worst_rounding = std::max(worst_rounding, std::fabs(y[o] - quantized));
            CHECK(std::fabs(quantized - fp32.outputs[0].f[o]) <= step_bound + 1e-5 * peak);
            worst_step = std::max(worst_step, step_bound);
          }
      }
      INFO("worst |cnnrt - quantized arithmetic| ", worst_rounding, ", peak ", peak, ", worst step bound ", worst_step);
      CHECK(worst_rounding <= 1e-5 * peak);
      CHECK(max_abs_diff(y, fp32.outputs[0].f) > 0);  // not float32
    }
}

TEST_CASE("int8 sessions stay within the error their quantization steps allow") {
  Net net;
  std::vector<float> x = random_floats(8 * 12 * 12, 26);
  RunOptions ro;
  ro.extra_outputs = {"r1", "r2"};
  const RunResult fp32 = run_model(net.bytes, {HostTensor::floats("x", net.dims, x)}, ro);
  REQUIRE_MESSAGE(fp32.status == CNNRT_OK, fp32.error);
  REQUIRE(fp32.outputs.size() == 3);
  const std::vector<float>& y_ref = fp32.outputs[0].f;

  // Calibrated on the evaluated input itself, so nothing saturates and the
  // bound below holds exactly; a second set (x halved) only widens no range.
  std::vector<float> half(x);
  for (float& v : half) v *= 0.5f;
  const cnnrt_tensor sets[] = {
      {"x", CNNRT_FLOAT32, 4, net.dims.data(), x.data(), x.size() * sizeof(float)},
      {"x", CNNRT_FLOAT32, 4, net.dims.data(), half.data(), half.size() * sizeof(float)}};
  Int8Session s(net.bytes);
  REQUIRE_MESSAGE(s.create(int8_options(sets, 2)) == CNNRT_OK, cnnrt_last_error());
  std::vector<float> y(y_ref.size());
  cnnrt_tensor out = {nullptr, CNNRT_UNDEFINED, 0, nullptr, y.data(), y.size() * sizeof(float)};
  REQUIRE(cnnrt_session_run(s.session, &sets[0], 1, &out, 1) == CNNRT_OK);

  // Error bound, layer by layer. x is signed: s8, step max|x| / 127.
  const double x_max = max_abs(x);
  double e1 = 0;
  for (double wm : channel_max(net.w1, 16)) e1 = std::max(e1, conv_error(8 * 9, wm, x_max, 0.5 * x_max / 127.0));
  // r1 (= Relu, which does not grow errors) is never negative: u8, step
  // max(r1) / 255, on top of the error it already carries.
  const double r1_max = max_abs(fp32.outputs[1].f);
  double e2 = 0;
  for (double wm : channel_max(net.w2, 16))
    e2 = std::max(e2, conv_error(8 * 9, wm, r1_max, e1 + 0.5 * r1_max / 255.0));
  const double e_r2 = e2 + e1;  // the residual adds r1's own error
  // The depthwise conv runs in FP32: it scales the error by its sum |w|.
  double e3 = 0;
  for (int c = 0; c < 16; ++c) {
    double sum = 0;
    for (int k = 0; k < 9; ++k) sum += std::fabs(net.w3[static_cast<size_t>(c * 9 + k)]);
    e3 = std::max(e3, sum * e_r2);
  }
  const double bound = e3 + 1e-5 * max_abs(y_ref);  // plus float rounding
  const double err = max_abs_diff(y, y_ref);
  INFO("max error ", err, ", bound ", bound, ", max |y| ", max_abs(y_ref));
  CHECK(err <= bound);
  CHECK(err > 0);  // it really ran in integers
  // The worst case assumes every rounding error of a fan-in lines up and
  // is far above what happens (about 6x max|y| here): on its own it would
  // miss a scale off by a small factor. Independent rounding errors add up
  // like a random walk instead, about sqrt(fan-in) steps, under 1 % of
  // max|y| for these sizes; 5 % leaves room for that and still fails on
  // any wrong scale, sign or layout.
  CHECK(err < 0.05 * max_abs(y_ref));

  // Two quantizing steps (x for conv 1, r1 for conv 2); the depthwise conv
  // reads r2 in float.
  size_t steps = 0;
  REQUIRE(cnnrt_session_profile_count(s.session, &steps) == CNNRT_OK);
  int quantize = 0;
  for (size_t i = 0; i < steps; ++i) {
    cnnrt_profile_entry e;
    REQUIRE(cnnrt_session_profile_entry(s.session, i, &e) == CNNRT_OK);
    if (std::string(e.op) == "Quantize") ++quantize;
  }
  CHECK(quantize == 2);
}

TEST_CASE("int8 options: errors name what is wrong") {
  Net net;
  std::vector<float> x = random_floats(8 * 12 * 12, 27);
  Int8Session s(net.bytes);

  SUBCASE("INT8 without calibration inputs") {
    CHECK(s.create(int8_options(nullptr, 0)) == CNNRT_INVALID_ARGUMENT);
    CHECK(std::string(cnnrt_last_error()) ==
          "cnnrt_session_create: CNNRT_PRECISION_INT8 needs calibration inputs (calibration_inputs, "
          "calibration_count > 0): sample inputs on which the model's float ranges are measured to choose its "
          "int8 scales");
    CHECK(s.session == nullptr);
  }
  SUBCASE("a calibration count without the inputs") {
    CHECK(s.create(int8_options(nullptr, 3)) == CNNRT_INVALID_ARGUMENT);
    CHECK(std::string(cnnrt_last_error()) == "cnnrt_session_create: calibration_inputs is NULL");
  }
  SUBCASE("calibration inputs without INT8") {
    const cnnrt_tensor set = {"x", CNNRT_FLOAT32, 4, net.dims.data(), x.data(), x.size() * sizeof(float)};
    cnnrt_session_options so = int8_options(&set, 1);
    so.precision = CNNRT_PRECISION_FP32;
    CHECK(s.create(so) == CNNRT_INVALID_ARGUMENT);
    CHECK(std::string(cnnrt_last_error()) ==
          "cnnrt_session_create: calibration_inputs are only used with CNNRT_PRECISION_INT8");
  }
  SUBCASE("a calibration set of the wrong shape") {
    std::vector<int64_t> wrong = {1, 8, 12, 11};
    const cnnrt_tensor sets[] = {
        {"x", CNNRT_FLOAT32, 4, net.dims.data(), x.data(), x.size() * sizeof(float)},
        {"x", CNNRT_FLOAT32, 4, wrong.data(), x.data(), x.size() * sizeof(float)}};
    CHECK(s.create(int8_options(sets, 2)) == CNNRT_INVALID_ARGUMENT);
    CHECK(std::string(cnnrt_last_error()) ==
          "cnnrt_session_create: calibration set 1: input 'x' must have shape [1,8,12,12], got [1,8,12,11]");
  }
  SUBCASE("a calibration set naming no input") {
    const cnnrt_tensor set = {"image", CNNRT_FLOAT32, 4, net.dims.data(), x.data(), x.size() * sizeof(float)};
    CHECK(s.create(int8_options(&set, 1)) == CNNRT_INVALID_ARGUMENT);
    CHECK(std::string(cnnrt_last_error()) ==
          "cnnrt_session_create: calibration set 0: the model has no input named 'image'");
  }
}

TEST_CASE("an int8 conv read only by int8 convs hands its output over in 8 bits") {
  // x -> Conv 3x3 + Relu = r1 -> Conv 1x1 = y. r1 is read only by an int8
  // conv, so conv 1 writes it in u8 (no float copy, no Quantize step); with
  // r1 as an extra output it must stay float32 and be quantized by a step.
  // Both must agree to within what rounding r1 once more can change: one
  // u8 step of r1 (max(r1) / 255) on each of conv 2's 16 inputs.
  std::vector<float> w1 = random_floats(16 * 8 * 9, 41), w2 = random_floats(4 * 16, 42);
  std::vector<int64_t> dims = {1, 8, 10, 10};
  ModelBuilder mb(13);
  mb.input("x", dims).initializer("w1", {16, 8, 3, 3}, w1).initializer("w2", {4, 16, 1, 1}, w2);
  mb.node("Conv", {"x", "w1"}, {"c1"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
  mb.node("Relu", {"c1"}, {"r1"}).node("Conv", {"r1", "w2"}, {"y"}).output("y");
  const std::string bytes = mb.bytes();
  std::vector<float> x = random_floats(8 * 100, 43);
  const cnnrt_tensor in = {"x", CNNRT_FLOAT32, 4, dims.data(), x.data(), x.size() * sizeof(float)};

  auto run = [&](bool keep_r1, int* quantize_steps, std::vector<float>* r1) {
    Int8Session s(bytes);
    cnnrt_session_options so = int8_options(&in, 1);
    const char* extra[] = {"r1"};
    if (keep_r1) {
      so.extra_outputs = extra;
      so.extra_output_count = 1;
    }
    REQUIRE_MESSAGE(s.create(so) == CNNRT_OK, cnnrt_last_error());
    REQUIRE(cnnrt_session_run(s.session, &in, 1, nullptr, 0) == CNNRT_OK);
    cnnrt_tensor y;
    REQUIRE(cnnrt_session_output(s.session, 0, &y) == CNNRT_OK);
    REQUIRE(y.dtype == CNNRT_FLOAT32);
    if (keep_r1) {
      cnnrt_tensor t;
      REQUIRE(cnnrt_session_output(s.session, 1, &t) == CNNRT_OK);
      REQUIRE(t.dtype == CNNRT_FLOAT32);
      r1->assign(static_cast<const float*>(t.data), static_cast<const float*>(t.data) + t.size_bytes / sizeof(float));
    }
    size_t steps = 0;
    REQUIRE(cnnrt_session_profile_count(s.session, &steps) == CNNRT_OK);
    *quantize_steps = 0;
    for (size_t i = 0; i < steps; ++i) {
      cnnrt_profile_entry e;
      REQUIRE(cnnrt_session_profile_entry(s.session, i, &e) == CNNRT_OK);
      if (std::string(e.op) == "Quantize") ++*quantize_steps;
    }
    return std::vector<float>(static_cast<const float*>(y.data),
                              static_cast<const float*>(y.data) + y.size_bytes / sizeof(float));
  };
  int fused_steps = 0, float_steps = 0;
  std::vector<float> r1;
  const std::vector<float> fused = run(false, &fused_steps, &r1);
  const std::vector<float> with_float_r1 = run(true, &float_steps, &r1);
  CHECK(fused_steps == 1);  // x only
  CHECK(float_steps == 2);  // x and r1
  double w2_max = 0;
  for (float v : w2) w2_max = std::max(w2_max, static_cast<double>(std::fabs(v)));
  const double bound = 16 * w2_max * max_abs(r1) / 255.0 + 1e-5 * max_abs(with_float_r1);
  INFO("max difference ", max_abs_diff(fused, with_float_r1), ", bound ", bound);
  CHECK(max_abs_diff(fused, with_float_r1) <= bound);
}
