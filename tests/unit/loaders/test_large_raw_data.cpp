// Model files whose large raw_data is read straight into the tensors
// (loaders/onnx_stream_parse.h): the result must be what protobuf's own
// parse of the same bytes gives (the memory loader's path), including the
// merge rules of the wire format (a graph in two parts, a raw_data given
// twice), the loader's size check, and a truncated file.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "cnnrt.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "support/temp_dir.h"

using namespace cnnrt::test;

namespace {

constexpr int64_t kK = 128, kN = 256;  // B: 128 KiB of raw_data, above the 64 KiB read out

// A field of `number` holding `bytes`, as protobuf encodes it.
std::string length_field(int number, const std::string& bytes) {
  std::string out;
  auto varint = [&](uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  };
  varint((static_cast<uint64_t>(number) << 3) | 2);
  varint(bytes.size());
  return out + bytes;
}

std::string float_bytes(const std::vector<float>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

onnx::TensorProto b_tensor(const std::vector<float>& values) {
  onnx::TensorProto t;
  t.set_name("B");
  t.set_data_type(onnx::TensorProto::FLOAT);
  t.add_dims(kK);
  t.add_dims(kN);
  t.set_raw_data(float_bytes(values));
  return t;
}

// y = x [1,K] * B + c, with B given separately (not in the builder's graph).
onnx::ModelProto model_without_b() {
  ModelBuilder mb(13);
  mb.input("x", {1, kK}).initializer("c", {kN}, random_floats(kN, 3));
  mb.node("MatMul", {"x", "B"}, {"p"}).node("Add", {"p", "c"}, {"y"}).output("y");
  return mb.proto();
}

std::vector<float> reference(const std::vector<float>& x, const std::vector<float>& b, const onnx::ModelProto& m) {
  const onnx::TensorProto& c = m.graph().initializer(0);
  std::vector<float> cv(kN);
  std::memcpy(cv.data(), c.raw_data().empty() ? c.float_data().data() : reinterpret_cast<const float*>(c.raw_data().data()),
              kN * sizeof(float));
  std::vector<float> y(kN);
  for (int64_t j = 0; j < kN; ++j) {
    double acc = cv[j];
    for (int64_t k = 0; k < kK; ++k) acc += static_cast<double>(x[k]) * b[k * kN + j];
    y[j] = static_cast<float>(acc);
  }
  return y;
}

struct Loaded {
  cnnrt_status status;
  std::string error;
  std::vector<float> y;
};

Loaded run(cnnrt_model* m, cnnrt_status status, const std::vector<float>& x) {
  Loaded r{status, status == CNNRT_OK ? "" : cnnrt_last_error(), {}};
  if (status != CNNRT_OK) return r;
  cnnrt_session* s = nullptr;
  REQUIRE(cnnrt_session_create(m, nullptr, &s) == CNNRT_OK);
  const int64_t dims[2] = {1, kK};
  cnnrt_tensor in = {"x", CNNRT_FLOAT32, 2, dims, const_cast<float*>(x.data()), x.size() * sizeof(float)};
  r.y.assign(kN, 0.0f);
  cnnrt_tensor out = {nullptr, CNNRT_UNDEFINED, 0, nullptr, r.y.data(), r.y.size() * sizeof(float)};
  REQUIRE(cnnrt_session_run(s, &in, 1, &out, 1) == CNNRT_OK);
  cnnrt_session_destroy(&s);
  cnnrt_model_destroy(&m);
  return r;
}

// The same bytes loaded from a file and from memory.
std::pair<Loaded, Loaded> load_both_ways(const std::string& bytes, const std::vector<float>& x) {
  TempDir dir("cnnrt-rawdata");
  const std::string path = dir.path + "/model.onnx";
  write_file(path, bytes);
  cnnrt_model* from_file = nullptr;
  cnnrt_model* from_memory = nullptr;
  const cnnrt_status sf = cnnrt_model_load_file(path.c_str(), &from_file);
  Loaded file = run(from_file, sf, x);
  const cnnrt_status sm = cnnrt_model_load_memory(bytes.data(), bytes.size(), &from_memory);
  Loaded memory = run(from_memory, sm, x);
  return {file, memory};
}

}  // namespace

TEST_CASE("large raw_data: a model file gives what the same bytes in memory give") {
  const auto x = random_floats(kK, 1), b = random_floats(static_cast<size_t>(kK * kN), 2);
  onnx::ModelProto m = model_without_b();
  *m.mutable_graph()->add_initializer() = b_tensor(b);
  const auto [file, memory] = load_both_ways(m.SerializeAsString(), x);
  REQUIRE_MESSAGE(file.status == CNNRT_OK, file.error);
  REQUIRE_MESSAGE(memory.status == CNNRT_OK, memory.error);
  CHECK(file.y == memory.y);
  CHECK(max_abs_diff(file.y, reference(x, b, m)) < 1e-4);
}

TEST_CASE("large raw_data: a graph given in two parts is merged, as protobuf merges it") {
  // Two serialized models back to back are one model whose graph is the
  // merge of both: here the second part brings the large initializer.
  const auto x = random_floats(kK, 4), b = random_floats(static_cast<size_t>(kK * kN), 5);
  const onnx::ModelProto first = model_without_b();
  onnx::ModelProto second;
  *second.mutable_graph()->add_initializer() = b_tensor(b);
  const auto [file, memory] = load_both_ways(first.SerializeAsString() + second.SerializeAsString(), x);
  REQUIRE_MESSAGE(file.status == CNNRT_OK, file.error);
  REQUIRE_MESSAGE(memory.status == CNNRT_OK, memory.error);
  CHECK(file.y == memory.y);
  CHECK(max_abs_diff(file.y, reference(x, b, first)) < 1e-4);
}

TEST_CASE("large raw_data: given twice in one tensor, the last wins") {
  const auto x = random_floats(kK, 6);
  const auto b1 = random_floats(static_cast<size_t>(kK * kN), 7), b2 = random_floats(static_cast<size_t>(kK * kN), 8);
  onnx::TensorProto second_raw;
  second_raw.set_raw_data(float_bytes(b2));
  const std::string tensor = b_tensor(b1).SerializeAsString() + second_raw.SerializeAsString();
  onnx::ModelProto m = model_without_b();
  const std::string graph = m.graph().SerializeAsString() + length_field(onnx::GraphProto::kInitializerFieldNumber, tensor);
  m.clear_graph();
  const std::string bytes = m.SerializeAsString() + length_field(onnx::ModelProto::kGraphFieldNumber, graph);
  const auto [file, memory] = load_both_ways(bytes, x);
  REQUIRE_MESSAGE(file.status == CNNRT_OK, file.error);
  REQUIRE_MESSAGE(memory.status == CNNRT_OK, memory.error);
  CHECK(file.y == memory.y);
  CHECK(max_abs_diff(file.y, reference(x, b2, model_without_b())) < 1e-4);
}

TEST_CASE("large raw_data: a size that disagrees with the shape, and a truncated file, are refused") {
  const auto x = random_floats(kK, 9);
  onnx::ModelProto m = model_without_b();
  auto b = random_floats(static_cast<size_t>(kK * kN) + 1, 10);
  *m.mutable_graph()->add_initializer() = b_tensor(b);
  auto [file, memory] = load_both_ways(m.SerializeAsString(), x);
  CHECK(file.status == CNNRT_INVALID_MODEL);
  CHECK(memory.status == CNNRT_INVALID_MODEL);
  const std::string what = "initializer: tensor 'B': raw_data has 131076 bytes but shape [128,256] of float needs 131072";
  CHECK(file.error.find(what) != std::string::npos);
  CHECK(memory.error == "<memory>: " + what);

  b.pop_back();
  *m.mutable_graph()->mutable_initializer(1) = b_tensor(b);
  const std::string whole = m.SerializeAsString();
  std::tie(file, memory) = load_both_ways(whole.substr(0, whole.size() - 1000), x);
  CHECK(file.status == CNNRT_INVALID_MODEL);
  CHECK(file.error.find(": not a valid ONNX model (protobuf parsing failed; truncated or not an .onnx file)") !=
        std::string::npos);
  CHECK(memory.status == CNNRT_INVALID_MODEL);
}
