// Pad (ai.onnx 1-28): adds pads[k] elements before and pads[k + r] after
// each dim (negative pads crop). Pads are an attribute (`paddings` in opset
// 1, `pads` until 10) and an int64 input from 11, where `constant_value` is
// an optional input and, from 18, `axes` names the padded dims. Modes:
// constant (the value, default 0), reflect (mirror without repeating the
// edge), edge (repeat the edge) and, from 19, wrap (continue from the other
// side); reflect/edge/wrap pad the cropped input when pads are negative.
//
// constant: the border slabs are filled and the input copied into the
// interior, all oneDNN reorders for types it holds (a channels-last input
// stays channels-last). The other modes are a plain gather loop through
// per-dim index tables: oneDNN has no mirroring primitive.
#include <algorithm>
#include <cstring>

#include "ops/common/int_list.h"
#include "ops/common/shape_util.h"
#include "ops/common/strided.h"
#include "runtime/infer_context.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

enum class PadMode { constant, reflect, edge, wrap };

struct PadArgs {
  PadMode mode = PadMode::constant;
  Dims begin, end;  // per input dim
};

Result<PadMode> read_mode(const Attributes& attrs, int opset) {
  CNNRT_ASSIGN_OR_RETURN(std::string mode, attrs.get_string("mode", "constant"));
  if (mode == "constant") return PadMode::constant;
  if (mode == "reflect") return PadMode::reflect;
  if (mode == "edge") return PadMode::edge;
  if (mode == "wrap" && opset >= 19) return PadMode::wrap;
  return invalid_model("mode '", mode, "' is not one of constant, reflect, edge", opset >= 19 ? ", wrap" : "");
}

// Pads per dim; false in *known while the pads (or axes) input is not a
// constant yet.
template <class Ctx>
Result<PadArgs> read_pads(const Ctx& ctx, int64_t rank, bool* known) {
  PadArgs a;
  *known = true;
  CNNRT_ASSIGN_OR_RETURN(a.mode, read_mode(ctx.attrs(), ctx.opset()));
  std::vector<int64_t> pads, axes;
  if (ctx.opset() < 11) {
    const char* name = ctx.opset() < 2 ? "paddings" : "pads";
    if (!ctx.attrs().has(name)) return invalid_model("attribute '", name, "' is required");
    CNNRT_ASSIGN_OR_RETURN(pads, ctx.attrs().get_ints(name, {}));
  } else {
    const TensorData* p = ctx.input_constant(1);
    const TensorData* ax = ctx.opset() >= 18 ? ctx.input_constant(3) : nullptr;
    if (!p || (ctx.opset() >= 18 && ctx.has_input(3) && !ax)) {
      *known = false;
      return a;
    }
    CNNRT_ASSIGN_OR_RETURN(pads, int_list_input(*p, "pads"));
    if (ax) {
      CNNRT_ASSIGN_OR_RETURN(std::vector<int64_t> raw, int_list_input(*ax, "axes"));
      CNNRT_ASSIGN_OR_RETURN(axes, normalize_axes(raw, rank, "axes"));
    }
  }
  if (axes.empty() && !(ctx.opset() >= 18 && ctx.has_input(3)))
    for (int64_t k = 0; k < rank; ++k) axes.push_back(k);
  if (pads.size() != 2 * axes.size())
    return invalid_model("pads ", ints_str(pads), " must have ", 2 * axes.size(), " values (begins, then ends)");
  // Far beyond any tensor: refused before the size arithmetic could overflow.
  for (int64_t p : pads)
    if (p > (int64_t{1} << 40) || p < -(int64_t{1} << 40)) return invalid_model("pads ", ints_str(pads), " are too large");
  a.begin.assign(static_cast<size_t>(rank), 0);
  a.end.assign(static_cast<size_t>(rank), 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    a.begin[axes[i]] = pads[i];
    a.end[axes[i]] = pads[i + axes.size()];
  }
  return a;
}

Status infer_pad(InferContext& ctx) {
  if (ctx.opset() < 11) {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(1, 1));
  } else {
    CNNRT_RETURN_IF_ERROR(ctx.expect_input_count(2, ctx.opset() >= 18 ? 4 : 3));
    CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(1, {DType::i64}));
    CNNRT_RETURN_IF_ERROR(ctx.expect_rank(1, 1, 1));
    if (ctx.has_input(2)) {
      if (ctx.input_dtype(2) != ctx.input_dtype(0))
        return invalid_model("constant_value has element type ", dtype_name(ctx.input_dtype(2)), ", the data has ",
                             dtype_name(ctx.input_dtype(0)));
      const Dims& v = ctx.input_shape(2);
      if (v.size() > 1 || (v.size() == 1 && v[0] != 1))
        return invalid_model("constant_value must hold one value, got shape ", dims_str(v));
    }
    if (ctx.has_input(3)) CNNRT_RETURN_IF_ERROR(ctx.expect_dtype(3, {DType::i32, DType::i64}));
  }
  const Dims& x = ctx.input_shape(0);
  bool known = true;
  CNNRT_ASSIGN_OR_RETURN(PadArgs a, read_pads(ctx, static_cast<int64_t>(x.size()), &known));
  Dims out(x.size(), kUnknownDim);
  if (known)
    for (size_t k = 0; k < x.size(); ++k) {
      if (x[k] < 0) continue;
      out[k] = x[k] + a.begin[k] + a.end[k];
      if (out[k] < 0)
        return invalid_model("pads [", a.begin[k], ", ", a.end[k], "] leave a negative size for dim ", k, " of ",
                             dims_str(x));
      if (a.mode != PadMode::constant && out[k] > 0 && x[k] - std::max<int64_t>(0, -a.begin[k]) - std::max<int64_t>(0, -a.end[k]) <= 0)
        return invalid_model("cannot pad dim ", k, " of ", dims_str(x), " in this mode: nothing is left to repeat");
    }
  ctx.set_output(0, ctx.input_dtype(0), out);
  return ok_status();
}

// Where the (cropped) input lands in the output, per dim.
struct Interior {
  Dims in_start, out_start, size;
};

Interior interior(const Dims& x, const PadArgs& a) {
  Interior r;
  for (size_t k = 0; k < x.size(); ++k) {
    r.in_start.push_back(std::max<int64_t>(0, -a.begin[k]));
    r.out_start.push_back(std::max<int64_t>(0, a.begin[k]));
    r.size.push_back(std::max<int64_t>(0, x[k] - r.in_start[k] - std::max<int64_t>(0, -a.end[k])));
  }
  return r;
}

Result<int> fill_value(LowerContext& ctx) {
  if (ctx.opset() >= 11 && ctx.has_input(2)) return ctx.input_plain(2);
  float value = 0;
  if (ctx.opset() < 11) {
    CNNRT_ASSIGN_OR_RETURN(value, ctx.attrs().get_float("value", 0.0f));
  }
  CNNRT_ASSIGN_OR_RETURN(TensorPtr v, make_scalar(ctx.input_dtype(0), value));
  return ctx.constant_plain(v);
}

Status lower_constant_pad(LowerContext& ctx, const PadArgs& a) {
  const Dims& x = ctx.input_dims(0);
  const Dims& y = ctx.output_dims(0);
  const Interior in_box = interior(x, a);
  CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, 0));
  CNNRT_ASSIGN_OR_RETURN(auto out, output_like(ctx, 0, ctx.tensor(in.first)));
  CNNRT_ASSIGN_OR_RETURN(int value, fill_value(ctx));
  // The border as slabs: for dim k, the part outside the interior along k,
  // inside it along the dims before k and whole along the dims after.
  for (size_t k = 0; k < x.size(); ++k) {
    const int64_t ranges[2][2] = {{0, in_box.out_start[k]}, {in_box.out_start[k] + in_box.size[k], y[k]}};
    for (const auto& r : ranges) {
      if (r[1] <= r[0]) continue;
      StridedView slab = out.second;
      slab.offset = 0;
      for (size_t j = 0; j < x.size(); ++j) {
        int64_t from = 0, n = y[j];
        if (j < k) {
          from = in_box.out_start[j];
          n = in_box.size[j];
        } else if (j == k) {
          from = r[0];
          n = r[1] - r[0];
        }
        slab.dims[j] = n;
        slab.offset += from * out.second.strides[j];
      }
      CNNRT_RETURN_IF_ERROR(add_fill(ctx, value, out.first, slab));
    }
  }
  StridedView src = in.second, dst = out.second;
  for (size_t k = 0; k < x.size(); ++k) {
    src.dims[k] = dst.dims[k] = in_box.size[k];
    src.offset += in_box.in_start[k] * in.second.strides[k];
    dst.offset += in_box.out_start[k] * out.second.strides[k];
  }
  return add_copy(ctx, in.first, src, out.first, dst);
}

// Output index -> input element offset along one dim, for reflect, edge and
// wrap (relative to the cropped input of `n` elements from `lo`).
std::vector<int64_t> index_table(PadMode mode, int64_t out_dim, int64_t out_start, int64_t lo, int64_t n,
                                 int64_t stride) {
  std::vector<int64_t> t(static_cast<size_t>(out_dim));
  for (int64_t o = 0; o < out_dim; ++o) {
    int64_t rel = o - out_start, i = rel;
    if (mode == PadMode::edge) {
      i = std::clamp<int64_t>(rel, 0, n - 1);
    } else if (mode == PadMode::wrap) {
      i = ((rel % n) + n) % n;
    } else if (n == 1) {
      i = 0;
    } else {  // reflect: period 2(n - 1), the edges not repeated
      const int64_t period = 2 * (n - 1);
      const int64_t m = ((rel % period) + period) % period;
      i = m < n ? m : period - m;
    }
    t[o] = (lo + i) * stride;
  }
  return t;
}

template <size_t N>
void gather_padded(const uint8_t* src, uint8_t* dst, const Dims& y, const std::vector<std::vector<int64_t>>& tables) {
  const size_t r = y.size();
  const int64_t inner = y[r - 1];
  int64_t outer = 1;
  for (size_t k = 0; k + 1 < r; ++k) outer *= y[k];
  std::vector<int64_t> idx(r, 0);
  const std::vector<int64_t>& last = tables[r - 1];
  for (int64_t o = 0; o < outer; ++o) {
    int64_t base = 0;
    for (size_t k = 0; k + 1 < r; ++k) base += tables[k][idx[k]];
    uint8_t* row = dst + o * inner * static_cast<int64_t>(N);
    for (int64_t j = 0; j < inner; ++j) std::memcpy(row + j * static_cast<int64_t>(N), src + (base + last[j]) * static_cast<int64_t>(N), N);
    for (size_t k = r - 1; k-- > 0;) {
      if (++idx[k] < y[k]) break;
      idx[k] = 0;
    }
  }
}

Status lower_gather_pad(LowerContext& ctx, const PadArgs& a) {
  const Dims& x = ctx.input_dims(0);
  Dims y = ctx.output_dims(0);
  const Interior box = interior(x, a);
  CNNRT_ASSIGN_OR_RETURN(auto in, input_strided(ctx, 0));
  CNNRT_ASSIGN_OR_RETURN(int out, ctx.output_plain(0));
  if (numel(y) == 0) return ok_status();
  std::vector<std::vector<int64_t>> tables;
  for (size_t k = 0; k < x.size(); ++k)
    tables.push_back(index_table(a.mode, y[k], box.out_start[k], box.in_start[k], box.size[k], in.second.strides[k]));
  if (y.empty()) {  // a scalar pads to itself
    y = {1};
    tables.push_back({0});
  }
  const size_t esize = dtype_size(ctx.input_dtype(0));
  ctx.add_kernel("pad_gather", [y, tables, esize](const KernelIO& io) {
    const auto* s = static_cast<const uint8_t*>(io.in[0]);
    auto* d = static_cast<uint8_t*>(io.out[0]);
    switch (esize) {
      case 1: gather_padded<1>(s, d, y, tables); break;
      case 2: gather_padded<2>(s, d, y, tables); break;
      case 4: gather_padded<4>(s, d, y, tables); break;
      case 8: gather_padded<8>(s, d, y, tables); break;
      default: return internal_error("no Pad for ", esize, "-byte elements");
    }
    return ok_status();
  }, {in.first}, {out});
  return ok_status();
}

Status lower_pad(LowerContext& ctx) {
  bool known = true;
  CNNRT_ASSIGN_OR_RETURN(PadArgs a, read_pads(ctx, static_cast<int64_t>(ctx.input_dims(0).size()), &known));
  if (!known) return unsupported("pads must be a constant or computable from the input shapes");
  bool none = true;
  for (size_t k = 0; k < a.begin.size(); ++k) none = none && a.begin[k] == 0 && a.end[k] == 0;
  if (none) {  // nothing to pad: the output is the input
    CNNRT_ASSIGN_OR_RETURN(int src, input_any_layout(ctx, 0));
    return ctx.output_alias(0, src).status();
  }
  if (a.mode == PadMode::constant) return lower_constant_pad(ctx, a);
  return lower_gather_pad(ctx, a);
}

}  // namespace

void register_pad(OpRegistry& r) {
  OpDef def;
  def.op_type = "Pad";
  def.first_opset = 1;
  def.infer = infer_pad;
  def.lower = lower_pad;
  r.add(def);
}

}  // namespace cnnrt
