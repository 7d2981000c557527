// The C API against callers that get things wrong: NULL everywhere, wrong
// names, ranks, shapes, dtypes and sizes, buffers too small, handles used
// in the wrong order or freed twice. Each must give an error naming the
// problem (or be harmless), and the session must stay usable afterwards.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "cnnrt.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "support/tiny_cnn.h"

using namespace cnnrt::test;

namespace {

struct Fixture {
  cnnrt_model* model = nullptr;
  cnnrt_session* session = nullptr;
  std::vector<float> image = random_floats(TinyCnn::image_elements(), 3);
  std::vector<int64_t> dims = {1, TinyCnn::kChannels, TinyCnn::kSize, TinyCnn::kSize};

  Fixture() {
    const std::string bytes = TinyCnn::bytes();
    REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &model) == CNNRT_OK);
    cnnrt_session_options o;
    cnnrt_session_options_init(&o);
    o.threads = 1;
    REQUIRE(cnnrt_session_create(model, &o, &session) == CNNRT_OK);
  }
  ~Fixture() {
    cnnrt_session_destroy(&session);
    cnnrt_model_destroy(&model);
  }
  cnnrt_tensor input() {
    return {"image", CNNRT_FLOAT32, dims.size(), dims.data(), image.data(), image.size() * sizeof(float)};
  }
  // Runs with `in` and expects `status` and the exact message.
  void expect_run(cnnrt_tensor in, cnnrt_status status, const std::string& message) {
    CHECK(cnnrt_session_run(session, &in, 1, nullptr, 0) == status);
    CHECK(std::string(cnnrt_last_error()) == message);
  }
  std::vector<float> run_ok() {
    cnnrt_tensor in = input();
    std::vector<float> y(TinyCnn::kClasses);
    cnnrt_tensor out = {nullptr, CNNRT_UNDEFINED, 0, nullptr, y.data(), y.size() * sizeof(float)};
    REQUIRE(cnnrt_session_run(session, &in, 1, &out, 1) == CNNRT_OK);
    return y;
  }
};

std::string last_error() { return cnnrt_last_error(); }

}  // namespace

TEST_CASE("hostile callers: NULL handles and out-pointers") {
  Fixture f;
  size_t n = 0;
  cnnrt_tensor_info info;
  cnnrt_tensor t;
  const char* s = nullptr;
  cnnrt_model* m = nullptr;

  CHECK(cnnrt_model_load_file(nullptr, &m) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_model_load_file: path is NULL");
  CHECK(cnnrt_model_load_file("x.onnx", nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_model_load_file: out is NULL");
  CHECK(cnnrt_model_load_memory(nullptr, 10, &m) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_model_load_memory: data is NULL");
  CHECK(cnnrt_model_load_memory("", 0, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(m == nullptr);

  CHECK(cnnrt_model_input_count(nullptr, &n) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_model_input_count: model is NULL or not a live handle");
  CHECK(cnnrt_model_input_count(f.model, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_model_input_count: count is NULL");
  CHECK(cnnrt_model_output_count(nullptr, &n) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_model_output_count(f.model, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_model_input_info(nullptr, 0, &info) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_model_input_info(f.model, 0, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_model_input_info: info is NULL");
  CHECK(cnnrt_model_input_info(f.model, 1, &info) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_model_input_info: index 1 is out of range (count 1)");
  CHECK(cnnrt_model_output_info(f.model, 5, &info) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_model_output_info: index 5 is out of range (count 1)");
  CHECK(cnnrt_model_tensor_count(nullptr, &n) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_model_tensor_count(f.model, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_model_tensor_info(f.model, 1000, &info) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_model_metadata(nullptr, "k", &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_model_metadata(f.model, nullptr, &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_model_metadata: key or value is NULL");
  CHECK(cnnrt_model_metadata(f.model, "k", nullptr) == CNNRT_INVALID_ARGUMENT);

  cnnrt_session* sess = nullptr;
  CHECK(cnnrt_session_create(nullptr, nullptr, &sess) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_create: model is NULL or not a live handle");
  CHECK(cnnrt_session_create(f.model, nullptr, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_create: out is NULL");
  CHECK(sess == nullptr);

  cnnrt_tensor in = f.input();
  CHECK(cnnrt_session_run(nullptr, &in, 1, nullptr, 0) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_run: session is NULL or not a live handle");
  CHECK(cnnrt_session_run(f.session, nullptr, 1, nullptr, 0) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_run: inputs is NULL");
  CHECK(cnnrt_session_run(f.session, &in, 1, nullptr, 1) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_run: outputs is NULL");
  CHECK(cnnrt_session_output_count(nullptr, &n) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_output_count(f.session, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_output(nullptr, 0, &t) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_output(f.session, 0, nullptr) == CNNRT_INVALID_ARGUMENT);
  cnnrt_memory_plan plan;
  CHECK(cnnrt_session_memory_plan(nullptr, &plan) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_memory_plan(f.session, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_plan_text(nullptr, &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_plan_text(f.session, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_profile_count(nullptr, &n) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_profile_count(f.session, nullptr) == CNNRT_INVALID_ARGUMENT);
  cnnrt_profile_entry e;
  CHECK(cnnrt_session_profile_entry(nullptr, 0, &e) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_profile_entry(f.session, 0, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_profile_entry(f.session, 100000, &e) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_profile_entry: index 100000 is out of range");

  cnnrt_blob* b = nullptr;
  CHECK(cnnrt_blob_read_file(nullptr, &b) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_blob_read_file("x.pb", nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_blob_tensor(nullptr, &t) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_blob_tensor: blob is NULL or not a live handle");

  // The void functions accept NULL.
  cnnrt_model_destroy(nullptr);
  cnnrt_session_destroy(nullptr);
  cnnrt_blob_destroy(nullptr);
  cnnrt_session_options_init(nullptr);
  cnnrt_model* null_model = nullptr;
  cnnrt_model_destroy(&null_model);

  // The session is still fine.
  CHECK(f.run_ok().size() == TinyCnn::kClasses);
}

TEST_CASE("hostile callers: status names and the last error are never NULL") {
  CHECK(std::string(cnnrt_status_name(CNNRT_OUT_OF_MEMORY)) == "CNNRT_OUT_OF_MEMORY");
  cnnrt_status bogus;
  const int value = 12345;
  std::memcpy(&bogus, &value, sizeof bogus);  // what a C caller may pass
  CHECK(std::string(cnnrt_status_name(bogus)) == "CNNRT_UNKNOWN_STATUS");
  CHECK(cnnrt_last_error() != nullptr);
  CHECK(cnnrt_version() != nullptr);
}

TEST_CASE("hostile callers: wrong inputs") {
  Fixture f;
  SUBCASE("name") {
    cnnrt_tensor in = f.input();
    in.name = "nope";
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "cnnrt_session_run: the model has no input named 'nope'");
  }
  SUBCASE("count") {
    cnnrt_tensor in[2] = {f.input(), f.input()};
    CHECK(cnnrt_session_run(f.session, in, 2, nullptr, 0) == CNNRT_INVALID_ARGUMENT);
    CHECK(last_error() == "cnnrt_session_run: the model has 1 inputs, got 2");
    CHECK(cnnrt_session_run(f.session, in, 0, nullptr, 0) == CNNRT_INVALID_ARGUMENT);
    CHECK(last_error() == "cnnrt_session_run: the model has 1 inputs, got 0");
  }
  SUBCASE("rank") {
    cnnrt_tensor in = f.input();
    in.rank = 3;
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "input 'image' must have rank 4 (shape [1,3,16,16]), got shape [1,3,16]");
  }
  SUBCASE("absurd rank") {
    cnnrt_tensor in = f.input();
    in.rank = 1000;
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "cnnrt_session_run: input 'image' rank 1000 is absurd");
  }
  SUBCASE("dims NULL") {
    cnnrt_tensor in = f.input();
    in.dims = nullptr;
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "cnnrt_session_run: input 'image' has rank 4 but dims is NULL");
  }
  SUBCASE("shape") {
    std::vector<int64_t> d = {1, 3, 16, 17};
    cnnrt_tensor in = f.input();
    in.dims = d.data();
    in.size_bytes = 1 << 20;
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "input 'image' must have shape [1,3,16,16], got [1,3,16,17]");
  }
  SUBCASE("negative and overflowing dims") {
    std::vector<int64_t> d = {1, 3, -16, 16};
    cnnrt_tensor in = f.input();
    in.dims = d.data();
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "input 'image' has negative dimension in [1,3,?,16]");
    d = {int64_t{1} << 40, int64_t{1} << 40, 16, 16};
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "input 'image' must have shape [1,3,16,16], got [1099511627776,1099511627776,16,16]");
  }
  SUBCASE("dtype") {
    cnnrt_tensor in = f.input();
    in.dtype = CNNRT_INT64;
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "input 'image' must be float, got int64");
    const int bogus = 999;
    std::memcpy(&in.dtype, &bogus, sizeof bogus);
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "input 'image' must be float, got type#999");
  }
  SUBCASE("size_bytes too small") {
    cnnrt_tensor in = f.input();
    in.size_bytes = 100;
    f.expect_run(in, CNNRT_INVALID_ARGUMENT,
                 "cnnrt_session_run: input 'image' has size_bytes 100, but shape [1,3,16,16] needs 3072");
  }
  SUBCASE("data NULL") {
    cnnrt_tensor in = f.input();
    in.data = nullptr;
    f.expect_run(in, CNNRT_INVALID_ARGUMENT, "input 'image' data is NULL");
  }
  // Whatever went wrong, the next correct run works.
  CHECK(f.run_ok().size() == TinyCnn::kClasses);
}

TEST_CASE("hostile callers: the same input twice") {
  ModelBuilder b;
  b.input("a", {2, 3}).input("b", {3, 2});
  b.node("Gemm", {"a", "b"}, {"y"}).output("y");
  const std::string bytes = b.bytes();
  cnnrt_model* m = nullptr;
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &m) == CNNRT_OK);
  cnnrt_session* s = nullptr;
  REQUIRE(cnnrt_session_create(m, nullptr, &s) == CNNRT_OK);
  std::vector<float> data(6, 1.0f);
  const int64_t da[2] = {2, 3};
  cnnrt_tensor in[2] = {{"a", CNNRT_FLOAT32, 2, da, data.data(), 24}, {"a", CNNRT_FLOAT32, 2, da, data.data(), 24}};
  CHECK(cnnrt_session_run(s, in, 2, nullptr, 0) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_run: input 'a' is given twice");
  cnnrt_session_destroy(&s);
  cnnrt_model_destroy(&m);
}

TEST_CASE("hostile callers: outputs") {
  Fixture f;
  cnnrt_tensor in = f.input();
  SUBCASE("buffer too small") {
    std::vector<float> y(TinyCnn::kClasses);
    cnnrt_tensor out = {nullptr, CNNRT_UNDEFINED, 0, nullptr, y.data(), y.size() * sizeof(float) - 1};
    CHECK(cnnrt_session_run(f.session, &in, 1, &out, 1) == CNNRT_INVALID_ARGUMENT);
    CHECK(last_error() == "cnnrt_session_run: output 'probs' needs 40 bytes, the buffer has 39");
  }
  SUBCASE("unknown name") {
    cnnrt_tensor out = {"nope", CNNRT_UNDEFINED, 0, nullptr, nullptr, 0};
    CHECK(cnnrt_session_run(f.session, &in, 1, &out, 1) == CNNRT_INVALID_ARGUMENT);
    CHECK(last_error() == "cnnrt_session_run: outputs[0] names 'nope', which is not one of the 1 results (model outputs and extra outputs)");
  }
  SUBCASE("more than there are") {
    cnnrt_tensor out[3] = {};
    CHECK(cnnrt_session_run(f.session, &in, 1, out, 3) == CNNRT_INVALID_ARGUMENT);
    CHECK(last_error() == "cnnrt_session_run: asked for 3 outputs, the session produces 1");
  }
  SUBCASE("read before any run, out of range, after a failed run") {
    cnnrt_tensor t;
    CHECK(cnnrt_session_output(f.session, 0, &t) == CNNRT_INVALID_ARGUMENT);
    CHECK(last_error() == "cnnrt_session_output: the session has no successful run yet");
    f.run_ok();
    CHECK(cnnrt_session_output(f.session, 1, &t) == CNNRT_INVALID_ARGUMENT);
    CHECK(last_error() == "cnnrt_session_output: index 1 is out of range (count 1)");
    CHECK(cnnrt_session_output(f.session, 0, &t) == CNNRT_OK);
    cnnrt_tensor bad = f.input();
    bad.size_bytes = 0;
    CHECK(cnnrt_session_run(f.session, &bad, 1, nullptr, 0) == CNNRT_INVALID_ARGUMENT);
    CHECK(cnnrt_session_output(f.session, 0, &t) == CNNRT_INVALID_ARGUMENT);
    CHECK(last_error() == "cnnrt_session_output: the session has no successful run yet");
  }
  CHECK(f.run_ok().size() == TinyCnn::kClasses);
}

TEST_CASE("hostile callers: bad session options") {
  Fixture f;
  cnnrt_session* s = nullptr;
  cnnrt_session_options o;
  cnnrt_session_options_init(&o);
  o.struct_size = 8;
  CHECK(cnnrt_session_create(f.model, &o, &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_create: options->struct_size 8 is too small (use cnnrt_session_options_init)");
  cnnrt_session_options_init(&o);
  o.threads = -2;
  CHECK(cnnrt_session_create(f.model, &o, &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_create: threads must be >= 0, got -2");
  cnnrt_session_options_init(&o);
  const int bogus = 77;
  std::memcpy(&o.conv_algorithm, &bogus, sizeof bogus);
  CHECK(cnnrt_session_create(f.model, &o, &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_create: unknown conv_algorithm 77");
  cnnrt_session_options_init(&o);
  o.extra_output_count = 2;
  CHECK(cnnrt_session_create(f.model, &o, &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_create: extra_outputs is NULL");
  const char* names[2] = {"c1", nullptr};
  o.extra_outputs = names;
  CHECK(cnnrt_session_create(f.model, &o, &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "cnnrt_session_create: extra_outputs[1] is NULL");
  names[1] = "not_a_tensor";
  CHECK(cnnrt_session_create(f.model, &o, &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(last_error() == "no tensor named 'not_a_tensor' is computed by this model");
  for (int64_t batch : {int64_t{-1}, int64_t{65537}}) {
    cnnrt_session_options_init(&o);
    o.batch = batch;
    CHECK(cnnrt_session_create(f.model, &o, &s) == CNNRT_INVALID_ARGUMENT);
    CHECK(last_error() == "cnnrt_session_create: batch must be 0..65536 (0: 1), got " + std::to_string(batch));
  }
  CHECK(s == nullptr);
}

TEST_CASE("session options: batch compiles that batch size at creation") {
  const std::string bytes = TinyCnn::bytes(-1);  // a free batch dimension
  cnnrt_model* m = nullptr;
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &m) == CNNRT_OK);
  // The memory plan text (every buffer with its size) of a session created
  // with `batch`, after a run at run_batch (0: no run), and its results.
  auto plan_of = [&](int64_t batch, int64_t run_batch) {
    cnnrt_session_options o;
    cnnrt_session_options_init(&o);
    o.threads = 1;
    o.batch = batch;
    cnnrt_session* s = nullptr;
    REQUIRE(cnnrt_session_create(m, &o, &s) == CNNRT_OK);
    std::vector<float> y;
    if (run_batch > 0) {
      const std::vector<float> x = random_floats(run_batch * TinyCnn::image_elements(), 9);
      const int64_t d[4] = {run_batch, TinyCnn::kChannels, TinyCnn::kSize, TinyCnn::kSize};
      cnnrt_tensor in = {"image", CNNRT_FLOAT32, 4, d, const_cast<float*>(x.data()), x.size() * sizeof(float)};
      y.resize(run_batch * TinyCnn::kClasses);
      cnnrt_tensor out = {nullptr, CNNRT_UNDEFINED, 0, nullptr, y.data(), y.size() * sizeof(float)};
      REQUIRE(cnnrt_session_run(s, &in, 1, &out, 1) == CNNRT_OK);
    }
    const char* text = nullptr;
    REQUIRE(cnnrt_session_plan_text(s, &text) == CNNRT_OK);
    const std::string plan = text;
    cnnrt_session_destroy(&s);
    return std::make_pair(plan, y);
  };
  // Before any run, the plan is batch 5's (the one a default session makes
  // on its first batch-5 run), not batch 1's; runs give the same results.
  const auto batch1 = plan_of(0, 0), batch5 = plan_of(5, 0), run5 = plan_of(0, 5);
  CHECK(batch5.first == run5.first);
  CHECK(batch5.first != batch1.first);
  CHECK(plan_of(1, 0).first == batch1.first);
  CHECK(plan_of(5, 5).second == run5.second);
  cnnrt_model_destroy(&m);
}

TEST_CASE("hostile callers: a session outlives its model handle") {
  Fixture f;
  const std::vector<float> before = f.run_ok();
  cnnrt_model_destroy(&f.model);
  CHECK(f.model == nullptr);
  // The session holds its own reference to the model's data.
  const std::vector<float> after = f.run_ok();
  CHECK(after == before);
  size_t n = 0;
  CHECK(cnnrt_session_output_count(f.session, &n) == CNNRT_OK);
  CHECK(n == 1);
  // A new input shape still compiles (it needs the graph and the weights).
  cnnrt_memory_plan plan;
  CHECK(cnnrt_session_memory_plan(f.session, &plan) == CNNRT_OK);
}

TEST_CASE("hostile callers: a symbolic-batch session outlives its model and recompiles") {
  const std::string bytes = TinyCnn::bytes(-1);
  cnnrt_model* m = nullptr;
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &m) == CNNRT_OK);
  cnnrt_session* s = nullptr;
  REQUIRE(cnnrt_session_create(m, nullptr, &s) == CNNRT_OK);
  cnnrt_model_destroy(&m);
  const std::vector<float> x = random_floats(3 * TinyCnn::image_elements(), 9);
  const int64_t d[4] = {3, TinyCnn::kChannels, TinyCnn::kSize, TinyCnn::kSize};
  cnnrt_tensor in = {"image", CNNRT_FLOAT32, 4, d, const_cast<float*>(x.data()), x.size() * sizeof(float)};
  cnnrt_tensor out = {};
  REQUIRE(cnnrt_session_run(s, &in, 1, &out, 1) == CNNRT_OK);
  CHECK(out.rank == 2);
  CHECK(out.dims[0] == 3);
  cnnrt_session_destroy(&s);
}

TEST_CASE("hostile callers: destroy through the pointer-to-handle twice") {
  const std::string bytes = TinyCnn::bytes();
  cnnrt_model* m = nullptr;
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &m) == CNNRT_OK);
  cnnrt_session* s = nullptr;
  REQUIRE(cnnrt_session_create(m, nullptr, &s) == CNNRT_OK);
  cnnrt_session_destroy(&s);
  CHECK(s == nullptr);
  cnnrt_session_destroy(&s);  // harmless
  size_t n = 0;
  CHECK(cnnrt_session_output_count(s, &n) == CNNRT_INVALID_ARGUMENT);
  cnnrt_model_destroy(&m);
  CHECK(m == nullptr);
  cnnrt_model_destroy(&m);  // harmless
  CHECK(cnnrt_model_input_count(m, &n) == CNNRT_INVALID_ARGUMENT);
  CHECK(cnnrt_session_create(m, nullptr, &s) == CNNRT_INVALID_ARGUMENT);
}

TEST_CASE("hostile callers: blob files that are not tensors") {
  cnnrt_blob* b = nullptr;
  CHECK(cnnrt_blob_read_file("/nonexistent/input_0.pb", &b) == CNNRT_IO_ERROR);
  CHECK(last_error() == "/nonexistent/input_0.pb: cannot open: No such file or directory");
  CHECK(b == nullptr);
  // A device is refused before reading (regression: /dev/zero was read until
  // the 2 GiB limit).
  CHECK(cnnrt_blob_read_file("/dev/zero", &b) == CNNRT_IO_ERROR);
  CHECK(last_error() == "/dev/zero: not a regular file (a directory, device or pipe)");
  CHECK(b == nullptr);
  cnnrt_blob_destroy(&b);
}
