#include "support/reference.h"

#include <doctest/doctest.h>

namespace cnnrt::test {

const char* feed_name(Feed f) {
  switch (f) {
    case Feed::f32: return "float";
    case Feed::f32_conv: return "float from Conv";
    case Feed::i64: return "int64";
    case Feed::i32: return "int32";
    case Feed::f16: return "float16";
    case Feed::bf16: return "bfloat16";
    case Feed::u8: return "uint8";
    case Feed::i16: return "int16";
    case Feed::f64: return "double";
  }
  return "?";
}

std::vector<Feed> all_feeds(bool with_conv) {
  std::vector<Feed> v = {Feed::f32, Feed::i64, Feed::i32, Feed::f16, Feed::bf16, Feed::u8, Feed::i16, Feed::f64};
  if (with_conv) v.insert(v.begin() + 1, Feed::f32_conv);
  return v;
}

std::vector<float> feed_values(Feed f, int64_t n) {
  const bool small = f == Feed::u8 || f == Feed::bf16 || f == Feed::f16;
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[i] = static_cast<float>(small ? i % 251 : i);
  return v;
}

namespace {

int cast_target(Feed f) {
  switch (f) {
    case Feed::i32: return onnx::TensorProto::INT32;
    case Feed::f16: return onnx::TensorProto::FLOAT16;
    case Feed::bf16: return onnx::TensorProto::BFLOAT16;
    case Feed::u8: return onnx::TensorProto::UINT8;
    case Feed::i16: return onnx::TensorProto::INT16;
    case Feed::f64: return onnx::TensorProto::DOUBLE;
    default: return 0;
  }
}

const char* type_name(int onnx_type) {
  switch (onnx_type) {
    case onnx::TensorProto::INT32: return "INT32";
    case onnx::TensorProto::FLOAT16: return "FLOAT16";
    case onnx::TensorProto::BFLOAT16: return "BFLOAT16";
    case onnx::TensorProto::UINT8: return "UINT8";
    case onnx::TensorProto::INT16: return "INT16";
    case onnx::TensorProto::DOUBLE: return "DOUBLE";
    default: return "FLOAT";
  }
}

// A Cast node in the form the model's opset wants (a type name before 6).
void add_cast(ModelBuilder& mb, const std::string& from, const std::string& to, int onnx_type) {
  if (mb.proto().opset_import(0).version() < 6)
    mb.node("Cast", {from}, {to}, {Attr("to", type_name(onnx_type))});
  else
    mb.node("Cast", {from}, {to}, {Attr("to", static_cast<int64_t>(onnx_type))});
}

}  // namespace

int feed_type(Feed f) {
  if (f == Feed::i64) return onnx::TensorProto::INT64;
  if (f == Feed::f32 || f == Feed::f32_conv) return onnx::TensorProto::FLOAT;
  return cast_target(f);
}

std::string feed_input(ModelBuilder& mb, Feed f, const std::string& name, const Index& dims) {
  if (f == Feed::i64) {
    mb.input(name, dims, onnx::TensorProto::INT64);
    return name;
  }
  mb.input(name, dims);
  if (f == Feed::f32) return name;
  if (f == Feed::f32_conv) {
    const int64_t c = dims.at(1);
    std::vector<int64_t> wdims = {c, c};
    wdims.resize(dims.size(), 1);
    mb.initializer(name + "_eye", wdims, identity_conv_weights(c));
    mb.node("Conv", {name, name + "_eye"}, {name + "_conv"});
    return name + "_conv";
  }
  add_cast(mb, name, name + "_cast", cast_target(f));
  return name + "_cast";
}

std::string feed_output(ModelBuilder& mb, Feed f, const std::string& name) {
  if (f == Feed::f32 || f == Feed::f32_conv) {
    mb.output(name);
    return name;
  }
  add_cast(mb, name, name + "_f32", onnx::TensorProto::FLOAT);
  mb.output(name + "_f32");
  return name + "_f32";
}

HostTensor feed_tensor(Feed f, const std::string& name, const Index& dims, const std::vector<float>& values) {
  if (f != Feed::i64) return HostTensor::floats(name, dims, values);
  std::vector<int64_t> v(values.begin(), values.end());
  return HostTensor::ints(name, dims, v);
}

RunResult run_fed(Feed f, const Index& decl_dims, const Index& dims, const std::vector<float>& values, int opset,
                  const AddOp& add_op) {
  ModelBuilder mb(opset);
  const std::string in = feed_input(mb, f, "x", decl_dims);
  add_op(mb, in);
  feed_output(mb, f, "y");
  return run_model(mb.bytes(), {feed_tensor(f, "x", dims, values)});
}

FedReference same_values(Index out_dims) {
  return [out_dims](const std::vector<float>& x, Index* dims) {
    *dims = out_dims;
    return x;
  };
}

void check_fed(Feed f, const Index& dims, const Index& decl_dims, int opset, const FedReference& reference,
               const AddOp& add_op) {
  const auto x = feed_values(f, count_of(dims));
  Index want_dims;
  const auto want = reference(x, &want_dims);
  const RunResult r = run_fed(f, decl_dims.empty() ? dims : decl_dims, dims, x, opset, add_op);
  check_fed_output(f, r, want_dims, want);
}

void check_fed_output(Feed f, const RunResult& r, const Index& want_dims, const std::vector<float>& want) {
  const std::string feed = feed_name(f);
  CAPTURE(feed);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == want_dims);
  CHECK(r.outputs[0].f == want);
}

}  // namespace cnnrt::test
