// Zero Pad -> AveragePool becomes one AveragePool whose own pads count in
// the divisor. PyTorch exports avg_pool2d(padding=p, count_include_pad=True)
// (every Inception block) this way: a Pad of the spatial dims, then an
// AveragePool without pads. The Pad step copied the whole tensor into a
// larger one (Inception V3: 9 of them, about 0.3 ms each at one thread);
// oneDNN's pooling_avg_include_padding reads the zeros implicitly instead.
//
// Only when the result is the same by definition: constant mode with value
// 0, no pad on the batch or channel dims, no negative pad, the Pad's output
// read by this AveragePool alone (and not a graph output), float32 data,
// and an AveragePool with explicit pads (no auto_pad), no ceil_mode (a
// window running past the padded input would count differently), no
// dilations, count_include_pad available (opset 7+) and either set or its
// own pads zero, and the combined pads smaller than the kernel (what
// AveragePool accepts).
#include "runtime/passes/passes.h"

namespace cnnrt {
namespace {

// The int64 values of constant value v, or false.
bool constant_ints(const Graph& g, int v, std::vector<int64_t>* out) {
  if (v < 0 || !g.values[v].constant || g.values[v].constant->dtype != DType::i64) return false;
  const TensorData& t = *g.values[v].constant;
  if (t.dims.size() != 1) return false;
  out->assign(t.as<int64_t>(), t.as<int64_t>() + t.count());
  return true;
}

// Whether optional input k of n is absent or a constant scalar zero.
bool absent_or_zero(const Graph& g, const Node& n, size_t k) {
  if (n.inputs.size() <= k || n.inputs[k] < 0) return true;
  const Value& v = g.values[n.inputs[k]];
  return v.constant && v.constant->count() == 1 && v.constant->dtype == DType::f32 &&
         v.constant->as<float>()[0] == 0.0f;
}

// The pads of a zero-padding Pad node (begins then ends, 2 x rank), or false.
bool zero_pads(const Graph& g, const Node& pad, size_t rank, std::vector<int64_t>* pads) {
  auto mode = pad.attrs.get_string("mode", "constant");
  if (!mode.ok() || mode.value() != "constant") return false;
  if (pad.opset < 2) return false;  // `paddings`: too old to be worth a second reader
  if (pad.opset < 11) {
    auto value = pad.attrs.get_float("value", 0.0f);
    auto p = pad.attrs.get_ints("pads", {});
    if (!value.ok() || value.value() != 0.0f || !p.ok()) return false;
    *pads = p.value();
  } else {
    if (pad.inputs.size() > 3 && pad.inputs[3] >= 0) return false;  // axes (opset 18+)
    if (pad.inputs.size() < 2 || !constant_ints(g, pad.inputs[1], pads) || !absent_or_zero(g, pad, 2)) return false;
  }
  if (pads->size() != 2 * rank) return false;
  for (size_t k = 0; k < pads->size(); ++k) {
    const int64_t p = (*pads)[k];
    const bool batch_or_channel = k % rank < 2;
    if (p < 0 || (batch_or_channel && p != 0)) return false;
  }
  return true;
}

// Folds `pads` (of the pooled tensor's rank) into AveragePool node `pool`;
// false (pool untouched) when that would not be the same computation.
bool fold_into_average_pool(Node& pool, size_t rank, const std::vector<int64_t>& pads) {
  if (pool.opset < 7 || rank < 3) return false;
  const size_t spatial = rank - 2;
  auto auto_pad = pool.attrs.get_string("auto_pad", "NOTSET");
  auto ceil_mode = pool.attrs.get_int("ceil_mode", 0);
  auto include = pool.attrs.get_int("count_include_pad", 0);
  auto kernel = pool.attrs.get_ints("kernel_shape", {});
  auto own = pool.attrs.get_ints("pads", std::vector<int64_t>(2 * spatial, 0));
  auto dilations = pool.attrs.get_ints("dilations", std::vector<int64_t>(spatial, 1));
  if (!auto_pad.ok() || auto_pad.value() != "NOTSET" || !ceil_mode.ok() || ceil_mode.value() != 0 || !include.ok() ||
      !kernel.ok() || kernel.value().size() != spatial || !own.ok() || own.value().size() != 2 * spatial ||
      !dilations.ok() || dilations.value().size() != spatial)
    return false;
  for (int64_t d : dilations.value())
    if (d != 1) return false;
  bool own_zero = true;
  for (int64_t p : own.value()) own_zero = own_zero && p == 0;
  if (include.value() != 1 && !own_zero) return false;
  std::vector<int64_t> merged(2 * spatial);
  for (size_t i = 0; i < spatial; ++i) {
    merged[i] = own.value()[i] + pads[2 + i];                             // begins
    merged[spatial + i] = own.value()[spatial + i] + pads[rank + 2 + i];  // ends
    if (merged[i] < 0 || merged[spatial + i] < 0 || merged[i] >= kernel.value()[i] ||
        merged[spatial + i] >= kernel.value()[i])
      return false;
  }
  Attribute p;
  p.kind = Attribute::Kind::ints;
  p.ints = merged;
  pool.attrs.set("pads", p);
  Attribute one;
  one.kind = Attribute::Kind::i;
  one.i = 1;
  pool.attrs.set("count_include_pad", one);
  return true;
}

}  // namespace

void fold_pad_into_pool(Graph& g) {
  const std::vector<std::vector<int>> readers = g.consumers();
  for (Node& pad : g.nodes) {
    if (pad.op_type != "Pad" || !pad.domain.empty() || pad.inputs.empty() || pad.inputs[0] < 0 ||
        pad.outputs.size() != 1 || pad.outputs[0] < 0)
      continue;
    const int out = pad.outputs[0];
    const Value& x = g.values[pad.inputs[0]];
    if (x.dtype != DType::f32 || !x.has_shape || g.is_graph_output(out) || readers[out].size() != 1) continue;
    Node& pool = g.nodes[readers[out][0]];
    if (pool.op_type != "AveragePool" || !pool.domain.empty() || pool.inputs.empty() || pool.inputs[0] != out) continue;
    std::vector<int64_t> pads;
    if (!zero_pads(g, pad, x.shape.size(), &pads)) continue;
    if (fold_into_average_pool(pool, x.shape.size(), pads)) pool.inputs[0] = pad.inputs[0];
  }
}

}  // namespace cnnrt
