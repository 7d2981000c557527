// Test support: builds small ONNX models in memory with the ONNX protobuf
// classes, so op and loader tests can state their graph in a few lines and
// feed it through the real loader.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cnnrt::test {

// One attribute value; the constructor picks the ONNX attribute type.
struct Attr {
  Attr(std::string n, int64_t v);
  Attr(std::string n, int v) : Attr(std::move(n), static_cast<int64_t>(v)) {}
  Attr(std::string n, float v);
  Attr(std::string n, double v) : Attr(std::move(n), static_cast<float>(v)) {}
  Attr(std::string n, const char* v);
  Attr(std::string n, std::string v) : Attr(std::move(n), v.c_str()) {}
  Attr(std::string n, std::vector<int64_t> v);
  Attr(std::string n, std::vector<float> v);
  Attr(std::string n, onnx::TensorProto t);
  onnx::AttributeProto proto;
};

class ModelBuilder {
 public:
  explicit ModelBuilder(int64_t opset = 17, int64_t ir_version = 8);

  // A graph input; dims of -1 become the symbolic dim "N", "N1", ...
  ModelBuilder& input(const std::string& name, std::vector<int64_t> dims, int elem_type = onnx::TensorProto::FLOAT);
  ModelBuilder& output(const std::string& name);
  ModelBuilder& initializer(const std::string& name, std::vector<int64_t> dims, const std::vector<float>& values);
  ModelBuilder& initializer_i64(const std::string& name, std::vector<int64_t> dims, const std::vector<int64_t>& values);
  ModelBuilder& node(const std::string& op_type, std::vector<std::string> inputs, std::vector<std::string> outputs,
                     std::vector<Attr> attrs = {}, const std::string& name = "");
  ModelBuilder& metadata(const std::string& key, const std::string& value);

  onnx::ModelProto& proto() { return model_; }
  std::string bytes() const;

 private:
  onnx::ModelProto model_;
  int symbolic_ = 0;
};

onnx::TensorProto make_tensor(const std::string& name, std::vector<int64_t> dims, const std::vector<float>& values);
onnx::TensorProto make_tensor_i64(const std::string& name, std::vector<int64_t> dims,
                                  const std::vector<int64_t>& values);

// The c x c weights of a 1x1 Conv that passes its input through unchanged:
// how a test hands an op its input in the layout oneDNN picks for
// convolutions (blocked or channels-last).
std::vector<float> identity_conv_weights(int64_t c);

}  // namespace cnnrt::test
