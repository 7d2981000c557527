#include "ops/common/strided.h"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace cnnrt {
namespace {

// Same copy with dims of size 1 dropped and neighbouring dims merged where
// both views are contiguous across them: fewer, longer loops, and a rank
// oneDNN accepts more often.
void simplify(Dims& dims, Dims& ss, Dims& ds) {
  Dims d, s, t;
  for (size_t k = 0; k < dims.size(); ++k) {
    if (dims[k] == 1) continue;
    if (!d.empty() && s.back() == ss[k] * dims[k] && t.back() == ds[k] * dims[k]) {
      d.back() *= dims[k];
      s.back() = ss[k];
      t.back() = ds[k];
      continue;
    }
    d.push_back(dims[k]);
    s.push_back(ss[k]);
    t.push_back(ds[k]);
  }
  if (d.empty()) {
    d = {1};
    s = {1};
    t = {1};
  }
  dims = std::move(d);
  ss = std::move(s);
  ds = std::move(t);
}

struct CopyPlan {
  Dims dims, ss, ds;
  int64_t soff = 0, doff = 0;
};

// One element moved as raw bytes (memcpy of a fixed size compiles to a
// single load and store and respects aliasing rules).
template <size_t N>
void copy_elements(const CopyPlan& p, const uint8_t* src, uint8_t* dst) {
  const size_t r = p.dims.size();
  const int64_t inner = p.dims[r - 1], si = p.ss[r - 1], di = p.ds[r - 1];
  int64_t outer = 1;
  for (size_t k = 0; k + 1 < r; ++k) outer *= p.dims[k];
  std::vector<int64_t> idx(r, 0);
  int64_t so = p.soff, dof = p.doff;
  for (int64_t o = 0; o < outer; ++o) {
    if (si == 1 && di == 1) {
      std::memcpy(dst + dof * N, src + so * N, static_cast<size_t>(inner) * N);
    } else {
      for (int64_t j = 0; j < inner; ++j) std::memcpy(dst + (dof + j * di) * N, src + (so + j * si) * N, N);
    }
    for (size_t k = r - 1; k-- > 0;) {
      so += p.ss[k];
      dof += p.ds[k];
      if (++idx[k] < p.dims[k]) break;
      so -= p.ss[k] * p.dims[k];
      dof -= p.ds[k] * p.dims[k];
      idx[k] = 0;
    }
  }
}

Kernel copy_kernel(CopyPlan plan, size_t esize) {
  return [plan, esize](const KernelIO& io) {
    const auto* src = static_cast<const uint8_t*>(io.in[0]);
    auto* dst = static_cast<uint8_t*>(io.out[0]);
    switch (esize) {
      case 1: copy_elements<1>(plan, src, dst); break;
      case 2: copy_elements<2>(plan, src, dst); break;
      case 4: copy_elements<4>(plan, src, dst); break;
      case 8: copy_elements<8>(plan, src, dst); break;
      default: return internal_error("no copy for ", esize, "-byte elements");
    }
    return ok_status();
  };
}

dnnl::memory::desc strided_md(dnnl::memory::data_type type, const Dims& dims, const Dims& strides, int64_t offset) {
  dnnl::memory::desc md(dims, type, strides);
  md.data.offset0 = offset;
  return md;
}

}  // namespace

Dims row_major_strides(const Dims& dims) {
  Dims s(dims.size());
  int64_t stride = 1;
  for (size_t k = dims.size(); k-- > 0;) {
    s[k] = stride;
    stride *= std::max<int64_t>(dims[k], 1);
  }
  return s;
}

StridedView row_major_view(const Dims& dims) {
  StridedView v;
  v.dims = dims.empty() ? Dims{1} : dims;
  v.strides = row_major_strides(v.dims);
  return v;
}

bool is_row_major(const StridedView& v) {
  if (v.offset != 0) return false;
  int64_t stride = 1;
  for (size_t k = v.dims.size(); k-- > 0;) {
    if (v.dims[k] == 1) continue;
    if (v.strides[k] != stride) return false;
    stride *= v.dims[k];
  }
  return true;
}

bool strides_of(const ProgTensor& t, Dims* strides) {
  if (!t.has_md) {
    *strides = row_major_strides(t.dims.empty() ? Dims{1} : t.dims);
    return true;
  }
  const dnnl_memory_desc_t& c = t.md.data;
  if (c.format_kind != dnnl_blocked || c.format_desc.blocking.inner_nblks != 0 || c.offset0 != 0) return false;
  strides->assign(c.format_desc.blocking.strides, c.format_desc.blocking.strides + c.ndims);
  return true;
}

Result<int> input_any_layout(LowerContext& ctx, size_t i) {
  dnnl::memory::data_type type;
  if (to_dnnl_type(ctx.input_dtype(i), &type)) {
    auto md = ctx.input_md(i);
    if (md.ok()) return ctx.input(i, md.value());
  }
  return ctx.input_plain(i);
}

Result<std::pair<int, StridedView>> input_strided(LowerContext& ctx, size_t i) {
  int t = -1;
  dnnl::memory::data_type type;
  if (to_dnnl_type(ctx.input_dtype(i), &type)) {
    auto md = ctx.input_md(i);
    if (md.ok()) {
      CNNRT_ASSIGN_OR_RETURN(t, ctx.input(i, md.value()));
    }
  }
  StridedView v;
  v.dims = ctx.input_dims(i).empty() ? Dims{1} : ctx.input_dims(i);
  if (t < 0 || !strides_of(ctx.tensor(t), &v.strides)) {
    CNNRT_ASSIGN_OR_RETURN(t, ctx.input_plain(i));
    v.strides = row_major_strides(v.dims);
  }
  return std::make_pair(t, v);
}

Result<std::pair<int, StridedView>> output_row_major(LowerContext& ctx, size_t i) {
  CNNRT_ASSIGN_OR_RETURN(int t, ctx.output_plain(i));
  return std::make_pair(t, row_major_view(ctx.output_dims(i)));
}

Result<std::pair<int, StridedView>> output_like(LowerContext& ctx, size_t i, const ProgTensor& like) {
  const Dims& dims = ctx.output_dims(i);
  Dims like_strides;
  dnnl::memory::data_type type;
  const bool keep = like.has_md && !is_plain(like.md) && strides_of(like, &like_strides) &&
                    like_strides.size() == dims.size() && !dims.empty() &&
                    to_dnnl_type(ctx.output_dtype(i), &type);
  if (!keep) return output_row_major(ctx, i);
  // The dims from outermost to innermost as `like` stores them; ties (size-1
  // dims) keep their logical order.
  std::vector<size_t> order(dims.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return like_strides[a] > like_strides[b]; });
  StridedView v;
  v.dims = dims;
  v.strides.assign(dims.size(), 0);
  int64_t stride = 1;
  for (size_t k = order.size(); k-- > 0;) {
    v.strides[order[k]] = stride;
    stride *= std::max<int64_t>(dims[order[k]], 1);
  }
  CNNRT_ASSIGN_OR_RETURN(int t, ctx.output(i, dnnl::memory::desc(dims, type, v.strides)));
  return std::make_pair(t, v);
}

Status add_copy(LowerContext& ctx, int src, const StridedView& sv, int dst, const StridedView& dv) {
  if (sv.dims != dv.dims || sv.strides.size() != sv.dims.size() || dv.strides.size() != dv.dims.size())
    return internal_error("add_copy: views of ", dims_str(sv.dims), " and ", dims_str(dv.dims), " do not match");
  if (ctx.tensor(src).dtype != ctx.tensor(dst).dtype)
    return internal_error("add_copy: ", dtype_name(ctx.tensor(src).dtype), " to ", dtype_name(ctx.tensor(dst).dtype));
  for (int64_t d : sv.dims)
    if (d == 0) return ok_status();
  CopyPlan p{sv.dims, sv.strides, dv.strides, sv.offset, dv.offset};
  simplify(p.dims, p.ss, p.ds);

  const DType dtype = ctx.tensor(src).dtype;
  dnnl::memory::data_type type;
  const bool non_negative = std::all_of(p.ss.begin(), p.ss.end(), [](int64_t s) { return s >= 0; }) &&
                            std::all_of(p.ds.begin(), p.ds.end(), [](int64_t s) { return s >= 0; });
  if (to_dnnl_type(dtype, &type) && non_negative && p.dims.size() <= DNNL_MAX_NDIMS) {
    // oneDNN also refuses strides where a dim's extent passes the next
    // outer stride (a strided slice of a channels-last tensor can): those
    // copies take the plain loop below.
    dnnl::memory::desc smd, dmd;
    dnnl::reorder::primitive_desc pd;
    bool accepted = true;
    // The offsets go to the views' byte offsets, not the descriptors:
    // oneDNN 2.6 copies any descriptor with an offset0 through its generic
    // 'simple' reorder, one index computation per element. The second half
    // of ShuffleNet V2's channel split (a 45,472-float contiguous copy) took
    // 0.14 ms that way, 20x its first half (offset 0).
    try {
      smd = strided_md(type, p.dims, p.ss, 0);
      dmd = strided_md(type, p.dims, p.ds, 0);
      pd = dnnl::reorder::primitive_desc(ctx.engine(), smd, ctx.engine(), dmd, ctx.make_attr());
    } catch (const dnnl::error&) {
      accepted = false;
    }
    if (accepted) {
      const size_t esize = dtype_size(dtype);
      CNNRT_ASSIGN_OR_RETURN(int from, ctx.view(src, smd, static_cast<size_t>(p.soff) * esize));
      CNNRT_ASSIGN_OR_RETURN(int to, ctx.view(dst, dmd, static_cast<size_t>(p.doff) * esize));
      ctx.add_primitive(dnnl::reorder(pd), pd,
                        {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}});
      return ok_status();
    }
  }
  ctx.add_kernel("strided_copy", copy_kernel(std::move(p), dtype_size(dtype)), {src}, {dst});
  return ok_status();
}

Status add_fill(LowerContext& ctx, int value, int dst, const StridedView& dv) {
  StridedView sv;
  sv.dims = dv.dims;
  sv.strides.assign(dv.dims.size(), 0);
  return add_copy(ctx, value, sv, dst, dv);
}

}  // namespace cnnrt
