// Gemm against a naive reference: alpha, beta, transA, transB, C of every
// broadcastable shape or none, constant and runtime B and C, legacy opsets.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

struct GemmCase {
  int64_t m = 3, k = 5, n = 4;
  float alpha = 1, beta = 1;
  bool ta = false, tb = false;
  std::vector<int64_t> cdims = {4};  // empty vector + has_c=false: no C
  bool has_c = true;
  bool b_constant = true, c_constant = true;
};

std::vector<float> reference_gemm(const GemmCase& g, const std::vector<float>& a, const std::vector<float>& b,
                                  const std::vector<float>& c) {
  std::vector<float> y(static_cast<size_t>(g.m * g.n));
  std::vector<int64_t> c2 = g.cdims;
  while (c2.size() < 2) c2.insert(c2.begin(), 1);
  for (int64_t i = 0; i < g.m; ++i)
    for (int64_t j = 0; j < g.n; ++j) {
      double acc = 0;
      for (int64_t p = 0; p < g.k; ++p) {
        const float av = g.ta ? a[p * g.m + i] : a[i * g.k + p];
        const float bv = g.tb ? b[j * g.k + p] : b[p * g.n + j];
        acc += static_cast<double>(av) * bv;
      }
      double v = g.alpha * acc;
      if (g.has_c) v += g.beta * c[(c2[0] == 1 ? 0 : i) * c2[1] + (c2[1] == 1 ? 0 : j)];
      y[i * g.n + j] = static_cast<float>(v);
    }
  return y;
}

// x rounded to the nearest bfloat16 (ties to even), as oneDNN converts.
float round_to_bf16(float x) {
  uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  u += 0x7fffu + ((u >> 16) & 1u);
  u &= 0xffff0000u;
  std::memcpy(&x, &u, sizeof u);
  return x;
}

// Runs g through a model (with a Relu after the Gemm when `relu`) and checks
// it against the reference; returns the run (its steps with `options.profile`).
RunResult check_gemm(const GemmCase& g, int64_t opset, uint32_t seed, bool relu = false,
                     const RunOptions& options = RunOptions(), double tolerance = 1e-5) {
  const std::vector<int64_t> adims = g.ta ? std::vector<int64_t>{g.k, g.m} : std::vector<int64_t>{g.m, g.k};
  const std::vector<int64_t> bdims = g.tb ? std::vector<int64_t>{g.n, g.k} : std::vector<int64_t>{g.k, g.n};
  const size_t cn = element_count(g.cdims);
  const auto a = random_floats(static_cast<size_t>(g.m * g.k), seed);
  const auto b = random_floats(static_cast<size_t>(g.k * g.n), seed + 1);
  const auto c = random_floats(cn, seed + 2);
  ModelBuilder mb(opset);
  std::vector<HostTensor> feeds = {HostTensor::floats("a", adims, a)};
  mb.input("a", adims);
  if (g.b_constant) {
    mb.initializer("b", bdims, b);
  } else {
    mb.input("b", bdims);
    feeds.push_back(HostTensor::floats("b", bdims, b));
  }
  std::vector<std::string> inputs = {"a", "b"};
  if (g.has_c) {
    if (g.c_constant) {
      mb.initializer("c", g.cdims, c);
    } else {
      mb.input("c", g.cdims);
      feeds.push_back(HostTensor::floats("c", g.cdims, c));
    }
    inputs.push_back("c");
  }
  std::vector<Attr> attrs = {Attr("alpha", g.alpha), Attr("beta", g.beta), Attr("transA", g.ta ? 1 : 0),
                             Attr("transB", g.tb ? 1 : 0)};
  if (opset < 7) attrs.emplace_back("broadcast", 1);
  if (relu) {
    mb.node("Gemm", inputs, {"z"}, attrs).node("Relu", {"z"}, {"y"}).output("y");
  } else {
    mb.node("Gemm", inputs, {"y"}, attrs).output("y");
  }
  const RunResult r = run_model(mb.bytes(), feeds, options);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == std::vector<int64_t>{g.m, g.n});
  // A bf16 session multiplies A and a constant B in bfloat16 (float32
  // accumulation): the reference rounds them the same way.
  const bool bf16 = options.precision == CNNRT_PRECISION_BF16 && g.b_constant;
  auto operand = [&](std::vector<float> v) {
    if (bf16) std::transform(v.begin(), v.end(), v.begin(), round_to_bf16);
    return v;
  };
  std::vector<float> want = reference_gemm(g, operand(a), operand(b), c);
  if (relu)
    for (float& v : want) v = std::max(v, 0.0f);
  CHECK(max_abs_diff(r.outputs[0].f, want) < tolerance);
  return r;
}

}  // namespace

TEST_CASE("Gemm over transposes, alpha, beta and constant or runtime operands") {
  uint32_t seed = 1;
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (float alpha : {1.0f, 0.5f})
        for (float beta : {1.0f, 0.0f, -2.0f})
          for (bool constant : {true, false}) {
            GemmCase g;
            g.ta = ta;
            g.tb = tb;
            g.alpha = alpha;
            g.beta = beta;
            g.b_constant = g.c_constant = constant;
            CAPTURE(ta);
            CAPTURE(tb);
            CAPTURE(alpha);
            CAPTURE(beta);
            CAPTURE(constant);
            check_gemm(g, 13, seed++);
          }
}

TEST_CASE("Gemm C of every broadcastable shape, and none") {
  const std::vector<std::vector<int64_t>> shapes = {{}, {1}, {4}, {1, 4}, {3, 1}, {3, 4}, {1, 1}};
  uint32_t seed = 50;
  for (const auto& s : shapes)
    for (bool constant : {true, false}) {
      GemmCase g;
      g.cdims = s;
      g.c_constant = constant;
      g.beta = 0.75f;
      CAPTURE(s.size());
      CAPTURE(constant);
      check_gemm(g, 13, seed++);
    }
  GemmCase none;
  none.has_c = false;
  check_gemm(none, 11, 80);
}

TEST_CASE("Gemm with one or two rows (the matrix-vector case) and a constant B") {
  // Plain or transposed B at one and two rows:
  // every way C can join must still give the reference.
  const std::vector<std::vector<int64_t>> shapes = {{}, {1}, {4}, {1, 4}, {1, 1}};
  uint32_t seed = 200;
  for (int64_t m : {1, 2})
    for (bool tb : {true, false})
    for (float alpha : {1.0f, 0.5f})
      for (float beta : {1.0f, -2.0f})
        for (const auto& s : shapes)
          for (bool c_constant : {true, false}) {
            GemmCase g;
            g.m = m;
            g.k = 37;
            g.tb = tb;
            g.alpha = alpha;
            g.beta = beta;
            g.cdims = s;
            g.has_c = !s.empty();
            g.c_constant = c_constant;
            CAPTURE(m);
            CAPTURE(tb);
            CAPTURE(alpha);
            CAPTURE(beta);
            CAPTURE(s.size());
            CAPTURE(c_constant);
            check_gemm(g, 13, seed++);
          }
  GemmCase full_c;  // C [M, N] with M = 2
  full_c.m = 2;
  full_c.tb = true;
  full_c.cdims = {2, 4};
  check_gemm(full_c, 13, 300);
}

TEST_CASE("Gemm: a large transposed constant B is read as stored, elsewhere reordered") {
  // B of 32 MiB (the size from which ops/gemm.cpp keeps it as loaded). Read
  // as stored, oneDNN runs its gemm-based inner product; otherwise matmul
  // on B reordered. Either way the result is the reference's.
  struct Variant {
    const char* what;
    std::vector<int64_t> cdims;  // empty: no C
    float alpha;
    bool relu;
    bool stored;
  };
  const std::vector<Variant> variants = {
      {"no C", {}, 1.0f, false, true},          {"C over N", {2048}, 1.0f, false, true},
      {"C [1,N]", {1, 2048}, 1.0f, false, true}, {"C over N, Relu fused", {2048}, 1.0f, true, true},
      {"alpha 0.5", {2048}, 0.5f, false, false}, {"C [1,1]", {1, 1}, 1.0f, false, false},
  };
  RunOptions profiled;
  profiled.profile = true;
  uint32_t seed = 400;
  for (int64_t m : {1, 2, 3, 8})
    for (const Variant& v : variants) {
      CAPTURE(m);
      CAPTURE(v.what);
      GemmCase g;
      g.m = m;
      g.k = 4096;
      g.n = 2048;
      g.tb = true;
      g.alpha = v.alpha;
      g.cdims = v.cdims;
      g.has_c = !v.cdims.empty();
      // A 4096-long float reduction: rounding differs from the double reference.
      const RunResult r = check_gemm(g, 13, seed++, v.relu, profiled, 2e-4);
      size_t gemm_step = r.step_ops.size();
      for (size_t i = 0; i < r.step_ops.size(); ++i)
        if (r.step_ops[i] == "Gemm") gemm_step = i;
      REQUIRE(gemm_step < r.step_impls.size());
      const bool stored = r.step_impls[gemm_step].find("gemm") != std::string::npos;
      CHECK(stored == v.stored);
      if (v.relu) CHECK(std::count(r.step_ops.begin(), r.step_ops.end(), "Relu") == 0);
    }
  // Below 32 MiB, or with B not transposed, B is reordered at one row too.
  for (bool tb : {true, false}) {
    CAPTURE(tb);
    GemmCase g;
    g.m = 1;
    g.k = tb ? 2048 : 4096;
    g.n = 2048;
    g.tb = tb;
    g.cdims = {2048};
    const RunResult r = check_gemm(g, 13, seed++, false, profiled, 2e-4);
    for (size_t i = 0; i < r.step_ops.size(); ++i)
      if (r.step_ops[i] == "Gemm") CHECK(r.step_impls[i].find("gemm") == std::string::npos);
  }
}

TEST_CASE("bf16 sessions run Gemm with a constant B in bfloat16, with a runtime B in float32") {
  // The classifier of a CNN: B reordered to bfloat16 once, A converted each
  // run, float32 bias, post-ops and output. Checked against a reference on
  // bf16-rounded A and B (so a float32 product would fail it) and by the
  // implementation oneDNN reports.
  RunOptions bf16;
  bf16.precision = CNNRT_PRECISION_BF16;
  bf16.profile = true;
  uint32_t seed = 600;
  for (bool b_constant : {true, false})
    for (int64_t m : {1, 3})
      for (bool tb : {true, false})
        for (bool ta : {false, true})
          for (float beta : {1.0f, -2.0f}) {
            GemmCase g;
            g.m = m;
            g.k = 300;
            g.n = 40;
            g.ta = ta;
            g.tb = tb;
            g.beta = beta;
            g.cdims = {40};
            g.b_constant = b_constant;
            CAPTURE(b_constant);
            CAPTURE(m);
            CAPTURE(tb);
            CAPTURE(ta);
            CAPTURE(beta);
            const bool relu = m == 3;
            const RunResult r = check_gemm(g, 13, seed++, relu, bf16, 2e-5);
            for (size_t i = 0; i < r.step_ops.size(); ++i)
              if (r.step_ops[i] == "Gemm") CHECK((r.step_impls[i].find("bf16") != std::string::npos) == b_constant);
            if (relu) CHECK(std::count(r.step_ops.begin(), r.step_ops.end(), "Relu") == 0);
          }
  // The same product in float32 is further from the bf16-rounded reference
  // than the tolerance above: the check can tell the two apart.
  GemmCase g;
  g.k = 300;
  g.n = 40;
  g.cdims = {40};
  const auto a = random_floats(static_cast<size_t>(g.m * g.k), 1);
  const auto b = random_floats(static_cast<size_t>(g.k * g.n), 2);
  const auto c = random_floats(40, 3);
  std::vector<float> ar = a, br = b;
  std::transform(ar.begin(), ar.end(), ar.begin(), round_to_bf16);
  std::transform(br.begin(), br.end(), br.begin(), round_to_bf16);
  CHECK(max_abs_diff(reference_gemm(g, a, b, c), reference_gemm(g, ar, br, c)) > 1e-3);
}

TEST_CASE("Gemm with an empty operand: an empty output, or K = 0 refused") {
  // oneDNN's matmul divides by zero for these (a fuzzer-found crash).
  ModelBuilder mb(13);
  mb.input("a", {0, 5}).initializer("b", {5, 4}, random_floats(20, 1));
  mb.node("Gemm", {"a", "b"}, {"y"}, {}, "fc").output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("a", {0, 5}, {})});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == std::vector<int64_t>{0, 4});
  ModelBuilder k0(13);
  k0.input("a", {3, 0}).initializer("b", {0, 4}, std::vector<float>{});
  k0.node("Gemm", {"a", "b"}, {"y"}, {}, "fc").output("y");
  const RunResult refused = load_model(k0.bytes());
  CHECK(refused.status == CNNRT_UNSUPPORTED);
  CHECK(refused.error ==
        "node 'fc' (Gemm, domain ai.onnx, opset 13): A [3,0] and B [0,4] have no inner dimension (K = 0)");
}

TEST_CASE("Gemm legacy opset 6 with broadcast and odd sizes") {
  GemmCase g;
  g.m = 7;
  g.k = 13;
  g.n = 1;
  g.cdims = {1};
  check_gemm(g, 6, 90);
}

TEST_CASE("Gemm errors") {
  SUBCASE("K disagrees") {
    ModelBuilder mb(13);
    mb.input("a", {2, 3}).initializer("b", {4, 5}, std::vector<float>(20, 0.f));
    mb.node("Gemm", {"a", "b"}, {"y"}, {}, "fc").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'fc' (Gemm, domain ai.onnx, opset 13): A [2,3] and B [4,5] disagree on K (3 vs 4)");
  }
  SUBCASE("C cannot broadcast") {
    ModelBuilder mb(13);
    mb.input("a", {2, 3}).initializer("b", {3, 5}, std::vector<float>(15, 0.f));
    mb.initializer("c", {3}, std::vector<float>(3, 0.f));
    mb.node("Gemm", {"a", "b", "c"}, {"y"}, {}, "fc").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'fc' (Gemm, domain ai.onnx, opset 13): C [3] cannot be broadcast to [2,5]");
  }
  SUBCASE("C required before opset 11") {
    ModelBuilder mb(9);
    mb.input("a", {2, 3}).initializer("b", {3, 5}, std::vector<float>(15, 0.f));
    mb.node("Gemm", {"a", "b"}, {"y"}, {}, "fc").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'fc' (Gemm, domain ai.onnx, opset 9): expects 3 inputs, got 2");
  }
  SUBCASE("rank-3 A") {
    ModelBuilder mb(13);
    mb.input("a", {2, 3, 1}).initializer("b", {3, 5}, std::vector<float>(15, 0.f));
    mb.node("Gemm", {"a", "b"}, {"y"}, {}, "fc").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'fc' (Gemm, domain ai.onnx, opset 13): input 0 ('a') must have rank 2, got shape [2,3,1]");
  }
}

TEST_CASE("Gemm: one constant read transposed by one node and plainly by another gives both right") {
  // The weight cache keys converted constants by their source view too.
  const int64_t n = 6;
  const auto a = random_floats(static_cast<size_t>(n * n), 1), b = random_floats(static_cast<size_t>(n * n), 2);
  ModelBuilder mb(13);
  mb.input("a", {n, n}).initializer("b", {n, n}, b);
  mb.node("Gemm", {"a", "b"}, {"y1"}).node("Gemm", {"a", "b"}, {"y2"}, {Attr("transB", 1)});
  mb.output("y1").output("y2");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("a", {n, n}, a)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  GemmCase plain, trans;
  plain.m = plain.k = plain.n = trans.m = trans.k = trans.n = n;
  plain.has_c = trans.has_c = false;
  trans.tb = true;
  CHECK(max_abs_diff(r.outputs[0].f, reference_gemm(plain, a, b, {})) < 1e-5);
  CHECK(max_abs_diff(r.outputs[1].f, reference_gemm(trans, a, b, {})) < 1e-5);
}
