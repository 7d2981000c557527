// Running a batch image by image (cnnrt_session_options.batch_mode): taken
// only when no op mixes images, and then the same results as one batched
// run, outputs and extra outputs alike.
#include <doctest/doctest.h>
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>

#include "runtime/per_image.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

// Runs `bytes` on x (input "x") in `mode`, every check on the way.
RunResult run_in(const std::string& bytes, const std::vector<int64_t>& dims, const std::vector<float>& x,
                 cnnrt_batch_mode mode, std::vector<std::string> extra = {}, int threads = 1) {
  RunOptions o;
  o.threads = threads;
  o.batch_mode = mode;
  o.extra_outputs = std::move(extra);
  RunResult r = run_model(bytes, {HostTensor::floats("x", dims, x)}, o);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  return r;
}

// A small CNN touching every kind of op the per-image check reasons about:
// Conv with a folded BatchNormalization, a residual Add fused as a sum,
// MaxPool, Concat and Slice along channels, a Transpose keeping the batch
// first, Pad, ReduceMean, Reshape, Gemm, Softmax; and a batched MatMul.
std::string separable_cnn() {
  ModelBuilder mb(13);
  mb.input("x", {-1, 4, 8, 8});
  mb.initializer("w1", {8, 4, 3, 3}, random_floats(8 * 4 * 9, 1, -0.3f, 0.3f));
  mb.initializer("scale", {8}, random_floats(8, 2, 0.5f, 1.5f));
  mb.initializer("shift", {8}, random_floats(8, 3));
  mb.initializer("mean", {8}, random_floats(8, 4));
  mb.initializer("var", {8}, random_floats(8, 5, 0.5f, 2.0f));
  mb.initializer("w2", {8, 8, 1, 1}, random_floats(64, 6, -0.3f, 0.3f));
  mb.initializer("gain", {1, 8, 1, 1}, random_floats(8, 7));
  mb.initializer_i64("starts", {1}, {2}).initializer_i64("ends", {1}, {14}).initializer_i64("axes", {1}, {1});
  mb.initializer_i64("pads", {8}, {0, 1, 0, 0, 0, 0, 1, 0});
  mb.initializer_i64("shape", {2}, {0, -1});
  mb.initializer("wg", {60, 10}, random_floats(600, 8, -0.2f, 0.2f));
  mb.initializer("bg", {10}, random_floats(10, 9));
  mb.node("Conv", {"x", "w1"}, {"c1"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})});
  mb.node("BatchNormalization", {"c1", "scale", "shift", "mean", "var"}, {"bn"});
  mb.node("Relu", {"bn"}, {"r1"});
  mb.node("Conv", {"r1", "w2"}, {"c2"}).node("Add", {"c2", "r1"}, {"a1"});
  mb.node("MaxPool", {"a1"}, {"p1"}, {Attr("kernel_shape", std::vector<int64_t>{2, 2}),
                                      Attr("strides", std::vector<int64_t>{2, 2})});
  mb.node("Mul", {"p1", "gain"}, {"scaled"}).node("Concat", {"p1", "scaled"}, {"cat"}, {Attr("axis", 1)});
  mb.node("Slice", {"cat", "starts", "ends", "axes"}, {"sl"});
  mb.node("Transpose", {"sl"}, {"tr"}, {Attr("perm", std::vector<int64_t>{0, 2, 3, 1})});
  mb.node("Pad", {"tr", "pads"}, {"pd"});
  mb.node("ReduceMean", {"pd"}, {"rm"}, {Attr("axes", std::vector<int64_t>{1}), Attr("keepdims", 0)});
  mb.node("Reshape", {"rm", "shape"}, {"rs"});
  mb.node("Gemm", {"rs", "wg", "bg"}, {"g"}).node("Softmax", {"g"}, {"y"}, {Attr("axis", 1)});
  mb.node("Transpose", {"rm"}, {"tm"}, {Attr("perm", std::vector<int64_t>{0, 2, 1})}).node("MatMul", {"rm", "tm"}, {"mm"});
  mb.output("y").output("mm");
  return mb.bytes();
}

}  // namespace

TEST_CASE("per image: a batch runs image by image with the batch-1 plan and gives the batched results") {
  const std::string bytes = separable_cnn();
  // On 2 threads the images run two at a time, one per thread.
  for (int threads : {1, 2})
  for (int64_t n : {2, 3, 5}) {
    CAPTURE(threads);
    CAPTURE(n);
    const std::vector<int64_t> dims = {n, 4, 8, 8};
    const auto x = random_floats(static_cast<size_t>(n * 4 * 64), 10 + static_cast<uint32_t>(n));
    const RunResult whole = run_in(bytes, dims, x, CNNRT_BATCH_WHOLE, {"p1"}, threads);
    const RunResult split = run_in(bytes, dims, x, CNNRT_BATCH_PER_IMAGE, {"p1"}, threads);
    CHECK(whole.runs_per_batch == 1);
    CHECK(split.runs_per_batch == n);
    REQUIRE(split.outputs.size() == 3);
    const std::vector<std::vector<int64_t>> want_dims = {{n, 10}, {n, 5, 5}, {n, 8, 4, 4}};
    for (size_t i = 0; i < 3; ++i) {
      CAPTURE(whole.outputs[i].name);
      CHECK(split.outputs[i].name == whole.outputs[i].name);
      CHECK(split.outputs[i].dims == want_dims[i]);
      CHECK(whole.outputs[i].dims == want_dims[i]);
      CHECK(max_abs_diff(split.outputs[i].f, whole.outputs[i].f) < 1e-5);
    }
  }
}

TEST_CASE("per image: one session switches between batch sizes, each plan's results right") {
  const std::string bytes = separable_cnn();
  Handles h;
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &h.model) == CNNRT_OK);
  cnnrt_session_options o;
  cnnrt_session_options_init(&o);
  o.threads = 2;  // two lanes, each with its slice of the arena, which grows and shrinks between plans
  o.batch = 4;
  o.batch_mode = CNNRT_BATCH_PER_IMAGE;
  o.profile = 1;
  REQUIRE(cnnrt_session_create(h.model, &o, &h.session) == CNNRT_OK);
  int64_t runs = 0;
  REQUIRE(cnnrt_session_runs_per_batch(h.session, &runs) == CNNRT_OK);
  CHECK(runs == 4);  // the plan prepared at creation
  for (int64_t n : {4, 1, 3, 4}) {
    CAPTURE(n);
    const std::vector<int64_t> dims = {n, 4, 8, 8};
    const auto x = random_floats(static_cast<size_t>(n * 4 * 64), 20 + static_cast<uint32_t>(n));
    cnnrt_tensor in = {"x", CNNRT_FLOAT32, 4, dims.data(), const_cast<float*>(x.data()), x.size() * sizeof(float)};
    std::vector<float> y(static_cast<size_t>(n * 10));
    cnnrt_tensor out = {"y", CNNRT_UNDEFINED, 0, nullptr, y.data(), y.size() * sizeof(float)};
    REQUIRE(cnnrt_session_run(h.session, &in, 1, &out, 1) == CNNRT_OK);
    REQUIRE(out.rank == 2);
    CHECK(out.dims[0] == n);
    REQUIRE(cnnrt_session_runs_per_batch(h.session, &runs) == CNNRT_OK);
    CHECK(runs == n);
    const RunResult whole = run_in(bytes, dims, x, CNNRT_BATCH_WHOLE);
    CHECK(max_abs_diff(y, whole.outputs[0].f) < 1e-5);
  }
  // The batch-4 plan ran twice: every step of its batch-1 program 8 times,
  // over both lanes.
  cnnrt_profile_entry e;
  REQUIRE(cnnrt_session_profile_entry(h.session, 0, &e) == CNNRT_OK);
  CHECK(e.runs == 8);
}

TEST_CASE("per image: a run inside the caller's OpenMP region deals every image to the one thread it gets") {
  // Inside a parallel region a session's own region gets one thread (no
  // nesting), not the two lanes it was planned with: every image must still
  // be computed.
  const std::string bytes = separable_cnn();
  const int64_t n = 5;
  const std::vector<int64_t> dims = {n, 4, 8, 8};
  const auto x = random_floats(static_cast<size_t>(n * 4 * 64), 41);
  const RunResult whole = run_in(bytes, dims, x, CNNRT_BATCH_WHOLE);
  RunOptions two_lanes;
  two_lanes.threads = 2;
  two_lanes.batch_mode = CNNRT_BATCH_PER_IMAGE;
  std::vector<RunResult> split(2);
  int outer_threads = 0;
#pragma omp parallel num_threads(2)
  {
#pragma omp single
    outer_threads = omp_get_num_threads();
    split[static_cast<size_t>(omp_get_thread_num())] = run_model(bytes, {HostTensor::floats("x", dims, x)}, two_lanes);
  }
  CHECK(outer_threads == 2);
  for (const RunResult& r : split) {
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.runs_per_batch == n);
    CHECK(max_abs_diff(r.outputs[0].f, whole.outputs[0].f) < 1e-5);
  }
}

TEST_CASE("per image: a model that mixes images runs its batch whole") {
  struct Mixer {
    const char* what;
    std::vector<int64_t> declared;  // the input's declared dims (-1: free)
    std::function<void(ModelBuilder&)> build;  // "x" -> "y"
  };
  const int64_t n = 4;  // square [n, 4] inputs: ops that swap the batch with another dim keep the shape
  const std::vector<Mixer> cases = {
      {"Softmax over axis 0", {-1, 4}, [](ModelBuilder& mb) { mb.node("Softmax", {"x"}, {"y"}, {Attr("axis", 0)}); }},
      {"ArgMax over axis 0", {-1, 4}, [](ModelBuilder& mb) { mb.node("ArgMax", {"x"}, {"y"}, {Attr("axis", 0)}); }},
      {"Concat along the batch", {-1, 4},
       [](ModelBuilder& mb) { mb.node("Concat", {"x", "x"}, {"y"}, {Attr("axis", 0)}); }},
      {"Transpose of the batch", {-1, 4}, [](ModelBuilder& mb) { mb.node("Transpose", {"x"}, {"y"}); }},
      {"a constant varying along the batch", {-1, 4},
       [](ModelBuilder& mb) { mb.initializer("c", {4, 4}, random_floats(16, 1)).node("Add", {"x", "c"}, {"y"}); }},
      {"ReduceSum over the batch", {-1, 4},
       [](ModelBuilder& mb) {
         mb.node("ReduceSum", {"x", "ax"}, {"s"}).initializer_i64("ax", {1}, {0}).node("Sub", {"x", "s"}, {"y"});
       }},
      {"ReduceMean over every axis", {-1, 4},
       [](ModelBuilder& mb) { mb.node("ReduceMean", {"x"}, {"m"}).node("Sub", {"x", "m"}, {"y"}); }},
      {"MatMul by a computed matrix", {-1, 4},
       [](ModelBuilder& mb) { mb.node("Relu", {"x"}, {"r"}).node("MatMul", {"x", "r"}, {"y"}); }},
      {"MatMul broadcasting a per-image input", {-1, 4},
       [](ModelBuilder& mb) {
         mb.initializer("w", {3, 4, 4}, random_floats(48, 2)).node("MatMul", {"w", "x"}, {"y"});
       }},
      {"Slice reversing the batch", {-1, 4},
       [](ModelBuilder& mb) {
         mb.initializer_i64("st", {1}, {-1}).initializer_i64("en", {1}, {INT64_MIN}).initializer_i64("ax", {1}, {0});
         mb.initializer_i64("sp", {1}, {-1}).node("Slice", {"x", "st", "en", "ax", "sp"}, {"y"});
       }},
      {"Slice with default axes", {-1, 4},
       [](ModelBuilder& mb) {
         mb.initializer_i64("st", {2}, {0, 1}).initializer_i64("en", {2}, {100, 3});
         mb.node("Slice", {"x", "st", "en"}, {"y"});
       }},
      {"Gemm with a bias varying along the batch", {-1, 4},
       [](ModelBuilder& mb) {
         mb.initializer("w", {4, 4}, random_floats(16, 6)).initializer("b", {4, 4}, random_floats(16, 7));
         mb.node("Gemm", {"x", "w", "b"}, {"y"});
       }},
      {"MatMul by a constant stacked per image", {-1, 4},
       [](ModelBuilder& mb) {
         mb.initializer_i64("s", {3}, {0, 1, 4}).node("Reshape", {"x", "s"}, {"x3"});
         mb.initializer("w", {4, 4, 2}, random_floats(32, 8)).node("MatMul", {"x3", "w"}, {"y"});
       }},
      {"Gemm with A transposed", {-1, 4},
       [](ModelBuilder& mb) {
         mb.initializer("w", {4, 4}, random_floats(16, 3)).node("Gemm", {"x", "w"}, {"y"}, {Attr("transA", 1)});
       }},
      {"Pad shifting the batch", {-1, 4},
       [](ModelBuilder& mb) { mb.initializer_i64("p", {4}, {1, 0, -1, 0}).node("Pad", {"x", "p"}, {"y"}); }},
      {"Gather along the batch", {-1, 4},
       [](ModelBuilder& mb) { mb.initializer_i64("i", {4}, {3, 2, 1, 0}).node("Gather", {"x", "i"}, {"y"}); }},
      {"LayerNormalization over the batch", {-1, 4},
       [](ModelBuilder& mb) {
         mb.initializer("g", {4, 4}, random_floats(16, 4)).node("LayerNormalization", {"x", "g"}, {"y"},
                                                                 {Attr("axis", 0)});
       }},
      {"Flatten from axis 0", {-1, 4}, [](ModelBuilder& mb) { mb.node("Flatten", {"x"}, {"y"}, {Attr("axis", 0)}); }},
      {"a fixed batch", {4, 4}, [](ModelBuilder& mb) { mb.node("Relu", {"x"}, {"y"}); }},
  };
  const std::vector<int64_t> dims = {n, 4};
  const auto x = random_floats(static_cast<size_t>(n * 4), 5);
  for (const Mixer& c : cases) {
    CAPTURE(c.what);
    ModelBuilder mb(18);
    mb.input("x", c.declared);
    c.build(mb);
    mb.output("y");
    const std::string bytes = mb.bytes();
    const RunResult whole = run_in(bytes, dims, x, CNNRT_BATCH_WHOLE);
    const RunResult split = run_in(bytes, dims, x, CNNRT_BATCH_PER_IMAGE);
    CHECK(split.runs_per_batch == 1);
    REQUIRE(split.outputs.size() == 1);
    CHECK(split.outputs[0].dims == whole.outputs[0].dims);
    CHECK(split.outputs[0].f == whole.outputs[0].f);
    CHECK(split.outputs[0].i64 == whole.outputs[0].i64);
  }
}

TEST_CASE("per image: auto decides by the traffic estimate") {
  const size_t cache = size_t{32} << 20;
  // Figures counted over the whole graph at batch 8: MobileNet V2 writes 214 MB of
  // activations, 4.8 MB for its largest tensor of one image, and reads 14 MB
  // of weights.
  cnnrt::BatchTraffic t;
  t.activation_bytes = 214e6;
  t.largest_image_bytes = 4.8e6;
  t.weight_bytes = 14e6;
  CHECK(cnnrt::per_image_pays(t, 8, cache));
  CHECK_FALSE(cnnrt::per_image_pays(t, 1, cache));
  CHECK_FALSE(cnnrt::per_image_pays(t, 3, cache));  // 3 images' largest layer fits in 32 MiB
  CHECK_FALSE(cnnrt::per_image_pays(t, 8, size_t{128} << 20));
  // ResNet-18: 86 MB of activations, but 7 x 47 MB of weights re-read.
  t.activation_bytes = 86e6;
  t.largest_image_bytes = 3.2e6;
  t.weight_bytes = 46.7e6;
  CHECK_FALSE(cnnrt::per_image_pays(t, 8, cache));
  // MobileNet V3 small: its largest layer at batch 8 (0.9 MB per image) fits.
  t.activation_bytes = 54.6e6;
  t.largest_image_bytes = 0.9e6;
  t.weight_bytes = 1e6;
  CHECK_FALSE(cnnrt::per_image_pays(t, 8, cache));
  CHECK(cnnrt::per_image_pays(t, 32, cache));
  // On two threads its images run at once, one per thread, which pays even
  // in cache; not the weight-bound ResNet-18's, nor a LeNet's (13 KB of
  // activations per image: too little work for the lanes).
  CHECK(cnnrt::per_image_pays(t, 8, cache, 2));
  t.activation_bytes = 8 * 13e3;
  t.largest_image_bytes = 5e3;
  t.weight_bytes = 0.2e3;
  CHECK_FALSE(cnnrt::per_image_pays(t, 8, cache, 2));
  t.activation_bytes = 86e6;
  t.largest_image_bytes = 3.2e6;
  t.weight_bytes = 46.7e6;
  CHECK_FALSE(cnnrt::per_image_pays(t, 8, cache, 2));
}

TEST_CASE("per image: auto splits a memory-bound batch, on one thread or several") {
  // One image's tensor a quarter of the cache: 8 images' input and output
  // are 4x the cache, and there are no weights to re-read.
  const int64_t side = 128;
  const int64_t channels =
      std::max<int64_t>(1, static_cast<int64_t>(cnnrt::last_level_cache_bytes() / 4 / (side * side * 4)));
  ModelBuilder mb(13);
  mb.input("x", {-1, channels, side, side}).node("Relu", {"x"}, {"y"}).output("y");
  const std::string bytes = mb.bytes();
  const std::vector<int64_t> dims = {8, channels, side, side};
  const auto x = random_floats(static_cast<size_t>(8 * channels * side * side), 31);
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    RunOptions o;
    o.threads = threads;
    const RunResult r = run_model(bytes, {HostTensor::floats("x", dims, x)}, o);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.runs_per_batch == 8);
    REQUIRE(r.outputs.size() == 1);
    CHECK(r.outputs[0].dims == dims);
    size_t wrong = 0;
    for (size_t i = 0; i < x.size(); ++i) wrong += r.outputs[0].f[i] != std::max(x[i], 0.0f);
    CHECK(wrong == 0);
  }
}

TEST_CASE("per image: C API errors") {
  ModelBuilder mb(13);
  mb.input("x", {-1, 4}).node("Relu", {"x"}, {"y"}).output("y");
  const std::string bytes = mb.bytes();
  Handles h;
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &h.model) == CNNRT_OK);
  cnnrt_session_options o;
  cnnrt_session_options_init(&o);
  const int bogus = 9;
  std::memcpy(&o.batch_mode, &bogus, sizeof bogus);
  CHECK(cnnrt_session_create(h.model, &o, &h.session) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) == "cnnrt_session_create: unknown batch_mode 9");
  cnnrt_session_options_init(&o);
  REQUIRE(cnnrt_session_create(h.model, &o, &h.session) == CNNRT_OK);
  CHECK(cnnrt_session_runs_per_batch(h.session, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) == "cnnrt_session_runs_per_batch: runs is NULL");
  int64_t runs = 0;
  CHECK(cnnrt_session_runs_per_batch(nullptr, &runs) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_runs_per_batch(h.session, &runs) == CNNRT_OK);
  CHECK(runs == 1);
}

namespace {

// Large activations and no weights, then a classifier whose weights are
// large against its activations, ending in a Softmax over the batch (which
// mixes images): auto runs the layers up to the classifier image by image
// and the classifier and Softmax as one batch. One image's first tensor is
// a quarter of the last-level cache, so 8 images' do not fit in it.
struct HeadThenClassifier {
  int64_t channels = 0, side = 128, classes = 1000;
  std::string bytes;
  HeadThenClassifier() {
    channels = std::max<int64_t>(8, static_cast<int64_t>(cnnrt::last_level_cache_bytes() / 4 / (side * side * 4)));
    ModelBuilder mb(13);
    mb.input("x", {-1, channels, side, side});
    mb.initializer("w", {channels, classes}, random_floats(static_cast<size_t>(channels * classes), 51, -0.1f, 0.1f));
    mb.initializer("b", {classes}, random_floats(static_cast<size_t>(classes), 52));
    mb.node("Relu", {"x"}, {"r"});
    mb.node("MaxPool", {"r"}, {"p"}, {Attr("kernel_shape", std::vector<int64_t>{4, 4}),
                                      Attr("strides", std::vector<int64_t>{4, 4})});
    mb.node("GlobalAveragePool", {"p"}, {"g"}).node("Flatten", {"g"}, {"f"});
    mb.node("Gemm", {"f", "w", "b"}, {"logits"}).node("Softmax", {"logits"}, {"y"}, {Attr("axis", 0)});
    mb.output("y");
    bytes = mb.bytes();
  }
  std::vector<int64_t> dims(int64_t n) const { return {n, channels, side, side}; }
};

}  // namespace

TEST_CASE("per image: auto runs the first layers image by image and the classifier as one batch") {
  const HeadThenClassifier m;
  const int64_t n = 8;
  const auto x = random_floats(static_cast<size_t>(n * m.channels * m.side * m.side), 53);
  const RunResult whole = run_in(m.bytes, m.dims(n), x, CNNRT_BATCH_WHOLE);
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    Handles h;
    REQUIRE(cnnrt_model_load_memory(m.bytes.data(), m.bytes.size(), &h.model) == CNNRT_OK);
    cnnrt_session_options o;
    cnnrt_session_options_init(&o);
    o.threads = threads;
    o.profile = 1;
    REQUIRE(cnnrt_session_create(h.model, &o, &h.session) == CNNRT_OK);
    const std::vector<int64_t> dims = m.dims(n);
    cnnrt_tensor in = {"x", CNNRT_FLOAT32, 4, dims.data(), const_cast<float*>(x.data()), x.size() * sizeof(float)};
    std::vector<float> y(static_cast<size_t>(n * m.classes));
    cnnrt_tensor out = {"y", CNNRT_UNDEFINED, 0, nullptr, y.data(), y.size() * sizeof(float)};
    for (int run = 0; run < 2; ++run) REQUIRE(cnnrt_session_run(h.session, &in, 1, &out, 1) == CNNRT_OK);
    REQUIRE(out.rank == 2);
    CHECK(out.dims[0] == n);
    CHECK(out.dims[1] == m.classes);
    CHECK(max_abs_diff(y, whole.outputs[0].f) < 1e-6);

    int64_t runs = 0;
    REQUIRE(cnnrt_session_runs_per_batch(h.session, &runs) == CNNRT_OK);
    CHECK(runs == n);
    // The profile lists the image-by-image steps (batch-1 shapes, run
    // once per image) first, then the batched ones.
    size_t count = 0;
    REQUIRE(cnnrt_session_profile_count(h.session, &count) == CNNRT_OK);
    size_t image_steps = 0;
    bool gemm_batched = false;
    for (size_t i = 0; i < count; ++i) {
      CAPTURE(i);
      int64_t step_runs = 0;
      REQUIRE(cnnrt_session_step_runs_per_batch(h.session, i, &step_runs) == CNNRT_OK);
      cnnrt_profile_entry e;
      REQUIRE(cnnrt_session_profile_entry(h.session, i, &e) == CNNRT_OK);
      CAPTURE(e.op);
      CHECK(e.runs == 2 * step_runs);
      if (step_runs == n) {
        CHECK(i == image_steps);  // a prefix
        ++image_steps;
        CHECK(std::string(e.shapes).rfind("[1,", 0) == 0);
      } else {
        CHECK(step_runs == 1);
      }
      if (std::string(e.op) == "Gemm") gemm_batched = step_runs == 1;
    }
    CHECK(image_steps >= 2);  // Relu and MaxPool at least
    CHECK(image_steps < count);
    CHECK(gemm_batched);
    int64_t past_end = 0;
    CHECK(cnnrt_session_step_runs_per_batch(h.session, count, &past_end) == CNNRT_INVALID_ARGUMENT);
    CHECK(std::string(cnnrt_last_error()) ==
          "cnnrt_session_step_runs_per_batch: index " + std::to_string(count) + " is out of range");
    CHECK(cnnrt_session_step_runs_per_batch(h.session, 0, nullptr) == CNNRT_INVALID_ARGUMENT);
    CHECK(std::string(cnnrt_last_error()) == "cnnrt_session_step_runs_per_batch: runs is NULL");

    // The memory plan covers both parts, which share the arena.
    cnnrt_memory_plan plan;
    REQUIRE(cnnrt_session_memory_plan(h.session, &plan) == CNNRT_OK);
    CHECK(plan.step_count == count);
    CHECK(plan.arena_bytes >= plan.lower_bound_bytes);
    // The head holds one image's tensors, not the batch's.
    CHECK(plan.arena_bytes < static_cast<size_t>(n) * static_cast<size_t>(m.channels * m.side * m.side) * 4 / 2);
    const char* text = nullptr;
    REQUIRE(cnnrt_session_plan_text(h.session, &text) == CNNRT_OK);
    CHECK(std::string(text).find("then the batch of 8 as one, in the same arena:") != std::string::npos);

    // A batch of 1 runs as one; back at 8 the split plan is reused.
    const std::vector<int64_t> one = m.dims(1);
    cnnrt_tensor in1 = {"x", CNNRT_FLOAT32, 4, one.data(), const_cast<float*>(x.data()),
                        x.size() / static_cast<size_t>(n) * sizeof(float)};
    cnnrt_tensor out1 = {"y", CNNRT_UNDEFINED, 0, nullptr, nullptr, 0};
    REQUIRE(cnnrt_session_run(h.session, &in1, 1, &out1, 1) == CNNRT_OK);
    REQUIRE(cnnrt_session_runs_per_batch(h.session, &runs) == CNNRT_OK);
    CHECK(runs == 1);
    std::fill(y.begin(), y.end(), 0.0f);
    REQUIRE(cnnrt_session_run(h.session, &in, 1, &out, 1) == CNNRT_OK);
    CHECK(max_abs_diff(y, whole.outputs[0].f) < 1e-6);
  }
}

TEST_CASE("per image: a head tensor the caller reads ends the head before it; a forced mode keeps such a batch whole") {
  const HeadThenClassifier m;
  const int64_t n = 8;
  const auto x = random_floats(static_cast<size_t>(n * m.channels * m.side * m.side), 54);
  const RunResult whole = run_in(m.bytes, m.dims(n), x, CNNRT_BATCH_WHOLE, {"p"});
  // "p" cannot cross to the batched part beside a later head tensor, nor
  // be the one it hands over (the caller reads it): the head is the Relu.
  RunOptions o;
  o.extra_outputs = {"p"};
  o.profile = true;
  const RunResult with_extra = run_model(m.bytes, {HostTensor::floats("x", m.dims(n), x)}, o);
  REQUIRE_MESSAGE(with_extra.status == CNNRT_OK, with_extra.error);
  CHECK(with_extra.runs_per_batch == n);
  REQUIRE(with_extra.step_ops.size() >= 2);
  REQUIRE(with_extra.step_runs.size() == with_extra.step_ops.size());
  CHECK(with_extra.step_ops[0] == "Relu");
  CHECK(with_extra.step_runs[0] == n);
  for (size_t i = 1; i < with_extra.step_runs.size(); ++i) CHECK(with_extra.step_runs[i] == 1);
  // per_image runs the whole graph image by image or not at all, and the
  // Softmax over the batch mixes images.
  const RunResult forced = run_in(m.bytes, m.dims(n), x, CNNRT_BATCH_PER_IMAGE, {"p"});
  CHECK(forced.runs_per_batch == 1);
  REQUIRE(with_extra.outputs.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(max_abs_diff(with_extra.outputs[i].f, whole.outputs[i].f) < 1e-6);
    CHECK(max_abs_diff(forced.outputs[i].f, whole.outputs[i].f) < 1e-6);
  }
}
