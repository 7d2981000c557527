// Range (ai.onnx 11-28): start, start + delta, ... up to limit (exclusive),
// ceil((limit - start) / delta) elements (none if negative), for float,
// double, int16, int32 and int64 scalars. The length depends on the input
// values: constants (or inputs the session folds into the plan) give it.
// A plain loop: an index sequence has no oneDNN primitive.
#include <cmath>
#include <cstring>
#include <type_traits>

#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

// Above this many elements a Range is refused before any size arithmetic.
constexpr double kMaxRangeElements = 1e15;

Result<int64_t> range_length(const TensorData& start, const TensorData& limit, const TensorData& delta) {
  if (start.dtype == DType::f32 || start.dtype == DType::f64) {
    const double s = element_as_double(start, 0), l = element_as_double(limit, 0), d = element_as_double(delta, 0);
    if (d == 0) return invalid_model("delta is 0");
    const double n = std::ceil((l - s) / d);
    if (std::isnan(n) || n > kMaxRangeElements)
      return invalid_model("Range(", s, ", ", l, ", ", d, ") does not have a representable number of elements");
    return n <= 0 ? 0 : static_cast<int64_t>(n);
  }
  const __int128 s = element_as_int(start, 0), l = element_as_int(limit, 0), d = element_as_int(delta, 0);
  if (d == 0) return invalid_model("delta is 0");
  const __int128 span = l - s;
  __int128 n = span / d;  // truncated toward zero; round up when the quotient is positive
  if (span % d != 0 && (span > 0) == (d > 0)) ++n;
  if (n > static_cast<__int128>(kMaxRangeElements))
    return invalid_model("Range(", static_cast<int64_t>(s), ", ", static_cast<int64_t>(l), ", ", static_cast<int64_t>(d),
                         ") has too many elements");
  return n <= 0 ? 0 : static_cast<int64_t>(n);
}

Status infer_range(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(3, 3));
  const DType t = ctx.input_dtype(0);
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32, DType::f64, DType::i16, DType::i32, DType::i64}));
  for (size_t i = 0; i < 3; ++i) {
    if (ctx.input_dtype(i) != t)
      return invalid_model("input ", i, " has element type ", dtype_name(ctx.input_dtype(i)), ", start has ", dtype_name(t));
    const Dims& d = ctx.input_shape(i);
    if (d.size() > 1 || (d.size() == 1 && d[0] != 1))
      return invalid_model("input ", i, " must be a scalar, got shape ", dims_str(d));
  }
  const TensorData *s = ctx.input_constant(0), *l = ctx.input_constant(1), *d = ctx.input_constant(2);
  if (!s || !l || !d) {
    ctx.set_output(0, t, {kUnknownDim});
    return ok_status();
  }
  CNNRT_ASSIGN_OR_RETURN(int64_t n, range_length(*s, *l, *d));
  ctx.set_output(0, t, {n});
  return ok_status();
}

template <class T>
void fill_range(const void* start, const void* delta, void* out, int64_t n) {
  T s, d;
  std::memcpy(&s, start, sizeof s);
  std::memcpy(&d, delta, sizeof d);
  T* o = static_cast<T*>(out);
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (std::is_floating_point_v<T>)
      o[i] = static_cast<T>(static_cast<double>(s) + static_cast<double>(i) * static_cast<double>(d));
    else  // wraps like the spec's repeated addition; computed unsigned to stay defined
      o[i] = static_cast<T>(static_cast<uint64_t>(s) + static_cast<uint64_t>(i) * static_cast<uint64_t>(d));
  }
}

Status lower_range(LowerContext& ctx) {
  const int64_t n = ctx.output_dims(0)[0];
  const DType t = ctx.output_dtype(0);
  CNNRT_ASSIGN_OR_RETURN(int start, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int delta, ctx.input_plain(2));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  if (n == 0) return ok_status();
  ctx.add_kernel("range", [n, t](const KernelIO& io) {
    switch (t) {
      case DType::f32: fill_range<float>(io.in[0], io.in[1], io.out[0], n); break;
      case DType::f64: fill_range<double>(io.in[0], io.in[1], io.out[0], n); break;
      case DType::i16: fill_range<int16_t>(io.in[0], io.in[1], io.out[0], n); break;
      case DType::i32: fill_range<int32_t>(io.in[0], io.in[1], io.out[0], n); break;
      case DType::i64: fill_range<int64_t>(io.in[0], io.in[1], io.out[0], n); break;
      default: return internal_error("Range of ", dtype_name(t));
    }
    return ok_status();
  }, {start, delta}, {out});
  return ok_status();
}

}  // namespace

void register_range(OpRegistry& r) {
  OpDef def;
  def.op_type = "Range";
  def.first_opset = 11;
  def.infer = infer_range;
  def.lower = lower_range;
  r.add(def);
}

}  // namespace cnnrt
