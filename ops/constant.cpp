// Constant (ai.onnx 1-28): its value becomes a constant of the graph at load
// time (the node folds away), from `value` or, since opset 12, one of
// value_float(s) / value_int(s).
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

#include <cstring>

namespace cnnrt {
namespace {

template <class T, class Src>
Result<TensorPtr> make_constant(DType dtype, Dims dims, const Src& values) {
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> t, TensorData::make(dtype, std::move(dims), "Constant value"));
  T* out = reinterpret_cast<T*>(t->mutable_data());
  for (size_t i = 0; i < values.size(); ++i) out[i] = static_cast<T>(values[i]);
  return TensorPtr(t);
}

Status infer_constant(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(0, 0));
  const Attributes& a = ctx.attrs();
  int given = 0;
  for (const char* name : {"value", "value_float", "value_floats", "value_int", "value_ints", "value_string",
                           "value_strings", "sparse_value"})
    given += a.has(name) ? 1 : 0;
  if (given != 1) return invalid_model("exactly one value attribute must be set, found ", given);
  TensorPtr value;
  if (a.has("value")) {
    CNNRT_ASSIGN_OR_RETURN(value, a.get_tensor("value"));
  } else if (a.has("value_float")) {
    CNNRT_ASSIGN_OR_RETURN(float f, a.get_float("value_float", 0));
    CNNRT_ASSIGN_OR_RETURN(value, (make_constant<float>(DType::f32, {}, std::vector<float>{f})));
  } else if (a.has("value_floats")) {
    CNNRT_ASSIGN_OR_RETURN(std::vector<float> f, a.get_floats("value_floats", {}));
    CNNRT_ASSIGN_OR_RETURN(value, make_constant<float>(DType::f32, {static_cast<int64_t>(f.size())}, f));
  } else if (a.has("value_int")) {
    CNNRT_ASSIGN_OR_RETURN(int64_t i, a.get_int("value_int", 0));
    CNNRT_ASSIGN_OR_RETURN(value, (make_constant<int64_t>(DType::i64, {}, std::vector<int64_t>{i})));
  } else if (a.has("value_ints")) {
    CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> i, a.get_ints("value_ints", {}));
    CNNRT_ASSIGN_OR_RETURN(value, make_constant<int64_t>(DType::i64, {static_cast<int64_t>(i.size())}, i));
  } else {
    return unsupported("string and sparse constants are not supported");
  }
  ctx.set_output_constant(0, value);
  return ok_status();
}

}  // namespace

void register_constant(OpRegistry& r) {
  OpDef def;
  def.op_type = "Constant";
  def.first_opset = 1;
  def.infer = infer_constant;
  r.add(def);
}

}  // namespace cnnrt
