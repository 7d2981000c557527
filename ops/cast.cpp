// Cast (ai.onnx 1-28): converts elements to the type `to` (a type name
// before opset 6, an ONNX type number after). Between float, float16 and
// bfloat16 (and from int8/uint8/int32 to those, or int8/uint8 to int32) it
// is a oneDNN reorder in the input's own layout, rounding to nearest even.
// Everything else is a plain loop with ONNX's (numpy's) semantics, which
// oneDNN's saturating, rounding conversions do not have: float to integer
// truncates toward zero (NaN gives 0, out-of-range values saturate), integer
// to narrower integer keeps the low bits, anything to bool is "!= 0".
// Strings are refused: cnnrt has no string tensors. A cast to the input's
// own type is the input itself.
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "ops/common/half.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "ops/common/strided.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<DType> target_type(const Attributes& attrs, int opset) {
  if (!attrs.has("to")) return invalid_model("attribute 'to' is required");
  int64_t to = 0;
  if (opset < 6) {
    CNNRT_ASSIGN_OR_RETURN(std::string name, attrs.get_string("to", ""));
    static const std::pair<const char*, DType> kNames[] = {
        {"FLOAT", DType::f32},  {"UINT8", DType::u8},      {"INT8", DType::i8},       {"UINT16", DType::u16},
        {"INT16", DType::i16},  {"INT32", DType::i32},     {"INT64", DType::i64},     {"BOOL", DType::boolean},
        {"FLOAT16", DType::f16}, {"DOUBLE", DType::f64},   {"UINT32", DType::u32},    {"UINT64", DType::u64},
        {"STRING", DType::string}, {"BFLOAT16", DType::bf16}};
    to = -1;
    for (const auto& n : kNames)
      if (name == n.first) to = static_cast<int64_t>(n.second);
    if (to < 0) return invalid_model("'to' names no ONNX type: '", name, "'");
  } else {
    CNNRT_ASSIGN_OR_RETURN(to, attrs.get_int("to", 0));
  }
  if (to == static_cast<int64_t>(DType::string))
    return unsupported("casting to string is not supported (cnnrt has no string tensors)");
  if (to < 0 || to > 64 || !dtype_is_known(static_cast<int>(to)))
    return unsupported("casting to element type ", dtype_name(static_cast<DType>(to)), " (ONNX ", to,
                       ") is not supported");
  return static_cast<DType>(to);
}

Status infer_cast(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_ASSIGN_OR_RETURN(DType to, target_type(ctx.attrs(), ctx.opset()));
  ctx.set_output(0, to, ctx.input_shape(0));
  return ok_status();
}

// Storage tags for the two 16-bit float formats.
struct F16 {
  uint16_t bits;
};
struct BF16 {
  uint16_t bits;
};

template <class T>
constexpr bool is_float_v = std::is_floating_point_v<T> || std::is_same_v<T, F16> || std::is_same_v<T, BF16>;

template <class T>
double as_double(T v) {
  if constexpr (std::is_same_v<T, F16>) return f16_to_float(v.bits);
  else if constexpr (std::is_same_v<T, BF16>) return bf16_to_float(v.bits);
  else return static_cast<double>(v);
}

// Float to integer: truncation toward zero, NaN to 0, saturation outside
// the range (undefined behaviour in C++, unspecified by ONNX).
template <class D>
D float_to_int(double v) {
  if (std::isnan(v)) return 0;
  if (v <= static_cast<double>(std::numeric_limits<D>::lowest())) return std::numeric_limits<D>::lowest();
  if (v >= static_cast<double>(std::numeric_limits<D>::max())) return std::numeric_limits<D>::max();
  return static_cast<D>(v);
}

template <class S, class D>
D convert(S v) {
  if constexpr (std::is_same_v<D, bool>) {
    if constexpr (is_float_v<S>) return as_double(v) != 0;
    else return v != 0;
  } else if constexpr (std::is_same_v<D, F16>) {
    return F16{f16_from_double(as_double(v))};
  } else if constexpr (std::is_same_v<D, BF16>) {
    return BF16{bf16_from_double(as_double(v))};
  } else if constexpr (std::is_floating_point_v<D>) {
    if constexpr (is_float_v<S>) return static_cast<D>(as_double(v));
    else return static_cast<D>(v);  // one rounding from the integer
  } else if constexpr (is_float_v<S>) {
    return float_to_int<D>(as_double(v));
  } else {
    return static_cast<D>(static_cast<uint64_t>(v));  // keep the low bits
  }
}

template <class S, class D>
void convert_all(const void* in, void* out, int64_t n) {
  const auto* s = static_cast<const uint8_t*>(in);
  auto* d = static_cast<uint8_t*>(out);
  for (int64_t i = 0; i < n; ++i) {
    S v;
    if constexpr (std::is_same_v<S, bool>)
      v = s[i] != 0;  // any non-zero byte is true
    else
      std::memcpy(&v, s + i * sizeof(S), sizeof(S));
    const D r = convert<S, D>(v);
    std::memcpy(d + i * sizeof(D), &r, sizeof(D));
  }
}

using ConvertFn = void (*)(const void*, void*, int64_t);

template <class S>
ConvertFn pick_target(DType to) {
  switch (to) {
    case DType::f32: return convert_all<S, float>;
    case DType::f64: return convert_all<S, double>;
    case DType::f16: return convert_all<S, F16>;
    case DType::bf16: return convert_all<S, BF16>;
    case DType::i8: return convert_all<S, int8_t>;
    case DType::u8: return convert_all<S, uint8_t>;
    case DType::i16: return convert_all<S, int16_t>;
    case DType::u16: return convert_all<S, uint16_t>;
    case DType::i32: return convert_all<S, int32_t>;
    case DType::u32: return convert_all<S, uint32_t>;
    case DType::i64: return convert_all<S, int64_t>;
    case DType::u64: return convert_all<S, uint64_t>;
    case DType::boolean: return convert_all<S, bool>;
    default: return nullptr;
  }
}

ConvertFn pick(DType from, DType to) {
  switch (from) {
    case DType::f32: return pick_target<float>(to);
    case DType::f64: return pick_target<double>(to);
    case DType::f16: return pick_target<F16>(to);
    case DType::bf16: return pick_target<BF16>(to);
    case DType::i8: return pick_target<int8_t>(to);
    case DType::u8: return pick_target<uint8_t>(to);
    case DType::i16: return pick_target<int16_t>(to);
    case DType::u16: return pick_target<uint16_t>(to);
    case DType::i32: return pick_target<int32_t>(to);
    case DType::u32: return pick_target<uint32_t>(to);
    case DType::i64: return pick_target<int64_t>(to);
    case DType::u64: return pick_target<uint64_t>(to);
    case DType::boolean: return pick_target<bool>(to);
    default: return nullptr;
  }
}

// Conversions whose oneDNN reorder matches ONNX exactly.
bool reorder_matches_onnx(DType from, DType to) {
  auto is_f = [](DType t) { return t == DType::f32 || t == DType::f16 || t == DType::bf16; };
  if (is_f(from) && is_f(to)) return true;
  if ((from == DType::i8 || from == DType::u8 || from == DType::i32) && is_f(to)) return true;
  return (from == DType::i8 || from == DType::u8) && to == DType::i32;
}

Status lower_cast(LowerContext& ctx) {
  const DType from = ctx.input_dtype(0), to = ctx.output_dtype(0);
  if (from == to) {
    CNNRT_ASSIGN_OR_RETURN(int src, input_any_layout(ctx, 0));
    return ctx.output_alias(0, src).status();
  }
  dnnl::memory::data_type to_type;
  if (reorder_matches_onnx(from, to) && to_dnnl_type(to, &to_type) && ctx.input_dims(0).size() <= DNNL_MAX_NDIMS &&
      numel(ctx.input_dims(0)) > 0) {
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc src_md, ctx.input_md(0));
    dnnl::memory::desc dst_md = src_md;  // the same layout in the new type
    dst_md.data.data_type = static_cast<dnnl_data_type_t>(to_type);
    // oneDNN lacks some pairs (float16 <-> bfloat16): those take the loop.
    dnnl::reorder::primitive_desc pd;
    bool accepted = true;
    try {
      pd = dnnl::reorder::primitive_desc(ctx.engine(), src_md, ctx.engine(), dst_md, ctx.make_attr());
    } catch (const dnnl::error&) {
      accepted = false;
    }
    if (accepted) {
      CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, src_md));
      CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, dst_md));
      ctx.add_primitive(dnnl::reorder(pd), pd,
                        {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}});
      return ok_status();
    }
  }
  const ConvertFn fn = pick(from, to);
  if (!fn) return unsupported("casting ", dtype_name(from), " to ", dtype_name(to), " is not supported");
  const int64_t n = numel(ctx.input_dims(0));
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_plain(0));
  if (n == 0) return ok_status();
  ctx.add_kernel("cast", [fn, n](const KernelIO& io) {
    fn(io.in[0], io.out[0], n);
    return ok_status();
  }, {src}, {dst});
  return ok_status();
}

}  // namespace

void register_cast(OpRegistry& r) {
  OpDef def;
  def.op_type = "Cast";
  def.first_opset = 1;
  def.infer = infer_cast;
  def.lower = lower_cast;
  r.add(def);
}

}  // namespace cnnrt
