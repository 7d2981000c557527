#include "ops/common/eltwise.h"

#include <cmath>

#include "ops/common/onednn_steps.h"

namespace cnnrt {

EltwiseNode eltwise_node(const InferContext& ctx) {
  EltwiseNode e{ctx.attrs(), ctx.opset(), {}, {}};
  for (size_t i = 0; i < ctx.num_inputs(); ++i) {
    e.present.push_back(ctx.has_input(i));
    e.constants.push_back(ctx.input_constant(i));
  }
  return e;
}

EltwiseNode eltwise_node(const LowerContext& ctx) {
  EltwiseNode e{ctx.attrs(), ctx.opset(), {}, {}};
  for (size_t i = 0; i < ctx.num_inputs(); ++i) {
    e.present.push_back(ctx.has_input(i));
    e.constants.push_back(ctx.input_constant(i));
  }
  return e;
}

EltwiseNode eltwise_node(const Graph& g, const Node& n) {
  EltwiseNode e{n.attrs, n.opset, {}, {}};
  for (int v : n.inputs) {
    e.present.push_back(v >= 0);
    e.constants.push_back(v >= 0 ? g.values[v].constant.get() : nullptr);
  }
  return e;
}

Status infer_float_unary(InferContext& ctx, size_t max_inputs) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, max_inputs));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  ctx.set_output(0, DType::f32, ctx.input_shape(0));
  return ok_status();
}

Status lower_eltwise_chain(LowerContext& ctx, const EltwiseChain& chain) {
  if (chain.empty()) return internal_error("empty eltwise chain");
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, ctx.input_md_stored(0));
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, md));
  const double elements = static_cast<double>(numel(ctx.output_dims(0)));
  if (chain.size() == 1 && chain[0].scale == 1.0f) {
    const EltwiseStep& s = chain[0];
    dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, s.alg, md, s.alpha, s.beta);
    dnnl::eltwise_forward::primitive_desc pd(desc, ctx.make_attr(), ctx.engine());
    CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_inplace(0, src, pd.dst_desc()));
    ctx.add_primitive(dnnl::eltwise_forward(pd), pd,
                      {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                      elements);
    return ok_status();
  }
  // oneDNN 2.6's eltwise primitive takes no eltwise post-ops (it falls back
  // to a reference kernel that gets them wrong) and no output scale, but
  // binary does: x * 1 followed by the chain is one pass over memory at jit
  // speed.
  const Operand one = scalar_constant(ctx, 1.0f, static_cast<size_t>(md.data.ndims));
  std::vector<PostStep> post;
  for (const EltwiseStep& s : chain) post.push_back(PostStep::eltwise(s.alg, s.alpha, s.beta, s.scale));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_inplace(0, src, md));
  return add_binary(ctx, dnnl::algorithm::binary_mul, Operand{src, md}, one, Operand{dst, md}, post,
                    /*node_post_ops=*/true);
}

void append_post_ops(const EltwiseChain& chain, std::vector<PostOp>* out) {
  for (const EltwiseStep& s : chain) {
    PostOp op;
    op.kind = PostOp::Kind::eltwise;
    op.algorithm = static_cast<int>(s.alg);
    op.alpha = s.alpha;
    op.beta = s.beta;
    op.scale = s.scale;
    out->push_back(op);
  }
}

Result<float> finite_float_attr(const Attributes& attrs, const char* name, float fallback) {
  CNNRT_ASSIGN_OR_RETURN(float v, attrs.get_float(name, fallback));
  if (!std::isfinite(v)) return invalid_model("attribute ", name, " must be finite, got ", v);
  return v;
}

}  // namespace cnnrt
