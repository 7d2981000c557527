// The C API entry points and rules added for embedding: the supported-op
// list, options struct_size compatibility, and run outputs checked before
// the run (by count and name) or after it (buffer size).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cnnrt.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

// x [1,4] -> Relu -> r -> Softmax -> y
std::string relu_softmax_model() {
  return ModelBuilder(13)
      .input("x", {1, 4})
      .node("Relu", {"x"}, {"r"}, {}, "relu")
      .node("Softmax", {"r"}, {"y"}, {Attr("axis", 1)}, "softmax")
      .output("y")
      .bytes();
}

void load(Handles& h, const cnnrt_session_options* options = nullptr) {
  const std::string bytes = relu_softmax_model();
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &h.model) == CNNRT_OK);
  REQUIRE(cnnrt_session_create(h.model, options, &h.session) == CNNRT_OK);
}

const int64_t kDims[] = {1, 4};
float g_x[4] = {-1.0f, 0.5f, 2.0f, 0.0f};
cnnrt_tensor input_x() { return cnnrt_tensor{"x", CNNRT_FLOAT32, 2, kDims, g_x, sizeof g_x}; }

}  // namespace

TEST_CASE("supported ops: sorted, static strings, the core ops present, errors") {
  size_t n = 0;
  REQUIRE(cnnrt_supported_op_count(&n) == CNNRT_OK);
  REQUIRE(n > 0);
  std::vector<std::string> keys;
  bool has_conv = false;
  for (size_t i = 0; i < n; ++i) {
    cnnrt_op_info op;
    REQUIRE(cnnrt_supported_op(i, &op) == CNNRT_OK);
    CHECK(op.first_opset >= 1);
    CHECK(op.first_opset <= op.last_opset);
    CHECK(std::strlen(op.domain) > 0);  // the default domain is spelled out
    has_conv = has_conv || (std::string(op.domain) == "ai.onnx" && std::string(op.op_type) == "Conv");
    char first[8];
    std::snprintf(first, sizeof first, "%05d", op.first_opset);
    keys.push_back(std::string(op.domain) + '\n' + op.op_type + '\n' + first);
  }
  CHECK(has_conv);
  CHECK(std::is_sorted(keys.begin(), keys.end()));

  CHECK(cnnrt_supported_op_count(nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) == "cnnrt_supported_op_count: count is NULL");
  cnnrt_op_info op;
  CHECK(cnnrt_supported_op(n, &op) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) ==
        "cnnrt_supported_op: index " + std::to_string(n) + " is out of range (count " + std::to_string(n) + ")");
  CHECK(cnnrt_supported_op(0, nullptr) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) == "cnnrt_supported_op: info is NULL");
}

TEST_CASE("session options: struct_size from older and newer headers") {
  const std::string bytes = relu_softmax_model();
  Handles h;
  REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &h.model) == CNNRT_OK);

  SUBCASE("too small is refused") {
    cnnrt_session_options o;
    cnnrt_session_options_init(&o);
    o.struct_size = sizeof(size_t);
    CHECK(cnnrt_session_create(h.model, &o, &h.session) == CNNRT_INVALID_ARGUMENT);
    CHECK(h.session == nullptr);
    CHECK(std::string(cnnrt_last_error()) ==
          "cnnrt_session_create: options->struct_size 8 is too small (use cnnrt_session_options_init)");
  }
  // A newer header's struct: this struct followed by fields this library
  // does not know. Zero (their default) is accepted; anything else refused.
  struct Newer {
    cnnrt_session_options known;
    int64_t future_field;
  } newer;
  std::memset(&newer, 0, sizeof newer);
  cnnrt_session_options_init(&newer.known);
  newer.known.struct_size = sizeof newer;
  newer.known.threads = 1;
  SUBCASE("newer with unknown fields at 0 works") {
    CHECK(cnnrt_session_create(h.model, &newer.known, &h.session) == CNNRT_OK);
    cnnrt_tensor in = input_x();
    CHECK(cnnrt_session_run(h.session, &in, 1, nullptr, 0) == CNNRT_OK);
  }
  SUBCASE("newer with an unknown field set is refused") {
    newer.future_field = 1;
    CHECK(cnnrt_session_create(h.model, &newer.known, &h.session) == CNNRT_UNSUPPORTED);
    CHECK(h.session == nullptr);
    CHECK(std::string(cnnrt_last_error()).find("set a field this library version") != std::string::npos);
  }
}

TEST_CASE("run: output count and names are checked before running") {
  Handles h;
  load(h);
  cnnrt_tensor in = input_x();
  cnnrt_tensor out[2];
  std::memset(out, 0, sizeof out);

  CHECK(cnnrt_session_run(h.session, &in, 1, out, 2) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) == "cnnrt_session_run: asked for 2 outputs, the session produces 1");
  out[0].name = "r";  // computed, but not requested as an extra output
  CHECK(cnnrt_session_run(h.session, &in, 1, out, 1) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) ==
        "cnnrt_session_run: outputs[0] names 'r', which is not one of the 1 results (model outputs and extra outputs)");
  // Nothing ran: there is no result to read.
  cnnrt_tensor t;
  CHECK(cnnrt_session_output(h.session, 0, &t) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) == "cnnrt_session_output: the session has no successful run yet");
}

TEST_CASE("run: extra outputs are selected by name and position") {
  const char* extra[] = {"r"};
  cnnrt_session_options o;
  cnnrt_session_options_init(&o);
  o.threads = 1;
  o.extra_outputs = extra;
  o.extra_output_count = 1;
  Handles h;
  load(h, &o);
  size_t n = 0;
  REQUIRE(cnnrt_session_output_count(h.session, &n) == CNNRT_OK);
  CHECK(n == 2);
  cnnrt_tensor in = input_x();
  cnnrt_tensor out[2];
  std::memset(out, 0, sizeof out);
  out[0].name = "r";  // results in any order, by name
  out[1].name = "y";
  REQUIRE(cnnrt_session_run(h.session, &in, 1, out, 2) == CNNRT_OK);
  CHECK(std::string(out[0].name) == "r");
  CHECK(std::string(out[1].name) == "y");
  const float* r = static_cast<const float*>(out[0].data);
  for (int i = 0; i < 4; ++i) CHECK(r[i] == (g_x[i] > 0 ? g_x[i] : 0.0f));
  cnnrt_tensor by_position[2];
  std::memset(by_position, 0, sizeof by_position);
  REQUIRE(cnnrt_session_run(h.session, &in, 1, by_position, 2) == CNNRT_OK);
  CHECK(std::string(by_position[0].name) == "y");
  CHECK(std::string(by_position[1].name) == "r");
}

TEST_CASE("run: a too-small output buffer fails after the run, which stays readable") {
  Handles h;
  load(h);
  cnnrt_tensor in = input_x();
  float small[2];
  cnnrt_tensor out;
  std::memset(&out, 0, sizeof out);
  out.data = small;
  out.size_bytes = sizeof small;
  CHECK(cnnrt_session_run(h.session, &in, 1, &out, 1) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) == "cnnrt_session_run: output 'y' needs 16 bytes, the buffer has 8");
  cnnrt_tensor t;
  REQUIRE(cnnrt_session_output(h.session, 0, &t) == CNNRT_OK);
  CHECK(t.size_bytes == 16);
}

TEST_CASE("run and create errors from the session name the input or tensor") {
  Handles h;
  load(h);
  float x[3] = {0, 0, 0};
  const int64_t dims[] = {1, 3};
  cnnrt_tensor in{"x", CNNRT_FLOAT32, 2, dims, x, sizeof x};
  CHECK(cnnrt_session_run(h.session, &in, 1, nullptr, 0) == CNNRT_INVALID_ARGUMENT);
  CHECK(std::string(cnnrt_last_error()) == "input 'x' must have shape [1,4], got [1,3]");
  const char* extra[] = {"nope"};
  cnnrt_session_options o;
  cnnrt_session_options_init(&o);
  o.extra_outputs = extra;
  o.extra_output_count = 1;
  cnnrt_session* s = nullptr;
  CHECK(cnnrt_session_create(h.model, &o, &s) == CNNRT_INVALID_ARGUMENT);
  CHECK(s == nullptr);
  CHECK(std::string(cnnrt_last_error()) == "no tensor named 'nope' is computed by this model");
}
