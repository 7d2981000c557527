// Gemm (ai.onnx 1-28): Y = alpha * A' * B' + beta * C on oneDNN's matmul, or its
// inner product for a large transposed constant B (see below).
// Transposes are strided views (no copy); constant B is reordered once into
// matmul's preferred layout. C may have any shape broadcastable to [M, N];
// before opset 7 only with broadcast=1, and from opset 11 it is optional.
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

using tag = dnnl::memory::format_tag;

struct GemmAttrs {
  float alpha = 1, beta = 1;
  bool trans_a = false, trans_b = false;
  bool broadcast = true;
};

Result<GemmAttrs> read_gemm(const Attributes& a, int opset) {
  GemmAttrs g;
  CNNRT_ASSIGN_OR_RETURN(g.alpha, a.get_float("alpha", 1.0f));
  CNNRT_ASSIGN_OR_RETURN(g.beta, a.get_float("beta", 1.0f));
  CNNRT_ASSIGN_OR_RETURN(int64_t ta, a.get_int("transA", 0));
  CNNRT_ASSIGN_OR_RETURN(int64_t tb, a.get_int("transB", 0));
  g.trans_a = ta != 0;
  g.trans_b = tb != 0;
  if (opset < 7) {
    CNNRT_ASSIGN_OR_RETURN(int64_t b, a.get_int("broadcast", 0));
    g.broadcast = b != 0;
  }
  return g;
}

// C's shape as a rank-2 broadcast of [M, N], or an error.
Result<Dims> bias_dims(const Dims& c, int64_t m, int64_t n, bool broadcast) {
  if (c.size() > 2) return invalid_model("C ", dims_str(c), " must have rank 0, 1 or 2");
  Dims c2 = c;
  while (c2.size() < 2) c2.insert(c2.begin(), 1);
  const bool exact = c2[0] == m && c2[1] == n;
  if (!broadcast && !exact)
    return invalid_model("C ", dims_str(c), " must be [", m, ",", n, "] when broadcast is 0");
  if ((c2[0] != 1 && c2[0] != m && m >= 0) || (c2[1] != 1 && c2[1] != n && n >= 0))
    return invalid_model("C ", dims_str(c), " cannot be broadcast to [", m, ",", n, "]");
  return c2;
}

Status infer_gemm(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(ctx.opset() >= 11 ? 2 : 3, 3));
  for (size_t i = 0; i < ctx.num_inputs(); ++i)
    if (ctx.has_input(i)) CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(i, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 2, 2));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(1, 2, 2));
  CNNRT_ASSIGN_OR_RETURN(GemmAttrs g, read_gemm(ctx.attrs(), ctx.opset()));
  const Dims& a = ctx.input_shape(0);
  const Dims& b = ctx.input_shape(1);
  const int64_t m = g.trans_a ? a[1] : a[0], ka = g.trans_a ? a[0] : a[1];
  const int64_t kb = g.trans_b ? b[1] : b[0], n = g.trans_b ? b[0] : b[1];
  if (ka >= 0 && kb >= 0 && ka != kb)
    return invalid_model("A ", dims_str(a), (g.trans_a ? " (transposed)" : ""), " and B ", dims_str(b),
                         (g.trans_b ? " (transposed)" : ""), " disagree on K (", ka, " vs ", kb, ")");
  if (ctx.has_input(2)) {
    auto c2 = bias_dims(ctx.input_shape(2), m, n, g.broadcast);
    if (!c2.ok()) return c2.status();
  }
  ctx.set_output(0, DType::f32, {m, n});
  return ok_status();
}

// Row-major [rows, cols] data read as its transpose when `transposed`.
dnnl::memory::desc matrix_view(int64_t rows, int64_t cols, bool transposed) {
  if (!transposed) return dnnl::memory::desc({rows, cols}, dnnl::memory::data_type::f32, dnnl::memory::dims{cols, 1});
  return dnnl::memory::desc({cols, rows}, dnnl::memory::data_type::f32, dnnl::memory::dims{1, cols});
}

// A large constant B stored as [N, K] (transB = 1, how PyTorch exports
// nn.Linear) is read as stored by oneDNN's inner product (gemm:jit): no
// reordered copy of B, so the model holds its weights once. Over one or two
// rows that is also faster than matmul on the reordered B. oneDNN 2.6, 1
// thread, [M, K] x [K, N]: VGG's first classifier layer (K = 25088,
// N = 4096, 411 MB) 21.2 ms as stored vs 34.6 reordered at M = 1 and 21.5 vs
// 32.0 at M = 2; AlexNet's (K = 9216) 6.5 vs 9.0; K = N = 4096 3.1 vs 3.4; at
// K <= 2048, N = 1000 the same within noise. Over more rows it is slower
// but saves the copy: VGG-11 at batch 8 (M = 8) 457 -> 493 ms with a peak
// RSS of 1267 -> 813 MiB (ONNX Runtime: 1093 ms, 1002 MiB); at batch 32
// 1735 -> 1771 ms, 1538 -> 1084 MiB. The price: gemm:jit locks a mutex
// inside oneDNN on each run, only for a moment (two threads each running a
// 4 MB layer at once: 62 us per run against 57 alone), so only B large
// enough for its copy to matter takes this path and runs of every other
// layer stay lock-free (tests/stress counts the locks).
constexpr size_t kMinStoredWeightBytes = size_t{32} << 20;

Result<bool> lower_gemm_on_stored_weights(LowerContext& ctx, const GemmAttrs& g, int64_t m, int64_t n, int64_t k) {
  const TensorData* b = ctx.input_constant(1);
  if (!b || !g.trans_b || g.trans_a || b->bytes < kMinStoredWeightBytes) return false;
  if (g.alpha != 1.0f) return false;
  const bool has_c = ctx.has_input(2) && g.beta != 0.0f;
  if (has_c) {
    // Only a C that is a bias over N (inner product's bias is one row).
    CNNRT_ASSIGN_OR_RETURN(Dims c2, bias_dims(ctx.input_dims(2), m, n, g.broadcast));
    if (g.beta != 1.0f || c2[0] != 1 || c2[1] != n) return false;
  }
  const auto f32 = dnnl::memory::data_type::f32;
  const dnnl::memory::desc src_md({m, k}, f32, tag::nc), wei_md({n, k}, f32, tag::oi), dst_md({m, n}, f32, tag::nc);
  const dnnl::memory::desc bias_md({n}, f32, tag::a);
  const auto kind = dnnl::prop_kind::forward_inference;
  auto desc = has_c ? dnnl::inner_product_forward::desc(kind, src_md, wei_md, bias_md, dst_md)
                    : dnnl::inner_product_forward::desc(kind, src_md, wei_md, dst_md);
  dnnl::inner_product_forward::primitive_desc pd;
  try {
    pd = dnnl::inner_product_forward::primitive_desc(desc, ctx.make_attr(), ctx.engine());
  } catch (const dnnl::error&) {
    return false;  // e.g. a fused post-op this implementation does not take: matmul does
  }
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_as(0, src_md, src_md));
  CNNRT_ASSIGN_OR_RETURN(int wt, ctx.input_as(1, wei_md, wei_md));  // the bytes as loaded
  std::vector<std::pair<int, int>> args = {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wt}};
  if (has_c) {
    CNNRT_ASSIGN_OR_RETURN(int c, ctx.input_as(2, bias_md, bias_md));
    args.push_back({DNNL_ARG_BIAS, c});
  }
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_accumulating(0, pd.dst_desc()));
  args.push_back({DNNL_ARG_DST, dst});
  args.push_back({DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())});
  ctx.add_primitive(dnnl::inner_product_forward(pd), pd, std::move(args), 2.0 * static_cast<double>(m * n * k));
  return true;
}

Status lower_gemm(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(GemmAttrs g, read_gemm(ctx.attrs(), ctx.opset()));
  const Dims& a = ctx.input_dims(0);
  const Dims& b = ctx.input_dims(1);
  const int64_t m = ctx.output_dims(0)[0], n = ctx.output_dims(0)[1];
  const int64_t k = g.trans_a ? a[0] : a[1];
  const auto f32 = dnnl::memory::data_type::f32;
  // oneDNN's matmul divides by zero creating a primitive for an empty
  // operand (found by fuzzing: A of [0, 4]).
  if (m == 0 || n == 0) return ctx.output_plain(0).status();  // an empty output: nothing to compute
  if (k == 0) return unsupported("A ", dims_str(a), " and B ", dims_str(b), " have no inner dimension (K = 0)");

  const dnnl::memory::desc a_md = matrix_view(a[0], a[1], g.trans_a);  // [M, K]
  const dnnl::memory::desc b_view = matrix_view(b[0], b[1], g.trans_b);  // [K, N]
  CNNRT_ASSIGN_OR_RETURN(bool done, lower_gemm_on_stored_weights(ctx, g, m, n, k));
  if (done) return ok_status();
  // Otherwise a constant B is reordered once into the layout matmul asks for
  // (the model then holds B twice: as loaded and reordered).
  const bool b_constant = ctx.input_constant(1) != nullptr;
  // A bf16 session runs a product with constant B (a CNN's classifier) in
  // bfloat16 as well: B reordered to bf16 once, A's row(s) converted each
  // run, float32 accumulation, bias and Y. At one image the product reads
  // all of B for a single row, so halving B's bytes halves its time.
  const bool bf16 = b_constant && ctx.options().precision == CompileOptions::Precision::bf16;
  const auto compute = bf16 ? dnnl::memory::data_type::bf16 : f32;
  const dnnl::memory::desc b_md = b_constant ? dnnl::memory::desc({k, n}, compute, tag::any) : b_view;
  const dnnl::memory::desc a_want = bf16 ? dnnl::memory::desc({m, k}, compute, tag::ab) : a_md;
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc y_md, plain_md(DType::f32, {m, n}));

  // How C joins: as matmul's bias (alpha = beta = 1), as a binary-add
  // post-op (C pre-scaled by beta if constant), or pre-scaled at run time.
  const bool has_c = ctx.has_input(2) && g.beta != 0.0f;
  Dims c2;
  dnnl::memory::desc c_md;
  if (has_c) {
    CNNRT_ASSIGN_OR_RETURN(c2, bias_dims(ctx.input_dims(2), m, n, g.broadcast));
    CNNRT_ASSIGN_OR_RETURN(c_md, plain_md(DType::f32, c2));
  }
  const bool c_as_bias = has_c && g.alpha == 1.0f && g.beta == 1.0f;
  const bool c_as_post_op = has_c && !c_as_bias;

  dnnl::post_ops ops;
  if (c_as_post_op) ops.append_binary(dnnl::algorithm::binary_add, c_md);
  dnnl::primitive_attr attr = ctx.make_attr(ops);
  if (g.alpha != 1.0f) attr.set_output_scales(0, {g.alpha});
  auto desc = c_as_bias ? dnnl::matmul::desc(a_want, b_md, c_md, y_md) : dnnl::matmul::desc(a_want, b_md, y_md);
  dnnl::matmul::primitive_desc pd(desc, attr, ctx.engine());

  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_as(0, a_md, a_want));
  CNNRT_ASSIGN_OR_RETURN(int wt, ctx.input_as(1, b_view, pd.weights_desc()));
  int c = -1;
  if (has_c) {
    if (g.beta == 1.0f) {
      CNNRT_ASSIGN_OR_RETURN(c, ctx.input_as(2, c_md, c_md));
    } else if (const TensorData* cdata = ctx.input_constant(2)) {
      CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> scaled, TensorData::make(DType::f32, c2, "beta * C"));
      float* out = reinterpret_cast<float*>(scaled->mutable_data());
      for (int64_t i = 0; i < cdata->count(); ++i) out[i] = g.beta * cdata->as<float>()[i];
      c = ctx.constant(scaled, c_md);
    } else {
      // beta * C computed each run into a temporary, then added.
      CNNRT_ASSIGN_OR_RETURN(int c_in, ctx.input_as(2, c_md, c_md));
      c = ctx.scratchpad(c_md);
      dnnl::eltwise_forward::desc sd(dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_linear, c_md,
                                     g.beta, 0.0f);
      dnnl::primitive_attr sattr;
      sattr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
      dnnl::eltwise_forward::primitive_desc spd(sd, sattr, ctx.engine());
      ctx.add_primitive(dnnl::eltwise_forward(spd), spd, {{DNNL_ARG_SRC, c_in}, {DNNL_ARG_DST, c}},
                        static_cast<double>(numel(c2)));
    }
  }
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_accumulating(0, pd.dst_desc()));
  std::vector<std::pair<int, int>> args = {{DNNL_ARG_SRC, src},
                                           {DNNL_ARG_WEIGHTS, wt},
                                           {DNNL_ARG_DST, dst},
                                           {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}};
  if (c_as_bias) args.push_back({DNNL_ARG_BIAS, c});
  if (c_as_post_op) args.push_back({DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, c});
  ctx.add_primitive(dnnl::matmul(pd), pd, std::move(args), 2.0 * static_cast<double>(m * n * k));
  return ok_status();
}

}  // namespace

void register_gemm(OpRegistry& r) {
  OpDef def;
  def.op_type = "Gemm";
  def.first_opset = 1;
  def.infer = infer_gemm;
  def.lower = lower_gemm;
  def.accepts_post_ops = true;
  def.accepts_sum_post_op = true;
  r.add(def);
}

}  // namespace cnnrt
