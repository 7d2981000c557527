// MatMul against a naive numpy.matmul: 1-D operands on either side, 2-D,
// batched with broadcasting up to rank 7, constant and run-time B, a fused
// Relu, a dynamic batch, empty dims, and the errors a bad MatMul must give.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

using Shape = std::vector<int64_t>;

// numpy.matmul by definition: promote 1-D operands, broadcast the batch
// dims, multiply every matrix pair, drop the promoted dims.
std::vector<float> reference_matmul(const Shape& ad, const std::vector<float>& a, const Shape& bd,
                                    const std::vector<float>& b, Shape* yd) {
  Shape a2 = ad.size() == 1 ? Shape{1, ad[0]} : ad, b2 = bd.size() == 1 ? Shape{bd[0], 1} : bd;
  const size_t rank = std::max(a2.size(), b2.size());
  a2.insert(a2.begin(), rank - a2.size(), 1);
  b2.insert(b2.begin(), rank - b2.size(), 1);
  Shape batch(rank - 2);
  for (size_t i = 0; i + 2 < rank; ++i) batch[i] = std::max(a2[i], b2[i]);
  const int64_t m = a2[rank - 2], k = a2[rank - 1], n = b2[rank - 1];
  const size_t nb = element_count(batch);
  std::vector<float> y(nb * static_cast<size_t>(m * n));
  for (size_t bi = 0; bi < nb; ++bi) {
    // Offsets of this batch entry in A and B, broadcasting size-1 dims.
    size_t rest = bi, aoff = 0, boff = 0, astride = 1, bstride = 1;
    for (size_t i = batch.size(); i-- > 0;) {
      const size_t idx = rest % static_cast<size_t>(batch[i]);
      rest /= static_cast<size_t>(batch[i]);
      if (a2[i] != 1) aoff += idx * astride;
      if (b2[i] != 1) boff += idx * bstride;
      astride *= static_cast<size_t>(a2[i]);
      bstride *= static_cast<size_t>(b2[i]);
    }
    const float* ap = a.data() + aoff * static_cast<size_t>(m * k);
    const float* bp = b.data() + boff * static_cast<size_t>(k * n);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t p = 0; p < k; ++p) acc += static_cast<double>(ap[i * k + p]) * bp[p * n + j];
        y[bi * static_cast<size_t>(m * n) + static_cast<size_t>(i * n + j)] = static_cast<float>(acc);
      }
  }
  *yd = batch;
  if (ad.size() > 1) yd->push_back(m);
  if (bd.size() > 1) yd->push_back(n);
  return y;
}

void check_matmul(const Shape& ad, const Shape& bd, bool b_constant, uint32_t seed, int opset = 13) {
  CAPTURE(ad.size());
  CAPTURE(bd.size());
  CAPTURE(b_constant);
  const auto a = random_floats(element_count(ad), seed), b = random_floats(element_count(bd), seed + 1);
  Shape yd;
  const auto want = reference_matmul(ad, a, bd, b, &yd);
  ModelBuilder mb(opset);
  mb.input("a", ad);
  if (b_constant)
    mb.initializer("b", bd, b);
  else
    mb.input("b", bd);
  mb.node("MatMul", {"a", "b"}, {"y"}).output("y");
  std::vector<HostTensor> inputs = {HostTensor::floats("a", ad, a)};
  if (!b_constant) inputs.push_back(HostTensor::floats("b", bd, b));
  const RunResult r = run_model(mb.bytes(), inputs);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == yd);
  CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-4);
}

}  // namespace

TEST_CASE("MatMul 2-D with constant and run-time B, each opset form") {
  uint32_t seed = 1;
  for (int opset : {1, 9, 13})
    for (bool constant : {true, false}) {
      CAPTURE(opset);
      check_matmul({7, 13}, {13, 5}, constant, seed, opset);
      check_matmul({1, 33}, {33, 17}, constant, seed + 10, opset);
      seed += 20;
    }
}

TEST_CASE("MatMul 1-D operands are promoted and their unit dims dropped") {
  uint32_t seed = 100;
  for (bool constant : {true, false}) {
    check_matmul({9}, {9, 4}, constant, seed++);
    check_matmul({5, 9}, {9}, constant, seed++);
    check_matmul({9}, {9}, constant, seed++);
    check_matmul({9}, {3, 9, 4}, constant, seed++);
    check_matmul({2, 3, 5, 9}, {9}, constant, seed++);
  }
}

TEST_CASE("MatMul batched with broadcasting") {
  uint32_t seed = 200;
  for (bool constant : {true, false}) {
    check_matmul({3, 5, 7}, {7, 4}, constant, seed++);          // A's batch folds into M
    check_matmul({2, 3, 5, 7}, {1, 1, 7, 4}, constant, seed++);  // B with unit batch dims
    check_matmul({5, 7}, {3, 7, 4}, constant, seed++);           // B batched, A a matrix
    check_matmul({3, 5, 7}, {3, 7, 4}, constant, seed++);
    check_matmul({2, 1, 5, 7}, {3, 7, 6}, constant, seed++);     // -> [2, 3, 5, 6]
    check_matmul({1, 4, 3, 2}, {5, 1, 2, 3}, constant, seed++);  // -> [5, 4, 3, 3]
    check_matmul({2, 1, 2, 1, 3, 5}, {1, 3, 1, 2, 5, 2}, constant, seed++);
    check_matmul({2, 1, 2, 1, 2, 3, 5}, {1, 3, 1, 2, 1, 5, 2}, constant, seed++);
  }
}

TEST_CASE("MatMul followed by Relu runs it as a post-op") {
  const Shape ad = {6, 10}, bd = {10, 8};
  const auto a = random_floats(60, 300), b = random_floats(80, 301);
  Shape yd;
  auto want = reference_matmul(ad, a, bd, b, &yd);
  for (float& v : want) v = std::max(v, 0.0f);
  ModelBuilder mb(13);
  mb.input("a", ad).initializer("b", bd, b).node("MatMul", {"a", "b"}, {"t"}).node("Relu", {"t"}, {"y"}).output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("a", ad, a)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == yd);
  CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-4);
}

TEST_CASE("MatMul with a dynamic batch runs at several batch sizes") {
  const Shape bd = {6, 3};
  const auto b = random_floats(18, 400);
  ModelBuilder mb(13);
  mb.input("a", {-1, 4, 6}).initializer("b", bd, b).node("MatMul", {"a", "b"}, {"y"}).output("y");
  for (int64_t n : {1, 3, 2}) {
    const Shape ad = {n, 4, 6};
    const auto a = random_floats(element_count(ad), 401 + static_cast<uint32_t>(n));
    Shape yd;
    const auto want = reference_matmul(ad, a, bd, b, &yd);
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("a", ad, a)});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == yd);
    CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-4);
  }
}

TEST_CASE("MatMul with an empty inner dimension gives zeros; an empty output gives nothing") {
  for (bool relu : {false, true}) {
    ModelBuilder mb(13);
    mb.input("a", {3, 0}).initializer("b", {0, 4}, {}).node("MatMul", {"a", "b"}, {relu ? "t" : "y"});
    if (relu) mb.node("Relu", {"t"}, {"y"});
    mb.output("y");
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("a", {3, 0}, {})});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].dims == Shape{3, 4});
    CHECK(r.outputs[0].f == std::vector<float>(12, 0.0f));
  }
  ModelBuilder mb(13);
  mb.input("a", {2, 0, 5}).initializer("b", {5, 4}, random_floats(20, 9)).node("MatMul", {"a", "b"}, {"y"}).output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("a", {2, 0, 5}, {})});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == Shape{2, 0, 4});
  CHECK(r.outputs[0].f.empty());
}

TEST_CASE("MatMul errors name the node and the problem") {
  const std::string prefix = "<memory>: node 'mm' (MatMul, domain ai.onnx, opset 13): ";
  SUBCASE("K mismatch") {
    ModelBuilder mb(13);
    mb.input("a", {2, 3}).input("b", {4, 5}).node("MatMul", {"a", "b"}, {"y"}, {}, "mm").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "A [2,3] and B [4,5] disagree on K (3 vs 4)");
  }
  SUBCASE("batch dims that do not broadcast") {
    ModelBuilder mb(13);
    mb.input("a", {2, 2, 3}).input("b", {3, 3, 5}).node("MatMul", {"a", "b"}, {"y"}, {}, "mm").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "the batch dims of A [2,2,3] and B [3,3,5] do not broadcast");
  }
  SUBCASE("integer inputs") {
    ModelBuilder mb(13);
    mb.input("a", {2, 3}, onnx::TensorProto::INT64)
        .input("b", {3, 2}, onnx::TensorProto::INT64)
        .node("MatMul", {"a", "b"}, {"y"}, {}, "mm")
        .output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == prefix + "input 0 ('a') has element type int64; supported: float");
  }
}
