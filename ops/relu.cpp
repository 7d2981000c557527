// Relu (ai.onnx 1-28): max(x, 0) on oneDNN's eltwise, in place when nothing
// else reads the input, and fused into a preceding Conv or Gemm as a post-op.
#include "runtime/infer_context.h"
#include "runtime/lower_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

Status infer_relu(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(0, {DType::f32}));
  ctx.set_output(0, DType::f32, ctx.input_shape(0));
  return ok_status();
}

Status lower_relu(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, ctx.input_md_stored(0));
  dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::eltwise_relu, md, 0.0f);
  dnnl::eltwise_forward::primitive_desc pd(desc, ctx.make_attr(), ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_inplace(0, src, pd.dst_desc()));
  ctx.add_primitive(dnnl::eltwise_forward(pd), pd,
                    {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    static_cast<double>(numel(ctx.output_dims(0))));
  return ok_status();
}

bool relu_as_post_op(const Graph&, const Node&, std::vector<PostOp>* out) {
  PostOp op;
  op.kind = PostOp::Kind::eltwise;
  op.algorithm = static_cast<int>(dnnl::algorithm::eltwise_relu);
  out->push_back(op);
  return true;
}

}  // namespace

void register_relu(OpRegistry& r) {
  OpDef def;
  def.op_type = "Relu";
  def.first_opset = 1;
  def.infer = infer_relu;
  def.lower = lower_relu;
  def.as_post_op = relu_as_post_op;
  r.add(def);
}

}  // namespace cnnrt
