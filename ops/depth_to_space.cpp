// DepthToSpace (ai.onnx 1-28): [N, C, H, W] -> [N, C/b², H*b, W*b], moving
// blocks of channels into b x b spatial blocks. Mode DCR (default; the
// channel index is (i*b + j)*C' + c) or, from opset 11, CRD (c*b*b + i*b +
// j). One copy between 6-D views of the input and output: a oneDNN reorder
// (a channels-last input stays channels-last), or a plain loop for types
// oneDNN lacks.
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

struct D2S {
  int64_t block = 0;
  bool crd = false;
};

Result<D2S> read_d2s(const Attributes& attrs, int opset) {
  D2S p;
  if (!attrs.has("blocksize")) return invalid_model("attribute 'blocksize' is required");
  CNNRT_ASSIGN_OR_RETURN(p.block, attrs.get_int("blocksize", 0));
  if (p.block < 1 || p.block > (int64_t{1} << 20)) return invalid_model("blocksize ", p.block, " must be positive");
  CNNRT_ASSIGN_OR_RETURN(std::string mode, attrs.get_string("mode", "DCR"));
  if (opset < 11 && attrs.has("mode")) return invalid_model("attribute 'mode' needs opset 11 or later");
  if (mode != "DCR" && mode != "CRD") return invalid_model("mode '", mode, "' is not DCR or CRD");
  p.crd = mode == "CRD";
  return p;
}

Status infer_depth_to_space(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 4, 4));
  CNNRT_ASSIGN_OR_RETURN(D2S p, read_d2s(ctx.attrs(), ctx.opset()));
  const Dims& x = ctx.input_shape(0);
  const int64_t bb = p.block * p.block;
  if (x[1] >= 0 && x[1] % bb != 0)
    return invalid_model("the input's ", x[1], " channels are not divisible by blocksize² = ", bb);
  auto scaled = [&](int64_t d) { return d < 0 ? kUnknownDim : d * p.block; };
  ctx.set_output(0, ctx.input_dtype(0), {x[0], x[1] < 0 ? kUnknownDim : x[1] / bb, scaled(x[2]), scaled(x[3])});
  return ok_status();
}

Status lower_depth_to_space(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(D2S p, read_d2s(ctx.attrs(), ctx.opset()));
  const int64_t b = p.block;
  const Dims& x = ctx.input_dims(0);
  const int64_t c_out = x[1] / (b * b);
  CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, 0));
  CNNRT_ASSIGN_OR_RETURN(auto out, output_like(ctx, 0, ctx.tensor(in.first)));
  const Dims& s = in.second.strides;
  const Dims& o = out.second.strides;
  // Dims [N, C', H, i, W, j] of both sides.
  StridedView src, dst;
  src.dims = dst.dims = {x[0], c_out, x[2], b, x[3], b};
  dst.strides = {o[0], o[1], b * o[2], o[2], b * o[3], o[3]};
  if (p.crd)
    src.strides = {s[0], b * b * s[1], s[2], b * s[1], s[3], s[1]};
  else
    src.strides = {s[0], s[1], s[2], b * c_out * s[1], s[3], c_out * s[1]};
  return add_copy(ctx, in.first, src, out.first, dst);
}

}  // namespace

void register_depth_to_space(OpRegistry& r) {
  OpDef def;
  def.op_type = "DepthToSpace";
  def.first_opset = 1;
  def.infer = infer_depth_to_space;
  def.lower = lower_depth_to_space;
  r.add(def);
}

}  // namespace cnnrt
