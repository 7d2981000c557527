#include "runtime/calibration.h"

#include <algorithm>
#include <cmath>

#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

// The float values some node would quantize, in graph order, each once.
std::vector<std::string> values_to_calibrate(const Graph& g) {
  std::vector<std::string> names;
  for (const Node& n : g.nodes) {
    if (!n.def || !n.def->quantizes_input || n.inputs.empty() || n.inputs[0] < 0) continue;
    const Value& v = g.values[n.inputs[0]];
    if (v.dtype != DType::f32 || v.constant) continue;
    if (std::find(names.begin(), names.end(), v.name) == names.end()) names.push_back(v.name);
  }
  return names;
}

void update(ValueRange* r, const float* x, size_t n) {
  float hi = r->max_abs;
  bool non_negative = r->non_negative;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) continue;  // an overflow in one sample must not set the scale of every run
    hi = std::max(hi, std::fabs(x[i]));
    non_negative = non_negative && x[i] >= 0;
  }
  r->max_abs = hi;
  r->non_negative = non_negative;
}

}  // namespace

Result<std::shared_ptr<const Calibration>> calibrate(const std::shared_ptr<const Model>& model, int threads,
                                                     const std::vector<std::vector<InputBinding>>& samples) {
  auto cal = std::make_shared<Calibration>();
  cal->samples = samples.size();
  const Graph& g = model->graph();
  const std::vector<std::string> names = values_to_calibrate(g);
  if (names.empty()) return std::shared_ptr<const Calibration>(cal);

  SessionOptions o;
  o.threads = threads;
  o.compile.conv_algorithm = CompileOptions::ConvAlgorithm::direct;  // no Winograd weight transform for one use
  o.extra_outputs = names;
  o.private_weights = true;
  auto made = Session::create(model, o);
  if (!made.ok()) return made.status().with_prefix("calibration: ");
  Session& s = *made.value();
  std::vector<ValueRange> ranges(names.size());
  const size_t first = g.outputs.size();  // extra outputs follow the graph outputs
  for (size_t k = 0; k < samples.size(); ++k) {
    Status st = s.run(samples[k]);
    if (!st.ok()) return st.with_prefix(cat("calibration sample ", k, ": "));
    for (size_t j = 0; j < names.size(); ++j) {
      const ProgTensor& t = s.output_tensor(first + j);
      if (t.dtype != DType::f32) return internal_error("calibration: '", names[j], "' is not float32");
      update(&ranges[j], static_cast<const float*>(s.output_data(first + j)), t.bytes / sizeof(float));
    }
  }
  for (size_t j = 0; j < names.size(); ++j) cal->ranges[names[j]] = ranges[j];
  return std::shared_ptr<const Calibration>(cal);
}

}  // namespace cnnrt
