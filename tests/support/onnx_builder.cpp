#include "support/onnx_builder.h"

namespace cnnrt::test {

Attr::Attr(std::string n, int64_t v) {
  proto.set_name(std::move(n));
  proto.set_type(onnx::AttributeProto::INT);
  proto.set_i(v);
}
Attr::Attr(std::string n, float v) {
  proto.set_name(std::move(n));
  proto.set_type(onnx::AttributeProto::FLOAT);
  proto.set_f(v);
}
Attr::Attr(std::string n, const char* v) {
  proto.set_name(std::move(n));
  proto.set_type(onnx::AttributeProto::STRING);
  proto.set_s(v);
}
Attr::Attr(std::string n, std::vector<int64_t> v) {
  proto.set_name(std::move(n));
  proto.set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) proto.add_ints(x);
}
Attr::Attr(std::string n, std::vector<float> v) {
  proto.set_name(std::move(n));
  proto.set_type(onnx::AttributeProto::FLOATS);
  for (float x : v) proto.add_floats(x);
}
Attr::Attr(std::string n, onnx::TensorProto t) {
  proto.set_name(std::move(n));
  proto.set_type(onnx::AttributeProto::TENSOR);
  *proto.mutable_t() = std::move(t);
}

onnx::TensorProto make_tensor(const std::string& name, std::vector<int64_t> dims, const std::vector<float>& values) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t.add_dims(d);
  t.set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
  return t;
}

onnx::TensorProto make_tensor_i64(const std::string& name, std::vector<int64_t> dims,
                                  const std::vector<int64_t>& values) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : dims) t.add_dims(d);
  for (int64_t v : values) t.add_int64_data(v);
  return t;
}

ModelBuilder::ModelBuilder(int64_t opset, int64_t ir_version) {
  model_.set_ir_version(ir_version);
  model_.set_producer_name("cnnrt-tests");
  auto* op = model_.add_opset_import();
  op->set_domain("");
  op->set_version(opset);
  model_.mutable_graph()->set_name("test");
}

ModelBuilder& ModelBuilder::input(const std::string& name, std::vector<int64_t> dims, int elem_type) {
  auto* in = model_.mutable_graph()->add_input();
  in->set_name(name);
  auto* tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elem_type);
  auto* shape = tt->mutable_shape();
  for (int64_t d : dims) {
    auto* dim = shape->add_dim();
    if (d >= 0) {
      dim->set_dim_value(d);
    } else {
      dim->set_dim_param(symbolic_ == 0 ? "N" : "N" + std::to_string(symbolic_));
      ++symbolic_;
    }
  }
  return *this;
}

ModelBuilder& ModelBuilder::output(const std::string& name) {
  model_.mutable_graph()->add_output()->set_name(name);
  return *this;
}

ModelBuilder& ModelBuilder::initializer(const std::string& name, std::vector<int64_t> dims,
                                        const std::vector<float>& values) {
  *model_.mutable_graph()->add_initializer() = make_tensor(name, std::move(dims), values);
  return *this;
}

ModelBuilder& ModelBuilder::initializer_i64(const std::string& name, std::vector<int64_t> dims,
                                            const std::vector<int64_t>& values) {
  *model_.mutable_graph()->add_initializer() = make_tensor_i64(name, std::move(dims), values);
  return *this;
}

ModelBuilder& ModelBuilder::node(const std::string& op_type, std::vector<std::string> inputs,
                                 std::vector<std::string> outputs, std::vector<Attr> attrs, const std::string& name) {
  auto* n = model_.mutable_graph()->add_node();
  n->set_op_type(op_type);
  n->set_name(name.empty() ? op_type + "_" + std::to_string(model_.graph().node_size()) : name);
  for (auto& i : inputs) n->add_input(i);
  for (auto& o : outputs) n->add_output(o);
  for (auto& a : attrs) *n->add_attribute() = a.proto;
  return *this;
}

ModelBuilder& ModelBuilder::metadata(const std::string& key, const std::string& value) {
  auto* kv = model_.add_metadata_props();
  kv->set_key(key);
  kv->set_value(value);
  return *this;
}

std::string ModelBuilder::bytes() const { return model_.SerializeAsString(); }

std::vector<float> identity_conv_weights(int64_t c) {
  std::vector<float> w(static_cast<size_t>(c * c), 0.0f);
  for (int64_t i = 0; i < c; ++i) w[static_cast<size_t>(i * c + i)] = 1.0f;
  return w;
}

}  // namespace cnnrt::test
