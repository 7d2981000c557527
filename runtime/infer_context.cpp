#include "runtime/infer_context.h"

#include <algorithm>

namespace cnnrt {

void InferContext::set_output(size_t i, DType dtype, Dims shape) {
  if (!has_output(i)) return;
  Value& v = g_.values[n_.outputs[i]];
  v.dtype = dtype;
  v.shape = std::move(shape);
  v.has_shape = true;
  if (i < unknown_rank_.size()) unknown_rank_[i] = false;
}

void InferContext::set_output_constant(size_t i, TensorPtr data) {
  if (!has_output(i)) return;
  set_output(i, data->dtype, data->dims);
  g_.values[n_.outputs[i]].constant = std::move(data);
}

void InferContext::set_output_unknown_rank(size_t i, DType dtype) {
  if (!has_output(i)) return;
  Value& v = g_.values[n_.outputs[i]];
  v.dtype = dtype;
  v.shape.clear();
  v.has_shape = false;
  v.constant.reset();
  if (unknown_rank_.size() <= i) unknown_rank_.resize(i + 1, false);
  unknown_rank_[i] = true;
}

bool InferContext::output_rank_unknown(size_t i) const { return i < unknown_rank_.size() && unknown_rank_[i]; }

Status InferContext::expect_input_count(size_t min, size_t max) const {
  size_t present = 0;
  for (size_t i = 0; i < n_.inputs.size(); ++i)
    if (n_.inputs[i] >= 0) present = i + 1;
  if (present < min || n_.inputs.size() > max) {
    if (min == max) return invalid_model("expects ", min, " input", min == 1 ? "" : "s", ", got ", n_.inputs.size());
    return invalid_model("expects ", min, " to ", max, " inputs, got ", n_.inputs.size());
  }
  for (size_t i = 0; i < min; ++i)
    if (n_.inputs[i] < 0) return invalid_model("required input ", i, " is missing");
  return ok_status();
}

Status InferContext::expect_dtype(size_t i, std::initializer_list<DType> allowed) const {
  const DType t = input_dtype(i);
  if (std::find(allowed.begin(), allowed.end(), t) != allowed.end()) return ok_status();
  std::string names;
  for (DType a : allowed) names += (names.empty() ? "" : ", ") + dtype_name(a);
  return unsupported("input ", i, " ('", value(i).name, "') has element type ", dtype_name(t),
                     "; supported: ", names);
}

Status InferContext::expect_rank(size_t i, int64_t min, int64_t max) const {
  const int64_t r = input_rank(i);
  if (r >= min && r <= max) return ok_status();
  if (min == max)
    return invalid_model("input ", i, " ('", value(i).name, "') must have rank ", min, ", got shape ",
                         dims_str(input_shape(i)));
  return invalid_model("input ", i, " ('", value(i).name, "') must have rank ", min, " to ", max, ", got shape ",
                       dims_str(input_shape(i)));
}

Status InferContext::expect_constant(size_t i, const char* what) const {
  if (input_constant(i)) return ok_status();
  return unsupported("input ", i, " (", what, ", '", value(i).name,
                     "') must be a constant or computable from the input shapes");
}

Result<int64_t> normalize_axis(int64_t axis, int64_t rank, const char* what) {
  if (axis < -rank || axis >= rank)
    return invalid_model(what, " ", axis, " is out of range for rank ", rank);
  return axis < 0 ? axis + rank : axis;
}

}  // namespace cnnrt
