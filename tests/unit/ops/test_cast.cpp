// Cast against naive references: every pair of element types on values all
// of them hold; ONNX's semantics where types differ (float to integer
// truncates, narrowing integers keep the low bits, anything to bool is
// "!= 0", float16/bfloat16 round to nearest even, double to float16 rounds
// once); the Conv layout; the opset-1 type names; dynamic shapes; and the
// refusals (strings, unknown types).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

using TP = onnx::TensorProto;

const std::vector<int> kAllTypes = {TP::FLOAT, TP::DOUBLE, TP::FLOAT16, TP::BFLOAT16, TP::INT8,  TP::UINT8, TP::INT16,
                                    TP::UINT16, TP::INT32, TP::UINT32, TP::INT64,   TP::UINT64, TP::BOOL};

bool is_signed_or_float(int t) { return t != TP::UINT8 && t != TP::UINT16 && t != TP::UINT32 && t != TP::UINT64 && t != TP::BOOL; }

// x (float input) -> Cast(a) -> Cast(b) -> Cast(float) -> y
RunResult run_chain(const std::vector<int>& types, const Index& dims, const std::vector<float>& x, int opset = 13,
                    const Index& decl = {}) {
  ModelBuilder mb(opset);
  mb.input("x", decl.empty() ? dims : decl);
  std::string cur = "x";
  for (size_t i = 0; i < types.size(); ++i) {
    const std::string next = "c" + std::to_string(i);
    mb.node("Cast", {cur}, {next}, {Attr("to", static_cast<int64_t>(types[i]))});
    cur = next;
  }
  mb.node("Cast", {cur}, {"y"}, {Attr("to", int64_t{TP::FLOAT})}).output("y");
  return run_model(mb.bytes(), {HostTensor::floats("x", dims, x)});
}

float f16_round(float v) { return static_cast<float>(static_cast<_Float16>(v)); }

float bf16_round(float v) {  // round to nearest even on the bits (finite v)
  uint32_t b;
  std::memcpy(&b, &v, 4);
  b = (b + 0x7fffu + ((b >> 16) & 1u)) & 0xffff0000u;
  float out;
  std::memcpy(&out, &b, 4);
  return out;
}

}  // namespace

TEST_CASE("Cast: every pair of element types keeps values both hold") {
  const Index dims = {3, 7};
  std::vector<float> pos(21), mixed(21);
  for (int i = 0; i < 21; ++i) {
    pos[i] = static_cast<float>(i * 5);
    mixed[i] = static_cast<float>(i * 5 - 50);
  }
  for (int a : kAllTypes)
    for (int b : kAllTypes) {
      CAPTURE(a);
      CAPTURE(b);
      const bool signed_ok = is_signed_or_float(a) && is_signed_or_float(b);
      const std::vector<float>& x = signed_ok ? mixed : pos;
      std::vector<float> want = x;
      if (a == TP::BOOL || b == TP::BOOL)
        for (float& v : want) v = v != 0 ? 1.0f : 0.0f;
      const RunResult r = run_chain({a, b}, dims, x);
      REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
      CHECK(r.outputs[0].dims == dims);
      CHECK(r.outputs[0].f == want);
    }
}

TEST_CASE("Cast: float to integer truncates toward zero; out of range saturates, NaN gives 0") {
  const std::vector<float> x = {-2.75f, -0.5f, 0.5f, 2.75f, 3.99f, -7.0f};
  const std::vector<float> want = {-2, 0, 0, 2, 3, -7};
  for (int t : {TP::INT8, TP::INT16, TP::INT32, TP::INT64}) {
    const RunResult r = run_chain({t}, {6}, x);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == want);
  }
  const float nan = std::numeric_limits<float>::quiet_NaN();
  RunResult r = run_chain({TP::INT32}, {4}, {1e10f, -1e10f, nan, 5.5f});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f == std::vector<float>{2147483647.0f, -2147483648.0f, 0.0f, 5.0f});
  r = run_chain({TP::UINT8}, {3}, {300.0f, -4.0f, 254.9f});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f == std::vector<float>{255, 0, 254});
}

TEST_CASE("Cast: narrowing integers keep the low bits") {
  ModelBuilder mb(13);
  mb.input("x", {5}, TP::INT64)
      .node("Cast", {"x"}, {"a"}, {Attr("to", int64_t{TP::UINT8})})
      .node("Cast", {"x"}, {"b"}, {Attr("to", int64_t{TP::INT16})})
      .node("Cast", {"x"}, {"c"}, {Attr("to", int64_t{TP::INT8})})
      .node("Cast", {"a"}, {"a64"}, {Attr("to", int64_t{TP::INT64})})
      .node("Cast", {"b"}, {"b64"}, {Attr("to", int64_t{TP::INT64})})
      .node("Cast", {"c"}, {"c64"}, {Attr("to", int64_t{TP::INT64})})
      .output("a64")
      .output("b64")
      .output("c64");
  const Index x = {300, -1, 70000, -129, 255};
  const RunResult r = run_model(mb.bytes(), {HostTensor::ints("x", {5}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  Index u8, i16, i8;
  for (int64_t v : x) {
    u8.push_back(static_cast<uint8_t>(v));
    i16.push_back(static_cast<int16_t>(v));
    i8.push_back(static_cast<int8_t>(v));
  }
  CHECK(r.outputs[0].i64 == u8);
  CHECK(r.outputs[1].i64 == i16);
  CHECK(r.outputs[2].i64 == i8);
}

TEST_CASE("Cast: anything to bool is != 0, bool to anything is 0 or 1") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> x = {0.0f, -0.0f, 0.25f, -3.0f, nan, 1e-30f};
  const std::vector<float> want = {0, 0, 1, 1, 1, 1};
  for (int via : {TP::FLOAT, TP::DOUBLE, TP::FLOAT16}) {
    const RunResult r = run_chain({via, TP::BOOL}, {6}, x);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == (via == TP::FLOAT16 ? std::vector<float>{0, 0, 1, 1, 1, 0} : want));  // 1e-30 is 0 in half
  }
  const RunResult r = run_chain({TP::INT32, TP::BOOL, TP::INT64}, {6}, {0, 1, 2, -1, 0, 7});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f == std::vector<float>{0, 1, 1, 1, 0, 1});
}

TEST_CASE("Cast: float16 and bfloat16 round to nearest even, through oneDNN and through plain loops") {
  std::vector<float> x;
  const float tie16 = std::ldexp(1.0f, -11), tie_bf = std::ldexp(1.0f, -8);
  for (float base : {1.0f, 3.0f, -5.0f, 1000.0f}) {
    x.push_back(base * (1 + tie16));
    x.push_back(base * (1 + 3 * tie16));
    x.push_back(base * (1 + tie_bf));
    x.push_back(base * (1 + 3 * tie_bf));
    x.push_back(base * 1.3333333f);
  }
  x.push_back(70000.0f);                     // beyond half: inf
  x.push_back(std::ldexp(1.0f, -20));        // a half subnormal
  x.push_back(std::ldexp(3.0f, -26));        // rounds in the subnormal range
  x.push_back(std::numeric_limits<float>::infinity());
  const Index dims = {static_cast<int64_t>(x.size())};
  std::vector<float> want16, want_bf;
  for (float v : x) {
    want16.push_back(f16_round(v));
    want_bf.push_back(bf16_round(v));
  }
  // f32 -> f16 is a oneDNN reorder; f32 -> f64 -> f16 is the plain loop.
  for (const std::vector<int>& chain : {std::vector<int>{TP::FLOAT16}, std::vector<int>{TP::DOUBLE, TP::FLOAT16}}) {
    const RunResult r = run_chain(chain, dims, x);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == want16);
  }
  for (const std::vector<int>& chain : {std::vector<int>{TP::BFLOAT16}, std::vector<int>{TP::DOUBLE, TP::BFLOAT16}}) {
    const RunResult r = run_chain(chain, dims, x);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == want_bf);
  }
}

TEST_CASE("Cast: double to float16 rounds once (not through float)") {
  // 1 + 2^-11 + 2^-40 is just above a half tie; through float the 2^-40 is
  // lost and the tie rounds to even (1.0).
  onnx::TensorProto d;
  d.set_name("d");
  d.set_data_type(TP::DOUBLE);
  d.add_dims(2);
  d.add_double_data(1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40));
  d.add_double_data(-(1.0 + std::ldexp(1.0, -11) - std::ldexp(1.0, -40)));
  ModelBuilder mb(13);
  *mb.proto().mutable_graph()->add_initializer() = d;
  mb.input("x", {1})
      .node("Cast", {"d"}, {"h"}, {Attr("to", int64_t{TP::FLOAT16})})
      .node("Cast", {"h"}, {"hf"}, {Attr("to", int64_t{TP::FLOAT})})
      .node("Identity", {"x"}, {"unused"})
      .output("hf");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {1}, {0.0f})});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f == std::vector<float>{1.0f + std::ldexp(1.0f, -10), -1.0f});
}

TEST_CASE("Cast: large integers to float round once") {
  ModelBuilder mb(13);
  mb.input("x", {3}, TP::INT64).node("Cast", {"x"}, {"y"}, {Attr("to", int64_t{TP::FLOAT})}).output("y");
  const Index x = {(int64_t{1} << 40) + 1, -((int64_t{1} << 53) + 1), std::numeric_limits<int64_t>::max()};
  const RunResult r = run_model(mb.bytes(), {HostTensor::ints("x", {3}, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].f == std::vector<float>{static_cast<float>(x[0]), static_cast<float>(x[1]), static_cast<float>(x[2])});
}

TEST_CASE("Cast: the Conv layout, same-type casts, opset-1 type names, dynamic shapes") {
  const Index dims = {2, 16, 3, 5};
  const auto x = feed_values(Feed::f32, count_of(dims));
  for (int t : {TP::FLOAT16, TP::BFLOAT16, TP::FLOAT, TP::INT32, TP::DOUBLE}) {
    const RunResult r = run_fed(Feed::f32_conv, dims, dims, x, 13, [&](ModelBuilder& mb, const std::string& in) {
      mb.node("Cast", {in}, {"t"}, {Attr("to", static_cast<int64_t>(t))})
          .node("Cast", {"t"}, {"y"}, {Attr("to", int64_t{TP::FLOAT})});
    });
    CAPTURE(t);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    std::vector<float> want = x;
    if (t == TP::BFLOAT16)
      for (float& v : want) v = bf16_round(v);
    CHECK(r.outputs[0].f == want);
  }
  for (const char* name : {"INT32", "DOUBLE", "FLOAT16", "BOOL", "UINT8"}) {
    ModelBuilder mb(1);
    mb.input("x", {4}).node("Cast", {"x"}, {"t"}, {Attr("to", name)}).node("Cast", {"t"}, {"y"}, {Attr("to", "FLOAT")}).output("y");
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {4}, {0, 1, 2, 3})});
    CAPTURE(name);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == (std::string(name) == "BOOL" ? std::vector<float>{0, 1, 1, 1} : std::vector<float>{0, 1, 2, 3}));
  }
  for (int64_t n : {1, 3}) {
    const auto v = iota_floats(n * 2);
    const RunResult r = run_chain({TP::INT16, TP::DOUBLE}, {n, 2}, v, 13, {-1, 2});
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == v);
  }
}

TEST_CASE("Cast: refusals") {
  auto load_error = [](int opset, const Attr& to) {
    ModelBuilder mb(opset);
    mb.input("x", {2}).node("Cast", {"x"}, {"y"}, {to}, "c").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status != CNNRT_OK);
    return r.error;
  };
  CHECK(load_error(13, Attr("to", int64_t{TP::STRING})) ==
        "<memory>: node 'c' (Cast, domain ai.onnx, opset 13): casting to string is not supported (cnnrt has no string "
        "tensors)");
  CHECK(load_error(5, Attr("to", "STRING")) ==
        "<memory>: node 'c' (Cast, domain ai.onnx, opset 5): casting to string is not supported (cnnrt has no string "
        "tensors)");
  // Element types ONNX added after cnnrt's (float8, 4-bit, 2-bit) are named.
  CHECK(load_error(19, Attr("to", int64_t{17})) ==
        "<memory>: node 'c' (Cast, domain ai.onnx, opset 19): casting to element type float8e4m3fn (ONNX 17) is not "
        "supported");
  CHECK(load_error(21, Attr("to", int64_t{22})) ==
        "<memory>: node 'c' (Cast, domain ai.onnx, opset 21): casting to element type int4 (ONNX 22) is not supported");
  CHECK(load_error(25, Attr("to", int64_t{26})) ==
        "<memory>: node 'c' (Cast, domain ai.onnx, opset 25): casting to element type int2 (ONNX 26) is not supported");
  CHECK(load_error(19, Attr("to", int64_t{40})) ==
        "<memory>: node 'c' (Cast, domain ai.onnx, opset 19): casting to element type type#40 (ONNX 40) is not "
        "supported");
  CHECK(load_error(5, Attr("to", "FLOAT128")) ==
        "<memory>: node 'c' (Cast, domain ai.onnx, opset 5): 'to' names no ONNX type: 'FLOAT128'");
  CHECK(load_error(13, Attr("saturate", int64_t{1})) ==
        "<memory>: node 'c' (Cast, domain ai.onnx, opset 13): attribute 'to' is required");
}
