#include "ops/common/onednn_steps.h"

#include <algorithm>
#include <cstring>

#include "ops/common/broadcast.h"

namespace cnnrt {

using dt = dnnl::memory::data_type;

Dims dnnl_dims(const Dims& d) { return d.empty() ? Dims{1} : d; }

dnnl::primitive_attr step_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

Operand scalar_constant(LowerContext& ctx, float v, size_t rank) {
  const Dims ones(rank == 0 ? 1 : rank, 1);
  auto data = TensorData::make(DType::f32, ones, "scalar constant");
  // A 4-byte allocation; make() fails only on size limits.
  std::shared_ptr<TensorData> t = std::move(data).value();
  std::memcpy(t->mutable_data(), &v, sizeof v);
  const dnnl::memory::desc md = plain_md(DType::f32, ones).value();
  return {ctx.constant(t, md), md};
}

Result<Operand> temporary(LowerContext& ctx, const Dims& dims) {
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(DType::f32, dnnl_dims(dims)));
  return Operand{ctx.scratchpad(md), md};
}

Result<bool> empty_output(LowerContext& ctx) {
  if (numel(ctx.output_dims(0)) != 0) return false;
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  (void)out;
  return true;
}

Operand temporary_like(LowerContext& ctx, const dnnl::memory::desc& md) { return {ctx.scratchpad(md), md}; }

Result<Operand> input_operand(LowerContext& ctx, size_t i, const Dims& padded, bool keep_layout) {
  const Dims own = dnnl_dims(ctx.input_dims(i));
  if (keep_layout && own == padded) {
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, ctx.input_md_stored(i));
    CNNRT_ASSIGN_OR_RETURN(int t, ctx.input(i, md));
    return Operand{t, md};
  }
  CNNRT_ASSIGN_OR_RETURN(int t, ctx.input_plain(i));
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(ctx.input_dtype(i), padded));
  if (own == padded) return Operand{t, md};
  CNNRT_ASSIGN_OR_RETURN(int v, ctx.view(t, md));
  return Operand{v, md};
}

bool is_blocked(const dnnl::memory::desc& md) {
  return md.data.format_kind == dnnl_blocked && md.data.format_desc.blocking.inner_nblks > 0;
}

Result<dnnl::memory::desc> channels_last_md(const dnnl::memory::desc& md) {
  const Dims dims = md.dims();
  if (dims.size() < 3) return internal_error("channels-last needs rank 3 or more, got ", dims.size());
  dnnl::memory::dims strides(dims.size());
  int64_t stride = 1;
  strides[1] = stride;
  stride *= std::max<int64_t>(dims[1], 1);
  for (size_t d = dims.size(); d-- > 2;) {
    strides[d] = stride;
    stride *= std::max<int64_t>(dims[d], 1);
  }
  strides[0] = stride;
  return dnnl::memory::desc(dims, md.data_type(), strides);
}

bool is_reference_impl(const dnnl::primitive_desc_base& pd) {
  return std::string(pd.impl_info_str()).rfind("ref", 0) == 0;
}

std::vector<dnnl::memory::desc> source_layouts_to_try(const dnnl::memory::desc& held) {
  std::vector<dnnl::memory::desc> out = {held};
  auto nhwc = channels_last_md(held);
  if (nhwc.ok()) out.push_back(nhwc.value());
  if (held.data_type() != dt::f32) {
    const size_t n = out.size();
    for (size_t i = 0; i < n; ++i) {
      dnnl::memory::desc f = out[i];
      f.data.data_type = dnnl_f32;
      out.push_back(f);
    }
  }
  return out;
}

Result<Operand> in_layout_of(LowerContext& ctx, const Operand& op, const dnnl::memory::desc& like) {
  const dnnl_memory_desc_t& l = like.data;
  const Dims dims = op.md.dims();
  if (l.format_kind != dnnl_blocked || l.ndims != static_cast<int>(dims.size())) return op;
  const auto& blk = l.format_desc.blocking;
  if (blk.inner_nblks == 1) {
    // Channel-blocked `like` (nChw8c/16c): a vector along the blocked dim,
    // 1 everywhere else and a whole number of blocks long, has the same
    // bytes blocked or not.
    const int b = blk.inner_idxs[0];
    const int64_t block = blk.inner_blks[0];
    for (size_t d = 0; d < dims.size(); ++d)
      if (static_cast<int>(d) != b && dims[d] != 1) return op;
    if (dims[b] % block != 0) return op;
    dnnl_memory_desc_t m = l;
    for (size_t d = 0; d < dims.size(); ++d) {
      m.dims[d] = m.padded_dims[d] = dims[d];
      m.padded_offsets[d] = 0;
      m.format_desc.blocking.strides[d] = static_cast<int>(d) == b ? block : dims[b];
    }
    m.offset0 = 0;
    m.extra = dnnl_memory_extra_desc_t{};
    const dnnl::memory::desc md(m);
    if (md.get_size() != op.md.get_size()) return op;
    CNNRT_ASSIGN_OR_RETURN(int v, ctx.view(op.tensor, md));
    return Operand{v, md};
  }
  if (blk.inner_nblks != 0) return op;
  // Dims ordered from outermost to innermost in `like`.
  std::vector<int> order(dims.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return l.format_desc.blocking.strides[a] > l.format_desc.blocking.strides[b];
  });
  // Same bytes iff the dims larger than 1 keep their row-major order.
  int last = -1;
  for (int d : order) {
    if (dims[d] == 1) continue;
    if (d < last) return op;
    last = d;
  }
  dnnl::memory::dims strides(dims.size());
  int64_t stride = 1;
  for (size_t k = order.size(); k-- > 0;) {
    strides[order[k]] = stride;
    stride *= std::max<int64_t>(dims[order[k]], 1);
  }
  const dnnl::memory::desc md(dims, op.md.data_type(), strides);
  if (md == op.md) return op;
  CNNRT_ASSIGN_OR_RETURN(int v, ctx.view(op.tensor, md));
  return Operand{v, md};
}

namespace {

template <class T>
void to_float(const void* in, void* out, int64_t n) {
  const T* src = static_cast<const T*>(in);
  float* dst = static_cast<float*>(out);
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]);
}

}  // namespace

Result<Operand> input_as_f32(LowerContext& ctx, size_t i, const Dims& padded) {
  const DType type = ctx.input_dtype(i);
  if (type == DType::f32) return input_operand(ctx, i, padded, /*keep_layout=*/false);
  CNNRT_ASSIGN_OR_RETURN(Operand out, temporary(ctx, padded));
  dt dnnl_type;
  if (to_dnnl_type(type, &dnnl_type)) {
    CNNRT_ASSIGN_OR_RETURN(Operand in, input_operand(ctx, i, padded, /*keep_layout=*/false));
    CNNRT_RETURN_IF_ERROR(add_reorder(ctx, in, out));
    return out;
  }
  CNNRT_ASSIGN_OR_RETURN(int in, ctx.input_plain(i));
  const int64_t n = numel(ctx.input_dims(i));
  void (*convert)(const void*, void*, int64_t) = nullptr;
  switch (type) {
    case DType::i64: convert = to_float<int64_t>; break;
    case DType::u64: convert = to_float<uint64_t>; break;
    case DType::u32: convert = to_float<uint32_t>; break;
    case DType::i16: convert = to_float<int16_t>; break;
    case DType::u16: convert = to_float<uint16_t>; break;
    default: return unsupported("input ", i, " of type ", dtype_name(type), " cannot be converted to float");
  }
  ctx.add_kernel("to_float", [convert, n](const KernelIO& io) {
    convert(io.in[0], io.out[0], n);
    return ok_status();
  }, {in}, {out.tensor});
  return out;
}

Result<Operand> materialize_broadcast(LowerContext& ctx, const Operand& a, const Dims& dims) {
  if (!is_plain(a.md)) return internal_error("materialize_broadcast needs a row-major operand");
  const Dims in = a.dims();
  if (in.size() != dims.size()) return internal_error("materialize_broadcast: rank ", in.size(), " vs ", dims.size());
  const std::vector<int64_t> strides = broadcast_strides(in, dims);
  const dnnl::memory::desc stretched(dims, a.md.data_type(), dnnl::memory::dims(strides.begin(), strides.end()));
  CNNRT_ASSIGN_OR_RETURN(int view, ctx.view(a.tensor, stretched));
  dnnl::memory::dims plain_strides(dims.size());
  int64_t stride = 1;
  for (size_t k = dims.size(); k-- > 0;) {
    plain_strides[k] = stride;
    stride *= dims[k];
  }
  const dnnl::memory::desc md(dims, a.md.data_type(), plain_strides);
  const Operand out{ctx.scratchpad(md), md};
  CNNRT_RETURN_IF_ERROR(add_reorder(ctx, Operand{view, stretched}, out));
  return out;
}

Status add_reorder(LowerContext& ctx, const Operand& src, const Operand& dst) {
  dnnl::reorder::primitive_desc pd(ctx.engine(), src.md, ctx.engine(), dst.md, step_attr());
  ctx.add_primitive(dnnl::reorder(pd), pd,
                    {{DNNL_ARG_FROM, src.tensor},
                     {DNNL_ARG_TO, dst.tensor},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}});
  return ok_status();
}

namespace {

// Splits a post-op chain where an eltwise algorithm would appear twice in
// one primitive.
std::vector<std::vector<PostStep>> split_repeats(const std::vector<PostStep>& post) {
  std::vector<std::vector<PostStep>> parts(1);
  std::vector<dnnl::algorithm> seen;
  for (const PostStep& p : post) {
    if (!p.is_binary) {
      if (std::find(seen.begin(), seen.end(), p.alg) != seen.end()) {
        parts.emplace_back();
        seen.clear();
      }
      seen.push_back(p.alg);
    }
    parts.back().push_back(p);
  }
  return parts;
}

// src1 stretched to src0's dims and layout in a temporary (null if src1 is
// not row-major).
Result<Operand> stretched_like(LowerContext& ctx, const Operand& src1, const Operand& src0) {
  if (!is_plain(src1.md)) return Operand{};
  CNNRT_ASSIGN_OR_RETURN(Operand full, materialize_broadcast(ctx, src1, src0.dims()));
  if (is_plain(src0.md)) return full;
  const Operand laid_out = temporary_like(ctx, src0.md);
  CNNRT_RETURN_IF_ERROR(add_reorder(ctx, full, laid_out));
  return laid_out;
}

Status add_binary_step(LowerContext& ctx, dnnl::algorithm alg, const Operand& src0, Operand src1, const Operand& dst,
                       const std::vector<PostStep>& post) {
  dnnl::post_ops ops;
  for (const PostStep& p : post) {
    if (p.is_binary)
      ops.append_binary(p.alg, p.src1.md);
    else
      ops.append_eltwise(p.scale, p.alg, p.alpha, p.beta);
  }
  dnnl::primitive_attr attr = step_attr();
  if (ops.len() > 0) attr.set_post_ops(ops);
  dnnl::binary::primitive_desc pd(dnnl::binary::desc(alg, src0.md, src1.md, dst.md), attr, ctx.engine());
  // oneDNN 2.6's jit binary kernels broadcast only some ways (a scalar, per
  // channel, ...); any other broadcast runs its reference kernel at ~90
  // ns per element (ConvNeXt's LayerNorm exported before opset 17: x - mean
  // and / std over the last dim, [1,56,56,96] by [1,56,56,1], 27 ms each).
  // Stretching the small operand first costs one copy of the output's size.
  if (is_reference_impl(pd) && src1.dims() != dst.dims() && numel(dst.dims()) > 0) {
    CNNRT_ASSIGN_OR_RETURN(Operand full, stretched_like(ctx, src1, src0));
    if (full.tensor >= 0) {
      dnnl::binary::primitive_desc stretched(dnnl::binary::desc(alg, src0.md, full.md, dst.md), attr, ctx.engine());
      if (!is_reference_impl(stretched)) {
        pd = stretched;
        src1 = full;
      }
    }
  }
  std::vector<std::pair<int, int>> args = {{DNNL_ARG_SRC_0, src0.tensor},
                                           {DNNL_ARG_SRC_1, src1.tensor},
                                           {DNNL_ARG_DST, dst.tensor},
                                           {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}};
  for (size_t k = 0; k < post.size(); ++k)
    if (post[k].is_binary)
      args.push_back({DNNL_ARG_ATTR_MULTIPLE_POST_OP(static_cast<int>(k)) | DNNL_ARG_SRC_1, post[k].src1.tensor});
  ctx.add_primitive(dnnl::binary(pd), pd, std::move(args),
                    static_cast<double>(numel(dst.dims())) * static_cast<double>(1 + post.size()));
  return ok_status();
}

}  // namespace

Status add_binary(LowerContext& ctx, dnnl::algorithm alg, Operand src0, const Operand& src1, const Operand& dst,
                  const std::vector<PostStep>& post, bool node_post_ops) {
  const Dims out = dst.dims();
  if (src0.dims() != out) {
    CNNRT_ASSIGN_OR_RETURN(src0, materialize_broadcast(ctx, src0, out));
  }
  std::vector<PostStep> chain = post;
  if (node_post_ops) {
    for (const PostOp& p : ctx.post_ops()) {
      if (p.kind != PostOp::Kind::eltwise) return unsupported("a fused sum post-op is not supported here");
      chain.push_back(PostStep::eltwise(static_cast<dnnl::algorithm>(p.algorithm), p.alpha, p.beta, p.scale));
    }
  }
  const auto parts = split_repeats(chain);
  CNNRT_RETURN_IF_ERROR(add_binary_step(ctx, alg, src0, src1, dst, parts[0]));
  if (parts.size() > 1) {
    const Operand one = scalar_constant(ctx, 1.0f, out.size());
    for (size_t k = 1; k < parts.size(); ++k)
      CNNRT_RETURN_IF_ERROR(add_binary_step(ctx, dnnl::algorithm::binary_mul, dst, one, dst, parts[k]));
  }
  return ok_status();
}

bool is_plain_relu(const PostOp& p) {
  return p.kind == PostOp::Kind::eltwise && p.algorithm == static_cast<int>(dnnl::algorithm::eltwise_relu) &&
         p.alpha == 0.0f && p.scale == 1.0f;
}

Status add_eltwise(LowerContext& ctx, dnnl::algorithm alg, float alpha, float beta, const Operand& src,
                   const Operand& dst) {
  dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, alg, src.md, alpha, beta);
  dnnl::eltwise_forward::primitive_desc pd(desc, step_attr(), ctx.engine());
  if (!(pd.dst_desc() == dst.md)) {
    // eltwise writes in its source's layout; go through a temporary otherwise.
    const Operand tmp{ctx.scratchpad(pd.dst_desc()), pd.dst_desc()};
    CNNRT_RETURN_IF_ERROR(add_eltwise(ctx, alg, alpha, beta, src, tmp));
    return add_reorder(ctx, tmp, dst);
  }
  ctx.add_primitive(dnnl::eltwise_forward(pd), pd,
                    {{DNNL_ARG_SRC, src.tensor},
                     {DNNL_ARG_DST, dst.tensor},
                     {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    static_cast<double>(numel(src.dims())));
  return ok_status();
}

}  // namespace cnnrt
