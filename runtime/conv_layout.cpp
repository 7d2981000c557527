#include "runtime/conv_layout.h"

namespace cnnrt {

CompileOptions::ConvLayout choose_conv_layout(const Graph& g, CompileOptions::Precision precision) {
  using Layout = CompileOptions::ConvLayout;
  if (precision != CompileOptions::Precision::fp32) return Layout::any;
  bool grouped = false;
  for (const Node& n : g.nodes) {
    if (n.op_type == "Transpose") return Layout::any;
    if (n.op_type != "Conv" || n.inputs.size() < 2 || n.inputs[1] < 0) continue;
    auto group = n.attrs.get_int("group", 1);
    const bool two_d = g.values[n.inputs[1]].shape.size() == 4;  // weights [M, C/group, kh, kw]
    grouped = grouped || (group.ok() && group.value() > 1 && two_d);
  }
  return grouped ? Layout::blocked : Layout::any;
}

}  // namespace cnnrt
