#include "runtime/per_image.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include "ops/common/int_list.h"

namespace cnnrt {
namespace {

// Ops that compute each element from the same image's elements only, given
// that their data input and output carry the batch as their first dimension
// and their other inputs are constants (weights, bounds, shapes).
const std::set<std::string>& per_image_ops() {
  static const std::set<std::string> ops = {
      // Unary elementwise.
      "Abs", "Cast", "Ceil", "Celu", "Clip", "Dropout", "Elu", "Erf", "Exp", "Floor", "Gelu", "HardSigmoid",
      "HardSwish", "Identity", "LeakyRelu", "Log", "Mish", "Neg", "Reciprocal", "Relu", "Round", "Selu", "Sigmoid",
      "Softplus", "Softsign", "Sqrt", "Tanh", "ThresholdedRelu",
      // Per image, per channel or spatial.
      "AveragePool", "BatchNormalization", "Conv", "ConvTranspose", "DepthToSpace", "GlobalAveragePool",
      "GlobalMaxPool", "InstanceNormalization", "LRN", "MaxPool", "SpaceToDepth",
      // A row-major block per image is kept when the first dimension is
      // the batch before and after (checked for every node).
      "Expand", "Flatten", "Reshape", "Squeeze", "Tile", "Unsqueeze"};
  return ops;
}

// Elementwise ops with numpy broadcasting: each input either carries the
// batch (same rank as the output) or is a constant that does not vary
// along the first dimension.
const std::set<std::string>& broadcast_ops() {
  static const std::set<std::string> ops = {"Add", "Div", "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual",
                                            "Max", "Mean", "Min", "Mul", "PRelu", "Pow", "Sub", "Sum"};
  return ops;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

class Checker {
 public:
  Checker(const Graph& g, int64_t n) : g_(g), n_(n) {}

  // A computed tensor holding n images along its first dimension.
  bool batched(int v) const {
    if (v < 0) return false;
    const Value& val = g_.values[v];
    return !val.constant && !val.shape.empty() && val.shape[0] == n_;
  }
  bool constant(int v) const { return v < 0 || g_.values[v].constant != nullptr; }
  size_t rank(int v) const { return g_.values[v].shape.size(); }
  const TensorData* constant_data(int v) const { return v >= 0 ? g_.values[v].constant.get() : nullptr; }

  // Normalised `axis` attribute (or `fallback`) against `r`; -1 if invalid.
  int64_t axis(const Node& node, int64_t fallback, int64_t r) const {
    auto a = node.attrs.get_int("axis", fallback);
    if (!a.ok()) return -1;
    const int64_t x = a.value() < 0 ? a.value() + r : a.value();
    return x >= 0 && x < std::max<int64_t>(r, 1) ? x : -1;
  }

  // Axes from the attribute `name`, else from constant input `input`;
  // false when neither says (or the input is not constant).
  bool listed_axes(const Node& node, const char* name, size_t input, int64_t r, std::vector<int64_t>* out) const {
    std::vector<int64_t> axes;
    if (node.attrs.has(name)) {
      auto a = node.attrs.get_ints(name, {});
      if (!a.ok()) return false;
      axes = a.value();
    } else if (node.inputs.size() > input && node.inputs[input] >= 0) {
      const TensorData* t = constant_data(node.inputs[input]);
      if (!t) return false;
      axes = tensor_ints(*t);
    } else {
      return false;
    }
    auto normalized = normalize_axes(axes, r, name);
    if (!normalized.ok()) return false;
    *out = normalized.value();
    return true;
  }

  // Whether constant input i is broadcast against the output (rank r) with
  // a first dimension other than 1: a different value for each image.
  bool varies_along_batch(const Node& node, size_t i, int64_t r) const {
    if (i >= node.inputs.size() || node.inputs[i] < 0) return false;
    const Dims& d = g_.values[node.inputs[i]].shape;
    return static_cast<int64_t>(d.size()) == r && r > 0 && d[0] != 1;
  }

  // "" or why this node may mix images.
  std::string check(const Node& node) const {
    const std::string& op = node.op_type;
    if (!node.domain.empty() && node.domain != "ai.onnx") return "an op outside the ONNX domain";
    int first_output = -1;
    for (int v : node.outputs) {
      if (v < 0) continue;
      if (!batched(v)) return cat("output '", g_.values[v].name, "' does not have the batch as its first dimension");
      if (first_output < 0) first_output = v;
    }
    if (first_output < 0) return "no output";
    const int64_t r = static_cast<int64_t>(rank(first_output));
    for (const PostOp& p : node.post_ops)
      if (p.kind == PostOp::Kind::sum && !batched(p.sum_input)) return "its fused residual input is not per image";
    const std::vector<int>& in = node.inputs;
    if (in.empty() || in[0] < 0) return "no data input";

    // Input 0 carries the images, every other input is a constant.
    auto data_then_constants = [&](bool same_rank) -> std::string {
      if (!batched(in[0])) return "its data input does not have the batch as its first dimension";
      if (same_rank && static_cast<int64_t>(rank(in[0])) != r) return "its output's rank differs from its input's";
      for (size_t i = 1; i < in.size(); ++i)
        if (!constant(in[i])) return cat("input ", i, " is computed, not a constant");
      return "";
    };

    if (per_image_ops().count(op)) {
      const bool reshapes = op == "Flatten" || op == "Reshape" || op == "Squeeze" || op == "Unsqueeze";
      return data_then_constants(!reshapes);
    }
    if (op == "Resize") {
      auto mode = node.attrs.get_string("coordinate_transformation_mode", "half_pixel");
      if (!mode.ok() || mode.value() == "tf_crop_and_resize") return "a crop box may span images";
      return data_then_constants(true);
    }
    if (broadcast_ops().count(op)) {
      for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] < 0) continue;
        if (!constant(in[i])) {
          if (!batched(in[i]) || static_cast<int64_t>(rank(in[i])) != r)
            return cat("input ", i, " is broadcast across images");
          continue;
        }
        if (varies_along_batch(node, i, r)) return cat("constant input ", i, " varies along the batch dimension");
      }
      return "";
    }
    if (op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") {
      // Before opset 13 the op flattens from `axis` (default 1) on.
      if (axis(node, node.opset >= 13 ? -1 : 1, r) <= 0) return "its axis 0 spans images";
      return data_then_constants(true);
    }
    if (op == "Concat") {
      if (axis(node, 0, r) <= 0) return "it concatenates along the batch";
      for (int v : in)
        if (v >= 0 && (!batched(v) || static_cast<int64_t>(rank(v)) != r)) return "an input is not per image";
      return "";
    }
    if (op == "Split") {
      if (axis(node, 0, r) <= 0) return "it splits along the batch";
      return data_then_constants(true);
    }
    if (op == "Gather" || op == "ArgMax" || op == "ArgMin") {
      // Gather's output rank is data rank - 1 + indices rank: the axis is
      // read against the data's rank.
      if (axis(node, 0, static_cast<int64_t>(rank(in[0]))) <= 0) return "its axis 0 spans images";
      return data_then_constants(false);
    }
    if (op == "LayerNormalization") {
      if (axis(node, -1, r) <= 0) return "it normalizes across images";
      return data_then_constants(true);
    }
    if (op == "Transpose") {
      auto perm = node.attrs.get_ints("perm", {});
      if (!perm.ok() || perm.value().empty() || perm.value()[0] != 0) return "it moves the batch dimension";
      return data_then_constants(true);
    }
    if (op == "Gemm") {
      auto trans_a = node.attrs.get_int("transA", 0);
      if (!trans_a.ok() || trans_a.value() != 0) return "it transposes its batched input";
      if (varies_along_batch(node, 2, r)) return "its bias varies along the batch dimension";
      return data_then_constants(true);
    }
    if (op == "MatMul") {
      if (in.size() < 2 || !batched(in[0])) return "its first input is not per image";
      if (constant(in[1]))
        return varies_along_batch(node, 1, r) ? "its constant operand varies along the batch dimension" : "";
      if (batched(in[1]) && rank(in[0]) >= 3 && rank(in[1]) == rank(in[0]) && static_cast<int64_t>(rank(in[0])) == r)
        return "";  // a batched matmul: image i times image i
      return "both inputs are computed and it multiplies across images";
    }
    if (starts_with(op, "Reduce")) {
      std::vector<int64_t> axes;
      if (!listed_axes(node, "axes", 1, static_cast<int64_t>(rank(in[0])), &axes) || axes.empty())
        return "it reduces over every axis";
      if (std::count(axes.begin(), axes.end(), 0)) return "it reduces over the batch";
      return data_then_constants(false);
    }
    if (op == "Pad") {
      if (in.size() > 3 && in[3] >= 0) return "it pads selected axes";
      std::vector<int64_t> pads;
      const char* name = node.attrs.has("paddings") ? "paddings" : "pads";
      if (node.attrs.has(name)) {
        auto p = node.attrs.get_ints(name, {});
        if (!p.ok()) return "unreadable pads";
        pads = p.value();
      } else if (const TensorData* t = in.size() > 1 ? constant_data(in[1]) : nullptr) {
        pads = tensor_ints(*t);
      }
      if (static_cast<int64_t>(pads.size()) != 2 * r || pads[0] != 0 || pads[r] != 0) return "it pads the batch";
      return data_then_constants(true);
    }
    if (op == "Slice") {
      std::vector<int64_t> axes;
      bool listed = false;
      if (node.attrs.has("starts")) {  // before opset 10: attributes
        listed = node.attrs.has("axes") && listed_axes(node, "axes", in.size(), r, &axes);
      } else {
        listed = in.size() > 3 && in[3] >= 0 && listed_axes(node, "axes", 3, r, &axes);
      }
      if (!listed || std::count(axes.begin(), axes.end(), 0)) return "it slices the batch";
      return data_then_constants(true);
    }
    return "an op not known to keep images apart";
  }

 private:
  const Graph& g_;
  int64_t n_;
};

}  // namespace

std::string why_not_per_image(const Graph& g, const std::vector<int>& outputs, int64_t n) {
  if (n < 2) return "a batch of one";
  Checker c(g, n);
  for (int v : g.inputs)
    if (!c.batched(v)) return cat("input '", g.values[v].name, "' does not have the batch as its first dimension");
  for (int v : outputs)
    if (!c.batched(v))
      return cat("output '", g.values[v].name, "' does not have the batch as its first dimension");
  for (const Node& node : g.nodes) {
    const std::string why = c.check(node);
    if (!why.empty()) return cat("node '", node.name, "' (", node.op_type, "): ", why);
  }
  return "";
}

namespace {

// Adds nodes' traffic one at a time: each computed value once as an
// activation, each constant once as a weight.
class TrafficCounter {
 public:
  TrafficCounter(const Graph& g, int64_t n) : g_(g), n_(static_cast<double>(n)), counted_(g.values.size(), false) {}

  void add(const Node& node) {
    for (int v : node.outputs) {
      if (v < 0 || counted_[v]) continue;
      counted_[v] = true;
      size_t bytes = 0;
      const Value& val = g_.values[v];
      const double b = fits_bytes(val.shape, val.dtype, &bytes) ? static_cast<double>(bytes) : 0.0;
      t_.activation_bytes += b;
      t_.largest_image_bytes = std::max(t_.largest_image_bytes, b / n_);
    }
    for (int v : node.inputs) {
      if (v < 0 || counted_[v] || !g_.values[v].constant) continue;
      counted_[v] = true;
      t_.weight_bytes += static_cast<double>(g_.values[v].constant->bytes);
    }
  }
  const BatchTraffic& traffic() const { return t_; }

 private:
  const Graph& g_;
  double n_;
  std::vector<bool> counted_;
  BatchTraffic t_;
};

// per_image_pays()'s score: the activation bytes kept in cache, weighted,
// less the weight bytes re-read (threshold measured on whole graphs: see
// per_image_pays()); it pays above zero.
double per_image_gain(const BatchTraffic& t, int64_t n) {
  return 0.75 * t.activation_bytes - static_cast<double>(n - 1) * t.weight_bytes;
}

}  // namespace

bool per_image_pays(const BatchTraffic& t, int64_t n, size_t cache_bytes, int64_t lanes) {
  if (n < 2 || t.activation_bytes <= 0) return false;
  const double batch = static_cast<double>(n);
  // A layer's batched input and output fit in the cache anyway: one thread
  // gains nothing by going image by image. Several threads still do, each
  // running its own images with no synchronisation between layers, where
  // a batched layer is split over the threads: measured at batch 8 on two
  // threads (in-process A/B against the batched run), MobileNet V3 small
  // 7.0-7.6 -> 6.2-6.6 ms, ShuffleNet V2 16.6 -> 15.2 (both fit in the
  // cache and ran batched). Not for a network as small as LeNet (13 KB
  // of activations per image): its first layers image by image were 10 %
  // slower (0.080 -> 0.088 ms), the lanes' start and the hand-over costing
  // more than the layers.
  constexpr double kMinImageBytesForLanes = 1 << 20;
  const bool fits = 2 * batch * t.largest_image_bytes <= static_cast<double>(cache_bytes);
  if (fits && (lanes < 2 || t.activation_bytes / batch < kMinImageBytesForLanes)) return false;
  // The weights re-read for every image after the first, against the
  // activations the batch writes (and reads back). Measured at batch 8 on
  // one core of a Zen 4 with a 32 MiB L3 (2026-11-26), as per-image /
  // batched p50 (weights re-read / activations): taken are MobileNet V2
  // 0.84 (0.46), SqueezeNet 1.1 0.88 (0.25), DenseNet-121 0.87 (0.18),
  // EfficientNet-B0 0.90 (0.51), MNASNet 0.98 (0.70), ConvNeXt-T 0.99
  // (0.27), SqueezeNet 1.0 0.84 (0.14); not taken RegNet-Y-400MF 0.98-1.05
  // (0.81), MobileNet V3 large 1.07 (0.96), GoogLeNet 1.08 (0.99),
  // Inception v3 1.00 (1.26), ResNet-50 1.00 (1.97), ResNet-18 1.12 (3.8),
  // ResNeXt-50 0.95 (1.50: the one miss). ShuffleNet V2 (1.11) and
  // MobileNet V3 small (1.05-1.10) fit in the cache at batch 8; AlexNet
  // (2.3) too.
  return per_image_gain(t, n) >= 0;
}

HeadSplit per_image_head(const Graph& g, const std::vector<int>& outputs, int64_t n, size_t cache_bytes,
                         int64_t lanes) {
  HeadSplit best;
  if (n < 2) return best;
  Checker checker(g, n);
  for (int v : g.inputs)
    if (!checker.batched(v)) return best;
  const size_t count = g.nodes.size();
  // The head can only be made of nodes that keep images apart.
  size_t per_image_prefix = 0;
  while (per_image_prefix < count && checker.check(g.nodes[per_image_prefix]).empty()) ++per_image_prefix;
  bool outputs_batched = true;
  for (int v : outputs) outputs_batched = outputs_batched && checker.batched(v);

  // Each value's last reader (a node index; `count` for what the caller
  // reads after the run), then, for every cut before node c, how many
  // values made before it are read at or after it, and the sum of their
  // ids (the one value's id when only one crosses).
  std::vector<int64_t> last_use(g.values.size(), -1);
  for (size_t i = 0; i < count; ++i) {
    for (int v : g.nodes[i].inputs)
      if (v >= 0) last_use[v] = static_cast<int64_t>(i);
    for (const PostOp& p : g.nodes[i].post_ops)
      if (p.sum_input >= 0) last_use[p.sum_input] = static_cast<int64_t>(i);
  }
  for (int v : outputs) last_use[v] = static_cast<int64_t>(count);
  std::vector<int64_t> crossing(count + 2, 0), id_sum(count + 2, 0);
  auto spans = [&](int v, int64_t producer) {
    if (v < 0 || g.values[v].constant || last_use[v] <= producer) return;
    crossing[producer + 1] += 1;
    crossing[last_use[v] + 1] -= 1;
    id_sum[producer + 1] += v;
    id_sum[last_use[v] + 1] -= v;
  };
  for (int v : g.inputs) spans(v, -1);
  for (size_t i = 0; i < count; ++i)
    for (int v : g.nodes[i].outputs) spans(v, static_cast<int64_t>(i));
  for (size_t c = 1; c < crossing.size(); ++c) {
    crossing[c] += crossing[c - 1];
    id_sum[c] += id_sum[c - 1];
  }

  auto is_listed = [](const std::vector<int>& list, int v) { return std::find(list.begin(), list.end(), v) != list.end(); };
  TrafficCounter traffic(g, n);
  double best_gain = 0;
  for (size_t head = 1; head <= per_image_prefix; ++head) {
    traffic.add(g.nodes[head - 1]);
    int value = -1;
    if (head == count) {
      if (!outputs_batched) break;
    } else {
      if (crossing[head] != 1) continue;
      value = static_cast<int>(id_sum[head]);
      // The tail's one input: computed by the head, the batch first, not
      // itself read by the caller (the tail would have to hand it back).
      if (!checker.batched(value) || is_listed(g.inputs, value) || is_listed(outputs, value)) continue;
    }
    const BatchTraffic& t = traffic.traffic();
    if (!per_image_pays(t, n, cache_bytes, lanes)) continue;
    const double gain = per_image_gain(t, n);
    if (best.nodes == 0 || gain > best_gain) {
      best = {head, value};
      best_gain = gain;
    }
  }
  return best;
}

namespace {

// The size of cpu0's cache at the highest level sysfs lists ("32768K"), or
// 0. Preferred to sysconf, which on AMD EPYC reports the L3 of the whole
// package (320 MiB here) rather than the slice a core shares (32 MiB).
size_t sysfs_last_level_cache() {
  int best_level = 0;
  size_t best = 0;
  for (int index = 0; index < 8; ++index) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
    std::ifstream level_file(dir + "level"), size_file(dir + "size");
    int level = 0;
    std::string size;
    if (!(level_file >> level) || !(size_file >> size) || size.empty()) continue;
    size_t unit = 1;
    if (size.back() == 'K') unit = size_t{1} << 10;
    if (size.back() == 'M') unit = size_t{1} << 20;
    const size_t bytes = std::strtoull(size.c_str(), nullptr, 10) * unit;
    if (level > best_level && bytes > 0) {
      best_level = level;
      best = bytes;
    }
  }
  return best;
}

}  // namespace

size_t last_level_cache_bytes() {
  static const size_t bytes = [] {
    if (const size_t b = sysfs_last_level_cache()) return b;
    for (int name : {_SC_LEVEL3_CACHE_SIZE, _SC_LEVEL2_CACHE_SIZE}) {
      const long b = sysconf(name);
      if (b > 0) return static_cast<size_t>(b);
    }
    return size_t{32} << 20;
  }();
  return bytes;
}

}  // namespace cnnrt
