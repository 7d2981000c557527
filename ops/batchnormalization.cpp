// BatchNormalization (ai.onnx 1-28), inference mode: y = scale * (x - mean)
// / sqrt(var + epsilon) + B per channel (dim 1), on oneDNN's
// batch_normalization with the given statistics (use_global_stats) and
// separate scale and shift. X keeps the layout it arrives in.
//
// Training is refused: training_mode=1 (opset 14+), or any of the running /
// saved statistics outputs being read. Before opset 7 a model that leaves
// is_test at 0 but reads only Y runs with its running statistics, as every
// inference runtime does. spatial=0 (opsets before 9) with statistics per
// element rather than per channel is refused.
//
// A following activation fuses into it (accepts_post_ops): a Relu into the
// normalization pass itself, others as eltwise steps after it.
//
// Most BatchNormalization nodes never get here: the load-time pass in
// runtime/passes/fold_batchnorm.cpp folds them into the preceding Conv or
// Gemm when the parameters are constant.
#include <cmath>

#include "ops/common/onednn_steps.h"
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Result<float> read_epsilon(const Attributes& attrs) {
  CNNRT_ASSIGN_OR_RETURN(float eps, attrs.get_float("epsilon", 1e-5f));
  if (!(eps >= 0.0f) || !std::isfinite(eps)) return invalid_model("epsilon must be finite and >= 0, got ", eps);
  return eps;
}

Status infer_batchnorm(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(5, 5));
  for (size_t i = 0; i < 5; ++i) CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(i, {DType::f32}));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 2, 12));
  CNNRT_ASSIGN_OR_RETURN(float eps, read_epsilon(ctx.attrs()));
  (void)eps;
  if (ctx.opset() >= 14) {
    CNNRT_ASSIGN_OR_RETURN(int64_t training, ctx.attrs().get_int("training_mode", 0));
    if (training != 0) return unsupported("training mode (training_mode=1) is not supported, only inference");
  }
  for (size_t k = 1; k < ctx.num_outputs(); ++k)
    if (ctx.has_output(k))
      return unsupported("output ", k, " (running or saved statistics) is only computed in training mode, which is "
                         "not supported");
  const Dims& x = ctx.input_shape(0);
  const int64_t c = x[1];
  const char* names[] = {"", "scale", "B", "mean", "var"};
  for (size_t i = 1; i < 5; ++i) {
    const Dims& p = ctx.input_shape(i);
    if (p.size() != 1) {
      CNNRT_ASSIGN_OR_RETURN(int64_t spatial, ctx.attrs().get_int("spatial", 1));
      if (ctx.opset() < 9 && spatial == 0)
        return unsupported("spatial=0 with per-element statistics (", names[i], " ", dims_str(p),
                           ") is not supported");
      return invalid_model(names[i], " must have shape [C], got ", dims_str(p));
    }
    if (p[0] != c && p[0] >= 0 && c >= 0)
      return invalid_model(names[i], " ", dims_str(p), " does not match the input's ", c, " channels");
  }
  ctx.set_output(0, DType::f32, x);
  return ok_status();
}

Status lower_batchnorm(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(float eps, read_epsilon(ctx.attrs()));
  const Dims& x = ctx.input_dims(0);
  CNNRT_ASSIGN_OR_RETURN(bool empty, empty_output(ctx));
  if (empty) return ok_status();
  // oneDNN normalises ranks 3 to 5 in any layout; other ranks are seen as
  // [N, C, rest] (the same row-major bytes).
  Operand src;
  const bool viewed = x.size() < 3 || x.size() > 5;
  if (!viewed) {
    CNNRT_ASSIGN_OR_RETURN(src, input_operand(ctx, 0, x, /*keep_layout=*/true));
  } else {
    int64_t rest = 1;
    for (size_t i = 2; i < x.size(); ++i) rest *= x[i];
    CNNRT_ASSIGN_OR_RETURN(int t, ctx.input_plain(0));
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(DType::f32, {x[0], x[1], rest}));
    CNNRT_ASSIGN_OR_RETURN(int v, ctx.view(t, md));
    src = Operand{v, md};
  }
  // oneDNN 2.6's batch normalization takes no post-ops, but a Relu folds
  // into its pass (fuse_norm_relu); any other fused activation runs after
  // it, in place. DenseNet's BN + Relu before each layer (in one process,
  // 40 alternating runs, batch 1, 1 thread): 0.982x and 0.995x the p50 of a
  // separate Relu pass. (Tried before blocked 1x1 convolutions took the
  // result directly, it lost: the reorder after it ran 5x slower.)
  const std::vector<PostOp>& post = ctx.post_ops();
  const bool relu_in_pass = post.size() == 1 && is_plain_relu(post[0]);
  auto flags = dnnl::normalization_flags::use_global_stats | dnnl::normalization_flags::use_scale |
               dnnl::normalization_flags::use_shift;
  if (relu_in_pass) flags = flags | dnnl::normalization_flags::fuse_norm_relu;
  dnnl::batch_normalization_forward::desc desc(dnnl::prop_kind::forward_inference, src.md, eps, flags);
  dnnl::batch_normalization_forward::primitive_desc pd(desc, step_attr(), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc channel_md, plain_md(DType::f32, {x[1]}));
  int params[4];
  for (size_t i = 1; i < 5; ++i) {
    CNNRT_ASSIGN_OR_RETURN(params[i - 1], ctx.input(i, channel_md));
  }
  int dst = -1;
  if (viewed) {
    // The [N, C, rest] view: write the row-major output through the same view.
    CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.view(out, src.md));
  } else {
    CNNRT_ASSIGN_OR_RETURN(dst, ctx.output_inplace(0, src.tensor, pd.dst_desc()));
  }
  ctx.add_primitive(dnnl::batch_normalization_forward(pd), pd,
                    {{DNNL_ARG_SRC, src.tensor},
                     {DNNL_ARG_SCALE, params[0]},
                     {DNNL_ARG_SHIFT, params[1]},
                     {DNNL_ARG_MEAN, params[2]},
                     {DNNL_ARG_VARIANCE, params[3]},
                     {DNNL_ARG_DST, dst},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    2.0 * static_cast<double>(numel(x)));
  if (relu_in_pass) return ok_status();
  const Operand out{dst, pd.dst_desc()};
  for (const PostOp& p : post) {
    CNNRT_RETURN_IF_ERROR(add_eltwise(ctx, static_cast<dnnl::algorithm>(p.algorithm), p.alpha, p.beta, out, out));
    if (p.scale != 1.0f)  // scale * alg(x)
      CNNRT_RETURN_IF_ERROR(add_eltwise(ctx, dnnl::algorithm::eltwise_linear, p.scale, 0.0f, out, out));
  }
  return ok_status();
}

}  // namespace

void register_batchnormalization(OpRegistry& r) {
  OpDef def;
  def.op_type = "BatchNormalization";
  def.first_opset = 1;
  def.infer = infer_batchnorm;
  def.lower = lower_batchnorm;
  def.accepts_post_ops = true;
  r.add(def);
}

}  // namespace cnnrt
