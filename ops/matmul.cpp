// MatMul (ai.onnx 1-28): numpy.matmul on oneDNN's matmul. 1-D operands gain
// and then lose a unit dim (A [K] is [1, K], B [K] is [K, 1]); batch dims
// broadcast numpy-style. When B is a matrix, A's batch dims fold into M (one
// large product instead of many small ones). A constant B is reordered once
// into the layout matmul prefers; activations fused by the post-op pass run
// inside the matmul. An empty K gives zeros (through the same post-ops).
#include <algorithm>

#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

using tag = dnnl::memory::format_tag;

// numpy broadcast of one dim pair; -1 is unknown. False if incompatible.
bool broadcast_dim(int64_t a, int64_t b, int64_t* out) {
  if (a == 1) {
    *out = b;
  } else if (b == 1) {
    *out = a;
  } else if (a < 0) {
    *out = b;  // unknown a must be 1 or b; unknown b stays unknown
  } else if (b < 0 || a == b) {
    *out = a;
  } else {
    return false;
  }
  return true;
}

// The shapes matmul works on: A as [..., M, K], B as [..., K, N], both
// padded with leading 1s to the output's batch rank, and the output shape.
struct MatMulShape {
  Dims a, b, batch;     // batch: broadcast batch dims
  int64_t m = 1, k = 1, n = 1;
  Dims y;               // the ONNX output shape
};

Result<MatMulShape> matmul_shape(const Dims& a_in, const Dims& b_in) {
  if (a_in.empty() || b_in.empty())
    return invalid_model("MatMul needs inputs of rank 1 or more, got ", dims_str(a_in), " and ", dims_str(b_in));
  MatMulShape s;
  s.a = a_in.size() == 1 ? Dims{1, a_in[0]} : a_in;
  s.b = b_in.size() == 1 ? Dims{b_in[0], 1} : b_in;
  const size_t rank = std::max(s.a.size(), s.b.size());
  s.a.insert(s.a.begin(), rank - s.a.size(), 1);
  s.b.insert(s.b.begin(), rank - s.b.size(), 1);
  s.batch.resize(rank - 2);
  for (size_t i = 0; i + 2 < rank; ++i)
    if (!broadcast_dim(s.a[i], s.b[i], &s.batch[i]))
      return invalid_model("the batch dims of A ", dims_str(a_in), " and B ", dims_str(b_in), " do not broadcast");
  s.m = s.a[rank - 2];
  s.k = s.a[rank - 1];
  s.n = s.b[rank - 1];
  const int64_t kb = s.b[rank - 2];
  if (s.k >= 0 && kb >= 0 && s.k != kb)
    return invalid_model("A ", dims_str(a_in), " and B ", dims_str(b_in), " disagree on K (", s.k, " vs ", kb, ")");
  if (s.k < 0) s.k = kb;
  s.y = s.batch;
  if (a_in.size() > 1) s.y.push_back(s.m);
  if (b_in.size() > 1) s.y.push_back(s.n);
  return s;
}

Status infer_matmul(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, 2));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::f32}));
  CNNRT_ASSIGN_OR_RETURN(MatMulShape s, matmul_shape(ctx.input_shape(0), ctx.input_shape(1)));
  if (s.a.size() > DNNL_MAX_NDIMS)
    return unsupported("rank ", s.a.size(), " exceeds oneDNN's ", DNNL_MAX_NDIMS);
  ctx.set_output(0, DType::f32, s.y);
  return ok_status();
}

dnnl::memory::desc row_major(const Dims& dims) {
  dnnl::memory::dims strides(dims.size());
  int64_t stride = 1;
  for (size_t i = dims.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= std::max<int64_t>(dims[i], 1);
  }
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

// K = 0: every output element is an empty sum, 0 (then any fused
// activations): a binary add of zero constants carrying the post-ops.
Status lower_empty_product(LowerContext& ctx, int out) {
  const Dims& y = ctx.output_dims(0);
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc y_md, plain_md(DType::f32, y));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc one_md, plain_md(DType::f32, Dims(y_md.dims().size(), 1)));
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> zeros, TensorData::make(DType::f32, y_md.dims(), "zeros"));
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> zero, TensorData::make(DType::f32, one_md.dims(), "zero"));
  dnnl::binary::primitive_desc pd(dnnl::binary::desc(dnnl::algorithm::binary_add, y_md, one_md, y_md),
                                  ctx.make_attr(), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.view(out, y_md));
  ctx.add_primitive(dnnl::binary(pd), pd,
                    {{DNNL_ARG_SRC_0, ctx.constant(zeros, y_md)},
                     {DNNL_ARG_SRC_1, ctx.constant(zero, one_md)},
                     {DNNL_ARG_DST, dst},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    static_cast<double>(numel(y)));
  return ok_status();
}

Status lower_matmul(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(MatMulShape s, matmul_shape(ctx.input_dims(0), ctx.input_dims(1)));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  if (numel(s.y) == 0) return ok_status();  // nothing to compute
  if (s.k == 0) return lower_empty_product(ctx, out);

  // A matrix B: A's batch dims and M are one row-major [batch * M, K].
  Dims a_dims = s.a, b_dims = s.b, y_dims = s.batch;
  y_dims.push_back(s.m);
  y_dims.push_back(s.n);
  const bool b_is_matrix = std::all_of(s.b.begin(), s.b.end() - 2, [](int64_t d) { return d == 1; });
  if (b_is_matrix && s.a.size() > 2) {
    const int64_t rows = numel(s.a) / s.k;
    a_dims = {rows, s.k};
    b_dims = {s.k, s.n};
    y_dims = {rows, s.n};
  }
  const dnnl::memory::desc a_md = row_major(a_dims), b_view = row_major(b_dims), y_md = row_major(y_dims);
  const bool b_constant = ctx.input_constant(1) != nullptr;
  const dnnl::memory::desc b_md =
      b_constant ? dnnl::memory::desc(b_dims, dnnl::memory::data_type::f32, tag::any) : b_view;

  dnnl::matmul::desc desc(a_md, b_md, y_md);
  dnnl::matmul::primitive_desc pd(desc, ctx.make_attr(), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_as(0, a_md, a_md));
  CNNRT_ASSIGN_OR_RETURN(int wt, ctx.input_as(1, b_view, pd.weights_desc()));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.view(out, y_md));
  const double flops = 2.0 * static_cast<double>(numel(y_dims)) * static_cast<double>(s.k);
  ctx.add_primitive(dnnl::matmul(pd), pd,
                    {{DNNL_ARG_SRC, src},
                     {DNNL_ARG_WEIGHTS, wt},
                     {DNNL_ARG_DST, dst},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    flops);
  return ok_status();
}

}  // namespace

void register_matmul(OpRegistry& r) {
  OpDef def;
  def.op_type = "MatMul";
  def.first_opset = 1;
  def.infer = infer_matmul;
  def.lower = lower_matmul;
  def.accepts_post_ops = true;
  r.add(def);
}

}  // namespace cnnrt
