// Building blocks for ops that are computed by several oneDNN primitives in
// a row (Floor = round then compare-and-subtract, Erf from gelu_erf, Pow with
// a tensor exponent, numpy broadcasting where the first operand is the one
// that stretches, ...): operands with their descriptors, scalar constants,
// temporaries, materialised broadcasts, and binary/eltwise steps with
// post-op chains.
#pragma once

#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/lower_context.h"

namespace cnnrt {

// A program tensor read or written through descriptor md.
struct Operand {
  int tensor = -1;
  dnnl::memory::desc md;
  Dims dims() const { return md.dims(); }
};

// True for layouts with inner blocks (nChw8c, nChw16c, ...).
bool is_blocked(const dnnl::memory::desc& md);

// md's dims and type in channels-last order (dim 1 innermost: acdb for 4-D).
Result<dnnl::memory::desc> channels_last_md(const dnnl::memory::desc& md);

// Whether oneDNN chose its reference (unoptimised) implementation.
bool is_reference_impl(const dnnl::primitive_desc_base& pd);

// Source layouts to try, in order, for a primitive oneDNN may only have a
// reference kernel for in the layout its input is held in (bf16 pooling in
// 8-channel blocks ran at 3 ms where a jit kernel takes 0.05): the held
// layout itself, then channels-last in the same type, then both in float32.
std::vector<dnnl::memory::desc> source_layouts_to_try(const dnnl::memory::desc& held);

// make_pd(src) for the first of source_layouts_to_try(held) oneDNN has a
// non-reference kernel for; make_pd(held) if none has.
template <class MakePd>
auto with_first_jit_source(const dnnl::memory::desc& held, MakePd make_pd) -> decltype(make_pd(held)) {
  for (const dnnl::memory::desc& src : source_layouts_to_try(held)) {
    auto pd = make_pd(src);
    if (!is_reference_impl(pd)) return pd;
  }
  return make_pd(held);
}

// A row-major operand (typically a broadcast one, like the [1,C,1,1] gate of
// a squeeze-excite block) described in the dimension order of `like` (e.g.
// channels-last, or channel-blocked nChw8c), when that reads the same
// bytes: oneDNN's jit binary kernels want both sources in one format and
// otherwise fall back to a reference kernel (RegNet's gates: 8.3 ms). Returns
// the operand unchanged when the bytes would differ.
Result<Operand> in_layout_of(LowerContext& ctx, const Operand& op, const dnnl::memory::desc& like);

// One post-op of a composed step: an eltwise (alg, alpha, beta) or a binary
// op with a second operand (broadcastable to the step's output).
struct PostStep {
  dnnl::algorithm alg = dnnl::algorithm::undef;
  float alpha = 0, beta = 0;
  float scale = 1;  // eltwise: scale * alg(x)
  bool is_binary = false;
  Operand src1;

  static PostStep eltwise(dnnl::algorithm a, float alpha = 0, float beta = 0, float scale = 1) {
    return {a, alpha, beta, scale, false, {}};
  }
  static PostStep binary(dnnl::algorithm a, Operand src1) { return {a, 0, 0, 1, true, std::move(src1)}; }
};

// oneDNN dims for ONNX dims: rank 0 becomes [1].
Dims dnnl_dims(const Dims& d);

// A [1,...,1] f32 constant of `rank` dims holding v (a broadcast operand).
Operand scalar_constant(LowerContext& ctx, float v, size_t rank);

// A row-major f32 temporary of dims, alive only during this node's steps.
Result<Operand> temporary(LowerContext& ctx, const Dims& dims);

// A temporary with the same dims and layout as md.
Operand temporary_like(LowerContext& ctx, const dnnl::memory::desc& md);

// Input i read as `padded` dims (its own dims with leading 1s, rank >= 1).
// Without padding and with keep_layout, the tensor in its producer's layout;
// otherwise a row-major view.
Result<Operand> input_operand(LowerContext& ctx, size_t i, const Dims& padded, bool keep_layout);

// Input i as f32, converted by a reorder if it is an integer type oneDNN
// holds (int32, int8, uint8) or by a plain loop for those it cannot (int64,
// uint32, uint64, int16, uint16), then read as `padded` (row-major).
Result<Operand> input_as_f32(LowerContext& ctx, size_t i, const Dims& padded);

// A row-major operand stretched to `dims` (numpy broadcast) in a temporary:
// a reorder from a view with zero strides on the broadcast dims.
Result<Operand> materialize_broadcast(LowerContext& ctx, const Operand& a, const Dims& dims);

// dst = alg(src0, src1) followed by `post`. src1 (and every binary post-op
// operand) broadcasts to dst; src0 is materialised first if it does not have
// dst's dims. With node_post_ops the node's fused activations are appended
// (only for the node's last step). A chain that repeats an eltwise algorithm
// is split over in-place steps (oneDNN 2.6's jit:uni binary would apply the
// first one's parameters to both).
Status add_binary(LowerContext& ctx, dnnl::algorithm alg, Operand src0, const Operand& src1, const Operand& dst,
                  const std::vector<PostStep>& post = {}, bool node_post_ops = false);

// A fused activation that is exactly ReLU (no slope, no output scale): it
// commutes with positive scales and is batch normalization's fuse_norm_relu.
bool is_plain_relu(const PostOp& p);

// dst = alg(src) (same dims).
Status add_eltwise(LowerContext& ctx, dnnl::algorithm alg, float alpha, float beta, const Operand& src,
                   const Operand& dst);

// dst = src converted to dst's layout/type (a reorder).
Status add_reorder(LowerContext& ctx, const Operand& src, const Operand& dst);

// For an output with no elements: makes output 0 (no step) and returns
// true; oneDNN primitives cannot run on empty temporaries.
Result<bool> empty_output(LowerContext& ctx);

// Attributes for a node's internal steps: user scratchpad, no post-ops.
dnnl::primitive_attr step_attr();

}  // namespace cnnrt
