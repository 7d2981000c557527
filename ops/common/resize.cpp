#include "ops/common/resize.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "runtime/lower_context.h"

namespace cnnrt {
namespace {

using Mode = ResizeParams::Mode;

// One output position's sources: input index -> weight.
using Taps = std::map<int64_t, float>;

// Where output coordinate x of an axis lies in the input, computed in float
// exactly as ONNX Runtime does.
float original_coordinate(const std::string& mode, int64_t x, int64_t in, int64_t out, float scale) {
  const float xf = static_cast<float>(x), in_f = static_cast<float>(in), out_f = static_cast<float>(out);
  if (mode == "asymmetric") return xf / scale;
  if (mode == "align_corners") return out == 1 ? 0.0f : xf * (in_f - 1) / (out_f - 1);
  if (mode == "pytorch_half_pixel") return out > 1 ? (xf + 0.5f) / scale - 0.5f : 0.0f;
  if (mode == "tf_half_pixel_for_nn") return (xf + 0.5f) / scale;
  if (mode == "half_pixel_symmetric") {
    const float adjustment = out_f / (scale * in_f);
    const float offset = in_f / 2 * (1 - adjustment);
    return offset + (xf + 0.5f) / scale - 0.5f;
  }
  return (xf + 0.5f) / scale - 0.5f;  // half_pixel
}

int64_t nearest_index(const std::string& mode, float x, bool downsampling) {
  if (mode == "round_prefer_ceil") return static_cast<int64_t>(std::round(x));
  if (mode == "floor") return static_cast<int64_t>(std::floor(x));
  if (mode == "ceil") return static_cast<int64_t>(std::ceil(x));
  if (mode == "simple") return downsampling ? static_cast<int64_t>(std::ceil(x)) : static_cast<int64_t>(x);
  // round_prefer_floor: halves go down
  if (x == static_cast<float>(static_cast<int64_t>(x)) + 0.5f) return static_cast<int64_t>(std::floor(x));
  return static_cast<int64_t>(std::round(x));
}

std::vector<float> cubic_coefficients(float s, float a) {
  const float t = std::fabs(s);
  return {((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
          ((a + 2) * t - (a + 3)) * t * t + 1,
          ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
          ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a};
}

int64_t clamp_index(int64_t i, int64_t in) { return std::min(std::max<int64_t>(i, 0), in - 1); }

// ONNX's taps for every output position of one axis.
std::vector<Taps> onnx_taps(const ResizeParams& p, int64_t in, int64_t out, float scale) {
  std::vector<Taps> taps(static_cast<size_t>(out));
  for (int64_t x = 0; x < out; ++x) {
    const float xo = original_coordinate(p.coordinate_mode, x, in, out, scale);
    Taps& t = taps[static_cast<size_t>(x)];
    if (p.mode == Mode::nearest) {
      t[clamp_index(nearest_index(p.nearest_mode, xo, scale < 1.0f), in)] = 1.0f;
    } else if (p.mode == Mode::linear) {
      const float xc = std::max(0.0f, std::min(xo, static_cast<float>(in - 1)));
      const int64_t x1 = std::min(static_cast<int64_t>(xc), in - 1), x2 = std::min(x1 + 1, in - 1);
      if (x1 == x2) {
        t[x1] = 1.0f;
      } else {
        t[x1] += std::fabs(xc - static_cast<float>(x2));
        t[x2] += std::fabs(xc - static_cast<float>(x1));
      }
    } else {
      const int64_t xi = static_cast<int64_t>(std::floor(xo));
      std::vector<float> c = cubic_coefficients(xo - static_cast<float>(xi), p.cubic_a);
      if (p.exclude_outside) {
        float sum = 0;
        for (int i = 0; i < 4; ++i) {
          const int64_t idx = xi - 1 + i;
          if (idx < 0 || idx >= in) c[i] = 0;
          sum += c[i];
        }
        for (float& v : c) v /= sum;
      }
      for (int i = 0; i < 4; ++i) t[clamp_index(xi - 1 + i, in)] += c[i];
    }
  }
  return taps;
}

// What oneDNN's resampling computes for one axis (its reference formulas,
// which its jitted kernels share): half-pixel centres with the size ratio.
std::vector<Taps> onednn_taps(bool nearest, int64_t in, int64_t out) {
  std::vector<Taps> taps(static_cast<size_t>(out));
  for (int64_t y = 0; y < out; ++y) {
    const float s = (static_cast<float>(y) + 0.5f) * static_cast<float>(in) / static_cast<float>(out) - 0.5f;
    Taps& t = taps[static_cast<size_t>(y)];
    if (nearest) {
      t[static_cast<int64_t>(std::roundf(s))] = 1.0f;
      continue;
    }
    const int64_t left = std::max<int64_t>(static_cast<int64_t>(s), 0);
    const int64_t ceil = s < 0 ? 0 : (static_cast<float>(static_cast<int64_t>(s)) == s ? static_cast<int64_t>(s)
                                                                                         : static_cast<int64_t>(s) + 1);
    const int64_t right = std::min(ceil, in - 1);
    const float w1 = std::fabs(s - static_cast<float>(left));
    t[left] += 1.0f - w1;
    t[right] += w1;
  }
  return taps;
}

bool same_taps(const std::vector<Taps>& a, const std::vector<Taps>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    // Compare as weight vectors: zero weights may be listed on one side only.
    std::map<int64_t, float> diff = a[i];
    for (const auto& [k, w] : b[i]) diff[k] -= w;
    for (const auto& kv : diff)
      if (std::fabs(kv.second) > 1e-6f) return false;
  }
  return true;
}

bool is_identity(const std::vector<Taps>& taps) {
  for (size_t i = 0; i < taps.size(); ++i) {
    const auto it = taps[i].find(static_cast<int64_t>(i));
    if (it == taps[i].end() || std::fabs(it->second - 1.0f) > 1e-6f) return false;
    for (const auto& kv : taps[i])
      if (kv.first != static_cast<int64_t>(i) && std::fabs(kv.second) > 1e-6f) return false;
  }
  return true;
}

// Channels-last tag for 1 to 3 spatial dims.
dnnl::memory::format_tag channels_last(size_t rank) {
  using tag = dnnl::memory::format_tag;
  return rank == 3 ? tag::acb : rank == 4 ? tag::acdb : tag::acdeb;
}

Status lower_resampling(LowerContext& ctx, bool nearest) {
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc src_md, ctx.input_md(0));
  // oneDNN's linear resampling vectorises over channels: on a row-major
  // input it is ~15x slower (256x64x64 -> 128x128, one thread: 11.5 ms vs
  // 0.7 ms in NHWC), more than reorders to channels-last and back cost
  // (1.1 + 5 ms). Nearest is only 2.1 ms row-major: it keeps its layout.
  if (!nearest && is_plain(src_md))
    src_md = dnnl::memory::desc(src_md.dims(), src_md.data_type(), channels_last(src_md.dims().size()));
  const dnnl::memory::desc dst_any(ctx.output_dims(0), dnnl::memory::data_type::f32, dnnl::memory::format_tag::any);
  const auto alg = nearest ? dnnl::algorithm::resampling_nearest : dnnl::algorithm::resampling_linear;
  dnnl::resampling_forward::primitive_desc pd(
      dnnl::resampling_forward::desc(dnnl::prop_kind::forward_inference, alg, src_md, dst_any), ctx.make_attr(),
      ctx.engine());
  CNNRT_ASSIGN_OR_RETURN(int src, ctx.input(0, pd.src_desc()));
  CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output(0, pd.dst_desc()));
  ctx.add_primitive(dnnl::resampling_forward(pd), pd,
                    {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                    static_cast<double>(numel(ctx.output_dims(0))) * (nearest ? 1 : 4));
  return ok_status();
}

dnnl::memory::desc row_major(const Dims& dims) {
  dnnl::memory::dims strides(dims.size());
  int64_t s = 1;
  for (size_t i = dims.size(); i-- > 0;) {
    strides[i] = s;
    s *= std::max<int64_t>(dims[i], 1);
  }
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

// One matmul per resized axis: [outer, in] x A^T when the axis is innermost,
// else A [1, out, in] x [outer, in, inner].
Status lower_matmul_chain(LowerContext& ctx, const std::vector<std::vector<Taps>>& taps, std::vector<size_t> axes) {
  const Dims& x = ctx.input_dims(0);
  const Dims& y = ctx.output_dims(0);
  // Shrinking axes first keeps the intermediates small.
  std::stable_sort(axes.begin(), axes.end(), [&](size_t a, size_t b) {
    return static_cast<double>(y[a]) / static_cast<double>(x[a]) < static_cast<double>(y[b]) / static_cast<double>(x[b]);
  });
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  Dims cur = x;
  int t = -1;
  for (size_t step = 0; step < axes.size(); ++step) {
    const size_t a = axes[step];
    const int64_t in_len = cur[a], out_len = y[a];
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < cur.size(); ++i) (i < a ? outer : inner) *= i == a ? 1 : cur[i];
    Dims next = cur;
    next[a] = out_len;
    const bool innermost = inner == 1;
    const Dims src_dims = innermost ? Dims{outer, in_len} : Dims{outer, in_len, inner};
    const Dims dst_dims = innermost ? Dims{outer, out_len} : Dims{outer, out_len, inner};
    const Dims mat_dims = innermost ? Dims{in_len, out_len} : Dims{1, out_len, in_len};
    CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> mat,
                           TensorData::make(DType::f32, mat_dims, "interpolation matrix"));
    float* m = reinterpret_cast<float*>(mat->mutable_data());
    for (int64_t o = 0; o < out_len; ++o)
      for (const auto& [i, w] : taps[a][static_cast<size_t>(o)]) (innermost ? m[i * out_len + o] : m[o * in_len + i]) += w;
    const dnnl::memory::desc src_md = row_major(src_dims), dst_md = row_major(dst_dims), mat_md = row_major(mat_dims);
    int data = -1;
    if (t < 0) {
      CNNRT_ASSIGN_OR_RETURN(data, ctx.input_as(0, src_md, src_md));
    } else {
      CNNRT_ASSIGN_OR_RETURN(data, ctx.view(t, src_md));
    }
    const int matrix = ctx.constant(mat, mat_md);
    int dst = -1;
    if (step + 1 == axes.size()) {
      CNNRT_ASSIGN_OR_RETURN(dst, ctx.view(out, dst_md));
    } else {
      dst = ctx.scratchpad(dst_md);
    }
    const dnnl::memory::desc& a_md = innermost ? src_md : mat_md;
    const dnnl::memory::desc& b_md = innermost ? mat_md : src_md;
    // Fused post-ops belong to the last step only.
    const bool last = step + 1 == axes.size();
    dnnl::primitive_attr attr;
    if (last)
      attr = ctx.make_attr();
    else
      attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_md, dst_md), attr, ctx.engine());
    ctx.add_primitive(dnnl::matmul(pd), pd,
                      {{DNNL_ARG_SRC, innermost ? data : matrix},
                       {DNNL_ARG_WEIGHTS, innermost ? matrix : data},
                       {DNNL_ARG_DST, dst},
                       {DNNL_ARG_SCRATCHPAD, ctx.scratchpad(pd.scratchpad_desc())}},
                      2.0 * static_cast<double>(outer * inner) * static_cast<double>(in_len * out_len));
    t = dst;
    cur = next;
  }
  return ok_status();
}

}  // namespace

Result<ResizeParams::Mode> parse_resize_mode(const std::string& mode) {
  if (mode == "nearest") return Mode::nearest;
  if (mode == "linear") return Mode::linear;
  if (mode == "cubic") return Mode::cubic;
  return invalid_model("mode '", mode, "' is not one of nearest, linear, cubic");
}

Status check_coordinate_mode(const std::string& mode, int opset) {
  if (mode == "tf_crop_and_resize")
    return unsupported("coordinate_transformation_mode 'tf_crop_and_resize' is not supported (supported: half_pixel, "
                       "half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn)");
  if (mode == "half_pixel" || mode == "pytorch_half_pixel" || mode == "align_corners" || mode == "asymmetric" ||
      (mode == "tf_half_pixel_for_nn" && opset < 18) || (mode == "half_pixel_symmetric" && opset >= 19))
    return ok_status();
  return invalid_model("coordinate_transformation_mode '", mode, "' is not valid at this opset");
}

Status check_nearest_mode(const std::string& mode) {
  if (mode == "round_prefer_floor" || mode == "round_prefer_ceil" || mode == "floor" || mode == "ceil")
    return ok_status();
  return invalid_model("nearest_mode '", mode, "' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil");
}

Dims sizes_from_scales(const Dims& in, const std::vector<float>& scales) {
  Dims out(in.size());
  for (size_t i = 0; i < in.size(); ++i)
    out[i] = in[i] < 0 ? kUnknownDim : static_cast<int64_t>(scales[i] * static_cast<float>(in[i]));
  return out;
}

Status lower_resize(LowerContext& ctx, const ResizeParams& p) {
  const Dims& x = ctx.input_dims(0);
  const Dims& y = ctx.output_dims(0);
  if (numel(x) == 0 || numel(y) == 0) {
    if (numel(y) != 0) return unsupported("resizing an empty input ", dims_str(x), " to ", dims_str(y));
    CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
    (void)out;
    return ok_status();
  }
  std::vector<std::vector<Taps>> taps(x.size());
  std::vector<size_t> resized;
  for (size_t a = 0; a < x.size(); ++a) {
    taps[a] = onnx_taps(p, x[a], y[a], p.scales[a]);
    if (!(x[a] == y[a] && is_identity(taps[a]))) resized.push_back(a);
  }
  if (resized.empty()) {
    CNNRT_ASSIGN_OR_RETURN(int src, ctx.input_plain(0));
    CNNRT_ASSIGN_OR_RETURN(int dst, ctx.output_view(0, src));
    (void)dst;
    return ok_status();
  }
  // oneDNN resampling: batch and channels untouched, 1 to 3 spatial dims,
  // and the same taps on every resized axis.
  bool onednn = p.mode != Mode::cubic && x.size() >= 3 && x.size() <= 5 && resized.front() >= 2;
  for (size_t a : resized)
    if (onednn) onednn = same_taps(taps[a], onednn_taps(p.mode == Mode::nearest, x[a], y[a]));
  if (onednn) return lower_resampling(ctx, p.mode == Mode::nearest);
  return lower_matmul_chain(ctx, taps, resized);
}

}  // namespace cnnrt
