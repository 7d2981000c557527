// Concat chains (runtime/concat_chains.h) through the whole pipeline: a
// DenseNet-like block, where each layer concatenates the block's input with
// every earlier layer's features, against a naive reference. With one
// image the chain lives in one buffer (each feature copied in once or
// written there by its producer, every member a prefix view of it), in
// blocks of 16 channels or row-major; with
// two images the Concats stay oneDNN's. Members read after later members
// were added (as outputs, as extra outputs, by a Concat of two members)
// must be intact.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

struct Block {
  int64_t batch, c0, growth, layers, h, w;
};

struct BlockModel {
  std::string bytes;
  std::vector<float> x;
  std::vector<std::vector<float>> weights;  // layer k: [growth, c0 + k * growth]
};

std::string cat_name(int64_t k) { return "cat" + std::to_string(k); }

// x -> f1 = Conv1x1(Relu(x)); cat1 = Concat(x, f1); f2 = Conv1x1(Relu(cat1));
// cat2 = Concat(x, f1, f2); ... Outputs: the last cat, cat1 (the chain's
// first member) and pair = Concat(cat1, cat2) (a Concat of two members).
BlockModel block_model(const Block& b) {
  BlockModel m;
  ModelBuilder mb(13);
  mb.input("x", {b.batch, b.c0, b.h, b.w});
  m.x = random_floats(static_cast<size_t>(b.batch * b.c0 * b.h * b.w), 1);
  std::vector<std::string> features = {"x"};
  std::string in = "x";
  for (int64_t k = 1; k <= b.layers; ++k) {
    const int64_t c = b.c0 + (k - 1) * b.growth;
    m.weights.push_back(random_floats(static_cast<size_t>(b.growth * c), static_cast<uint32_t>(10 + k), -0.3f, 0.3f));
    const std::string w = "w" + std::to_string(k), r = "r" + std::to_string(k), f = "f" + std::to_string(k);
    mb.initializer(w, {b.growth, c, 1, 1}, m.weights.back());
    mb.node("Relu", {in}, {r}).node("Conv", {r, w}, {f});
    features.push_back(f);
    mb.node("Concat", features, {cat_name(k)}, {Attr("axis", int64_t{1})});
    in = cat_name(k);
  }
  mb.node("Concat", {cat_name(1), cat_name(2)}, {"pair"}, {Attr("axis", int64_t{1})});
  mb.output(in).output(cat_name(1)).output("pair");
  m.bytes = mb.bytes();
  return m;
}

// Every cat_k of the block, computed naively ([n, c, h, w] row-major).
std::vector<std::vector<float>> reference_cats(const Block& b, const BlockModel& m) {
  const int64_t hw = b.h * b.w;
  std::vector<std::vector<float>> cats;
  std::vector<float> cur = m.x;
  int64_t c = b.c0;
  for (int64_t k = 1; k <= b.layers; ++k) {
    const std::vector<float>& w = m.weights[static_cast<size_t>(k - 1)];
    std::vector<float> next(static_cast<size_t>(b.batch * (c + b.growth) * hw));
    for (int64_t n = 0; n < b.batch; ++n) {
      std::copy_n(cur.begin() + n * c * hw, c * hw, next.begin() + n * (c + b.growth) * hw);
      for (int64_t o = 0; o < b.growth; ++o)
        for (int64_t p = 0; p < hw; ++p) {
          double acc = 0;
          for (int64_t i = 0; i < c; ++i)
            acc += static_cast<double>(std::max(cur[(n * c + i) * hw + p], 0.0f)) * w[o * c + i];
          next[(n * (c + b.growth) + c + o) * hw + p] = static_cast<float>(acc);
        }
    }
    cur = std::move(next);
    c += b.growth;
    cats.push_back(cur);
  }
  return cats;
}

// [a; b] along channels of n images.
std::vector<float> channel_concat(const std::vector<float>& a, const std::vector<float>& b, int64_t n) {
  std::vector<float> y;
  const size_t sa = a.size() / static_cast<size_t>(n), sb = b.size() / static_cast<size_t>(n);
  for (int64_t i = 0; i < n; ++i) {
    y.insert(y.end(), a.begin() + i * sa, a.begin() + (i + 1) * sa);
    y.insert(y.end(), b.begin() + i * sb, b.begin() + (i + 1) * sb);
  }
  return y;
}

RunResult run_block(const Block& b, const BlockModel& m, std::vector<std::string> extra = {}) {
  RunOptions o;
  o.profile = true;
  o.extra_outputs = std::move(extra);
  RunResult r = run_model(m.bytes, {HostTensor::floats("x", {b.batch, b.c0, b.h, b.w}, m.x)}, o);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  return r;
}

}  // namespace

TEST_CASE("concat chains: a DenseNet-like block gives the reference, one buffer per block at one image") {
  // growth 16 on 16 channels: blocks of 16; growth 8 or 16 on 24: row-major.
  for (const Block& b : {Block{1, 16, 16, 5, 6, 7}, Block{1, 16, 8, 4, 5, 5}, Block{1, 24, 16, 3, 4, 9},
                         Block{2, 16, 16, 4, 6, 7}, Block{3, 16, 8, 3, 5, 5}}) {
    CAPTURE(b.batch);
    CAPTURE(b.c0);
    CAPTURE(b.growth);
    const BlockModel m = block_model(b);
    const auto cats = reference_cats(b, m);
    const RunResult r = run_block(b, m, {cat_name(2)});
    REQUIRE(r.outputs.size() == 4);
    CHECK(max_abs_diff(r.outputs[0].f, cats.back()) < 1e-5);
    CHECK(max_abs_diff(r.outputs[1].f, cats[0]) < 1e-5);
    CHECK(max_abs_diff(r.outputs[2].f, channel_concat(cats[0], cats[1], b.batch)) < 1e-5);
    CHECK(max_abs_diff(r.outputs[3].f, cats[1]) < 1e-5);  // an extra output: a member in the middle
    // Chained, the first member copies both its inputs; each later one
    // copies its new feature, or nothing in blocks of 16, where the 1x1
    // convolution writes its output straight into the buffer. oneDNN's
    // concat is one step per node. The pair adds one step, or two copies
    // when its inputs are blocks of 16.
    const auto concat_steps = std::count(r.step_ops.begin(), r.step_ops.end(), "Concat");
    const bool blocked = b.c0 % 16 == 0 && b.growth % 16 == 0;
    if (b.batch == 1 && blocked)
      CHECK(concat_steps == 2 + 2);
    else if (b.batch == 1)
      CHECK(concat_steps == 2 + (b.layers - 1) + 1);
    else
      CHECK(concat_steps == b.layers + 1);
  }
}

TEST_CASE("concat chains: Concats that do not extend one another stay apart") {
  // Concat(x, f) and Concat(f, x, f): the same values, not a prefix. Each
  // copies every input into its own output (row-major x and channels-last
  // f are mixed layouts, see ops/concat.cpp): 2 + 3 copies, where a chain
  // would have copied only what the second adds.
  ModelBuilder mb(13);
  mb.input("x", {1, 16, 4, 4}).initializer("w", {16, 16, 1, 1}, random_floats(256, 2, -0.3f, 0.3f));
  mb.node("Conv", {"x", "w"}, {"f"});
  mb.node("Concat", {"x", "f"}, {"a"}, {Attr("axis", int64_t{1})});
  mb.node("Concat", {"f", "x", "f"}, {"b"}, {Attr("axis", int64_t{1})});
  mb.output("a").output("b");
  const auto x = random_floats(256, 3);
  RunOptions o;
  o.profile = true;
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {1, 16, 4, 4}, x)}, o);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(std::count(r.step_ops.begin(), r.step_ops.end(), "Concat") == 5);
  REQUIRE(r.outputs.size() == 2);
  CHECK(std::equal(x.begin(), x.end(), r.outputs[0].f.begin()));
  CHECK(std::equal(x.begin(), x.end(), r.outputs[1].f.begin() + 256));
}
