// Test support for elementwise ops: numpy broadcasting for naive
// references, one-node models, a NaN-aware comparison, and checks that an
// activation computes the same after a Conv or Gemm, where it is fused.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "support/onnx_builder.h"
#include "support/run_model.h"

namespace cnnrt::test {

using Dims = std::vector<int64_t>;

// numpy's broadcast of two shapes (the test's own, naive version).
Dims broadcast_dims(const Dims& a, const Dims& b);

// Flat index into a tensor of dims `in` that output element i (of dims
// `out`) reads under numpy broadcasting (right-aligned, 1 stretches).
size_t broadcast_offset(const Dims& in, const Dims& out, size_t i);

// A model of one node `op` whose inputs are graph inputs named and typed as
// `inputs` (an empty name leaves that optional input out), output "y".
std::string one_node_model(const std::string& op, int opset, const std::vector<HostTensor>& inputs,
                           std::vector<Attr> attrs = {});

// "" if got matches want element by element (|g - w| <= atol + rtol * |w|,
// NaN only where NaN, infinities equal), else the first mismatch.
std::string first_mismatch(const std::vector<float>& got, const std::vector<float>& want, double atol, double rtol);

// Runs `op` (one input x plus attrs) on random inputs in [lo, hi) over
// shapes from scalar to rank 5 with odd sizes, against `ref` applied per
// element in double.
void check_unary(const std::string& op, int opset, const std::vector<Attr>& attrs,
                 const std::function<double(double)>& ref, float lo, float hi, double atol, double rtol);

// A 1x1 Conv of x (dims [n, c, spatial...]) with weights w [m, c] and the
// same bias for every channel, in double, dims [n, m, spatial...]: the
// naive input of ops tested after a Conv (whose output arrives in the
// Conv's layout).
std::vector<double> conv1x1_reference(const Dims& x_dims, const std::vector<float>& x, const std::vector<float>& w,
                                      int64_t m, double bias = 0);

// The same activation after a producer: Conv (3x3, 3 -> 16 channels) or
// Gemm (transB and not). The result must match ref(naive producer) and, if
// `fused`, the activation must run as the producer's post-op (no step of
// its own in the profile).
void check_after_producer(const std::string& producer, const std::string& op, int opset, const std::vector<Attr>& attrs,
                          const std::function<double(double)>& ref, bool fused, double atol, double rtol);

// Two float inputs a (dims da, values in [alo, ahi)) and b (db, [blo, bhi))
// through `op`, against ref(a, b) per element under numpy broadcasting
// (`legacy_b`, if given, is b's shape padded as the legacy axis places it).
// Comparison outputs (bool) are compared as 0/1.
void check_binary(const std::string& op, int opset, const std::vector<Attr>& attrs, const Dims& da, const Dims& db,
                  const std::function<double(double, double)>& ref, float alo, float ahi, float blo, float bhi,
                  double atol, double rtol, const Dims* legacy_b = nullptr);

// The shape pairs every broadcasting op is checked over: equal, suffix,
// prefix-only broadcast of either side, both sides stretching, scalars,
// size-1 dims, rank mismatches and odd sizes.
const std::vector<std::pair<Dims, Dims>>& broadcast_cases();

}  // namespace cnnrt::test
