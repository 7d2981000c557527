// BatchNormalization folding: Conv -> BatchNormalization (or Gemm -> BN)
// becomes one Conv (Gemm) with new constant weights and bias, so inference
// pays nothing for the normalisation. With s = scale / sqrt(var + eps):
//   Conv:  W'[m, ...] = W[m, ...] * s[m]       b'[m] = (b[m] - mean[m]) * s[m] + B[m]
//   Gemm:  B' = B with output column n scaled by s[n]   (row n when transB)
//          C' = s * (beta * C - mean) + B_bn, beta' = 1
// computed in double and rounded once. Only when the producer's output
// feeds nothing but the BN (and is not a graph output), every parameter and
// the producer's weights and bias are constant float32, and the BN is in
// inference mode with only Y read.
#include <cmath>

#include "runtime/passes/passes.h"

namespace cnnrt {
namespace {

// The constant float32 data of value v with `count` elements, or null.
const TensorData* constant_f32(const Graph& g, int v, int64_t count = -1) {
  if (v < 0) return nullptr;
  const TensorData* t = g.values[v].constant.get();
  if (!t || t->dtype != DType::f32) return nullptr;
  if (count >= 0 && t->count() != count) return nullptr;
  return t;
}

// A new constant value named after `base`, unique in the graph.
Result<int> add_constant(Graph& g, const std::string& base, DType type, const Dims& dims,
                         const std::vector<double>& values) {
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> t, TensorData::make(type, dims, base));
  float* out = reinterpret_cast<float*>(t->mutable_data());
  for (size_t i = 0; i < values.size(); ++i) out[i] = static_cast<float>(values[i]);
  std::string name = base;
  for (int k = 2; g.find_value(name) >= 0; ++k) name = base + "_" + std::to_string(k);
  Value v;
  v.name = name;
  v.dtype = type;
  v.has_shape = true;
  v.shape = dims;
  v.constant = std::move(t);
  return g.add_value(std::move(v));
}

// The BN's per-channel s and shift t = B - mean * s (in double), if the BN
// is foldable at all.
struct Affine {
  std::vector<double> s, mean, shift;  // y = s * (x - mean) + shift, shift = B
};

bool bn_affine(const Graph& g, const Node& bn, Affine* out) {
  if (bn.inputs.size() != 5) return false;
  for (size_t k = 1; k < bn.outputs.size(); ++k)
    if (bn.outputs[k] >= 0) return false;  // training outputs read
  if (bn.opset >= 14) {
    auto training = bn.attrs.get_int("training_mode", 0);
    if (!training.ok() || training.value() != 0) return false;
  }
  auto eps = bn.attrs.get_float("epsilon", 1e-5f);
  if (!eps.ok() || !(eps.value() >= 0)) return false;
  const TensorData* scale = constant_f32(g, bn.inputs[1]);
  if (!scale || scale->dims.size() != 1) return false;
  const int64_t c = scale->count();
  const TensorData* b = constant_f32(g, bn.inputs[2], c);
  const TensorData* mean = constant_f32(g, bn.inputs[3], c);
  const TensorData* var = constant_f32(g, bn.inputs[4], c);
  if (!b || !mean || !var) return false;
  for (const TensorData* t : {b, mean, var})
    if (t->dims.size() != 1) return false;
  out->s.resize(c);
  out->mean.resize(c);
  out->shift.resize(c);
  for (int64_t i = 0; i < c; ++i) {
    const double v = static_cast<double>(var->as<float>()[i]) + eps.value();
    if (!(v > 0)) return false;  // a zero or negative variance: leave it to the op
    out->s[i] = scale->as<float>()[i] / std::sqrt(v);
    out->mean[i] = mean->as<float>()[i];
    out->shift[i] = b->as<float>()[i];
  }
  return true;
}

// Conv -> BN: scaled weights and a new (or adjusted) bias.
Result<bool> fold_into_conv(Graph& g, Node& conv, const Affine& a) {
  const int64_t c = static_cast<int64_t>(a.s.size());
  const TensorData* w = constant_f32(g, conv.inputs.size() > 1 ? conv.inputs[1] : -1);
  if (!w || w->dims.size() < 3 || w->dims[0] != c) return false;
  const int bias_v = conv.inputs.size() > 2 ? conv.inputs[2] : -1;
  const TensorData* bias = bias_v >= 0 ? constant_f32(g, bias_v, c) : nullptr;
  if (bias_v >= 0 && !bias) return false;
  const int64_t per_channel = w->count() / c;
  std::vector<double> w2(static_cast<size_t>(w->count())), b2(static_cast<size_t>(c));
  for (int64_t m = 0; m < c; ++m) {
    for (int64_t k = 0; k < per_channel; ++k)
      w2[m * per_channel + k] = static_cast<double>(w->as<float>()[m * per_channel + k]) * a.s[m];
    const double b0 = bias ? bias->as<float>()[m] : 0.0;
    b2[m] = (b0 - a.mean[m]) * a.s[m] + a.shift[m];
  }
  CNNRT_ASSIGN_OR_RETURN(int nw, add_constant(g, g.values[conv.inputs[1]].name + "_bn_folded", DType::f32, w->dims, w2));
  CNNRT_ASSIGN_OR_RETURN(int nb, add_constant(g, conv.name + "_bn_folded_bias", DType::f32, {c}, b2));
  conv.inputs.resize(3, -1);
  conv.inputs[1] = nw;
  conv.inputs[2] = nb;
  return true;
}

// Gemm -> BN (BN over the output's dim 1): scaled B columns, new C, beta 1.
Result<bool> fold_into_gemm(Graph& g, Node& gemm, const Affine& a) {
  const int64_t n = static_cast<int64_t>(a.s.size());
  const TensorData* b = constant_f32(g, gemm.inputs.size() > 1 ? gemm.inputs[1] : -1);
  if (!b || b->dims.size() != 2) return false;
  auto trans_b = gemm.attrs.get_int("transB", 0);
  auto beta = gemm.attrs.get_float("beta", 1.0f);
  if (!trans_b.ok() || !beta.ok()) return false;
  const bool tb = trans_b.value() != 0;
  const int64_t rows = b->dims[0], cols = b->dims[1];
  if ((tb ? rows : cols) != n) return false;
  const int c_v = gemm.inputs.size() > 2 ? gemm.inputs[2] : -1;
  const TensorData* cdata = c_v >= 0 ? constant_f32(g, c_v) : nullptr;
  if (c_v >= 0 && !cdata) return false;
  // C' keeps C's row count (1 or M) and spans the N columns.
  Dims cdims = cdata ? cdata->dims : Dims{};
  if (cdims.size() > 2) return false;
  while (cdims.size() < 2) cdims.insert(cdims.begin(), 1);
  if (cdims[1] != 1 && cdims[1] != n) return false;
  const int64_t crows = cdims[0];
  std::vector<double> b2(static_cast<size_t>(b->count())), c2(static_cast<size_t>(crows * n));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = 0; k < cols; ++k)
      b2[r * cols + k] = static_cast<double>(b->as<float>()[r * cols + k]) * a.s[tb ? r : k];
  for (int64_t r = 0; r < crows; ++r)
    for (int64_t j = 0; j < n; ++j) {
      const double c0 = cdata ? cdata->as<float>()[r * cdims[1] + (cdims[1] == 1 ? 0 : j)] : 0.0;
      c2[r * n + j] = a.s[j] * (beta.value() * c0 - a.mean[j]) + a.shift[j];
    }
  CNNRT_ASSIGN_OR_RETURN(int nb, add_constant(g, g.values[gemm.inputs[1]].name + "_bn_folded", DType::f32, b->dims, b2));
  CNNRT_ASSIGN_OR_RETURN(int nc, add_constant(g, gemm.name + "_bn_folded_c", DType::f32, {crows, n}, c2));
  gemm.inputs.resize(3, -1);
  gemm.inputs[1] = nb;
  gemm.inputs[2] = nc;
  Attribute one;
  one.kind = Attribute::Kind::f;
  one.f = 1.0f;
  gemm.attrs.set("beta", one);
  if (gemm.opset < 7) {
    // Before opset 7 a C' that is not [M, N] broadcasts only with broadcast=1.
    Attribute broadcast;
    broadcast.kind = Attribute::Kind::i;
    broadcast.i = 1;
    gemm.attrs.set("broadcast", broadcast);
  }
  return true;
}

}  // namespace

Status fold_batchnorm(Graph& g) {
  auto consumers = g.consumers();
  std::vector<bool> dead(g.nodes.size(), false);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& bn = g.nodes[i];
    if (bn.op_type != "BatchNormalization" || !bn.domain.empty() || bn.inputs.empty() || bn.inputs[0] < 0) continue;
    const int x = bn.inputs[0];
    const int p = g.values[x].producer;
    if (p < 0 || dead[p]) continue;
    Node& producer = g.nodes[p];
    const bool conv = producer.op_type == "Conv", gemm = producer.op_type == "Gemm";
    if (!producer.domain.empty() || !(conv || gemm)) continue;
    if (consumers[x].size() != 1 || g.is_graph_output(x) || producer.outputs.empty() || producer.outputs[0] != x)
      continue;
    Affine a;
    if (!bn_affine(g, bn, &a)) continue;
    const std::vector<int> old_inputs = producer.inputs;
    CNNRT_ASSIGN_OR_RETURN(bool folded, conv ? fold_into_conv(g, producer, a) : fold_into_gemm(g, producer, a));
    if (!folded) continue;
    // The producer now writes the BN's output; the BN goes.
    const int y = bn.outputs[0];
    producer.outputs[0] = y;
    g.values[y].producer = p;
    dead[i] = true;
    // Replaced weights nobody else reads are released (not held twice).
    for (size_t k = 1; k < old_inputs.size(); ++k) {
      const int v = old_inputs[k];
      if (v >= 0 && consumers[v].size() == 1 && !g.is_graph_output(v)) g.values[v].constant.reset();
    }
  }
  remove_nodes(g, dead);
  return ok_status();
}

}  // namespace cnnrt
