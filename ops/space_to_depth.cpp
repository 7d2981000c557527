// SpaceToDepth (ai.onnx 1-28): [N, C, H, W] -> [N, C*b², H/b, W/b], moving
// each b x b spatial block into channels: mode DCR (default; channel
// (i*b + j)*C + c, the inverse of DepthToSpace in DCR mode) or, from opset
// 28, CRD (channel c*b*b + i*b + j). One copy between 6-D views: a oneDNN
// reorder (a channels-last input stays channels-last), or a plain loop for
// types oneDNN lacks.
#include <string>

#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

struct S2D {
  int64_t block = 0;
  bool crd = false;
};

Result<S2D> read_s2d(const Attributes& attrs, int opset) {
  S2D p;
  if (!attrs.has("blocksize")) return invalid_model("attribute 'blocksize' is required");
  CNNRT_ASSIGN_OR_RETURN(p.block, attrs.get_int("blocksize", 0));
  if (p.block < 1 || p.block > (int64_t{1} << 20)) return invalid_model("blocksize ", p.block, " must be positive");
  // Opset 28 added 'mode' (DepthToSpace has had it since 11).
  if (opset < 28 && attrs.has("mode")) return invalid_model("attribute 'mode' needs opset 28 or later");
  CNNRT_ASSIGN_OR_RETURN(std::string mode, attrs.get_string("mode", "DCR"));
  if (mode != "DCR" && mode != "CRD") return invalid_model("mode '", mode, "' is not DCR or CRD");
  p.crd = mode == "CRD";
  return p;
}

Status infer_space_to_depth(InferContext& ctx) {
  CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  CNNRT_RETURN_IF_ERROR(ctx.expect_rank(0, 4, 4));
  CNNRT_ASSIGN_OR_RETURN(S2D p, read_s2d(ctx.attrs(), ctx.opset()));
  const int64_t b = p.block;
  const Dims& x = ctx.input_shape(0);
  for (int k = 2; k < 4; ++k)
    if (x[k] >= 0 && x[k] % b != 0)
      return invalid_model("the input ", dims_str(x), " has spatial dim ", x[k], ", not divisible by blocksize ", b);
  auto shrunk = [&](int64_t d) { return d < 0 ? kUnknownDim : d / b; };
  ctx.set_output(0, ctx.input_dtype(0), {x[0], x[1] < 0 ? kUnknownDim : x[1] * b * b, shrunk(x[2]), shrunk(x[3])});
  return ok_status();
}

Status lower_space_to_depth(LowerContext& ctx) {
  CNNRT_ASSIGN_OR_RETURN(S2D p, read_s2d(ctx.attrs(), ctx.opset()));
  const int64_t b = p.block;
  const Dims& x = ctx.input_dims(0);
  const int64_t c = x[1], ho = x[2] / b, wo = x[3] / b;
  CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, 0));
  CNNRT_ASSIGN_OR_RETURN(auto out, output_like(ctx, 0, ctx.tensor(in.first)));
  const Dims& s = in.second.strides;
  const Dims& o = out.second.strides;
  // Dims [N, i, j, C, H', W'] of both sides.
  StridedView src, dst;
  src.dims = dst.dims = {x[0], b, b, c, ho, wo};
  src.strides = {s[0], s[2], s[3], s[1], b * s[2], b * s[3]};
  if (p.crd)
    dst.strides = {o[0], b * o[1], o[1], b * b * o[1], o[2], o[3]};
  else
    dst.strides = {o[0], b * c * o[1], c * o[1], o[1], o[2], o[3]};
  return add_copy(ctx, in.first, src, out.first, dst);
}

}  // namespace

void register_space_to_depth(OpRegistry& r) {
  OpDef def;
  def.op_type = "SpaceToDepth";
  def.first_opset = 1;
  def.infer = infer_space_to_depth;
  def.lower = lower_space_to_depth;
  r.add(def);
}

}  // namespace cnnrt
