// The shared machinery of ONNX's elementwise binary and variadic ops (Add,
// Sub, Mul, Div, Max, Min, Sum, Mean, and the comparisons): shape inference
// with numpy broadcasting (or the legacy broadcast/axis attributes before
// opset 7), float32 lowering onto oneDNN's binary primitive, and exact loops
// for integer tensors.
//
// float32: the operand with the output's shape becomes src0 and keeps the
// layout it arrived in (two NHWC conv outputs are added in NHWC, in place
// when nothing else reads the first); the other operand broadcasts as
// oneDNN's src1. If only the second operand has the output's shape, the
// operands are exchanged where that is exact (commutative ops, Sub as
// -(b - a), comparisons mirrored); otherwise the first is materialised at
// the output's shape first.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/infer_context.h"
#include "runtime/lower_context.h"

namespace cnnrt {

enum class BinaryOp { add, sub, mul, div, max, min, equal, less, greater, less_equal, greater_equal };

struct BinarySpec {
  BinaryOp op;
  // Opsets below this one use the legacy broadcast/axis attributes (7 for
  // Add/Sub/Mul/Div/Equal/Less/Greater); 0 if the op never had them.
  int legacy_below = 0;
  // Output is bool (comparisons).
  bool bool_output = false;
};

// Two inputs of one type (float32, integers; bool for Equal), output shape
// broadcast, output type the input's (bool for comparisons).
Status infer_binary(InferContext& ctx, const BinarySpec& spec);
Status lower_binary(LowerContext& ctx, const BinarySpec& spec);

// Variadic Max, Min, Sum, Mean: one or more inputs of one type, broadcast
// together from opset 8 (equal shapes before). Mean and Sum take float32
// only.
Status infer_variadic(InferContext& ctx, bool integers_allowed);
Status lower_variadic(LowerContext& ctx, BinaryOp op, bool mean);

// The output shape and both inputs' shapes padded to its rank, as the op
// broadcasts them (numpy right-alignment, or the legacy axis placement).
struct BroadcastPlan {
  Dims out;
  Dims in[2];
};
Result<BroadcastPlan> plan_broadcast(const Attributes& attrs, int opset, int legacy_below, const Dims& a,
                                     const Dims& b);

}  // namespace cnnrt
