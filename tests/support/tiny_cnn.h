// Test support: a small but complete CNN (Conv+Relu, MaxPool, Conv+Relu,
// Flatten, Gemm, Softmax) with deterministic random weights, for tests that
// need a real model rather than one op: concurrency, determinism, the C API,
// hostile callers.
#pragma once

#include <cstdint>
#include <string>

namespace cnnrt::test {

struct TinyCnn {
  static constexpr int64_t kChannels = 3, kSize = 16, kClasses = 10;
  // Serialized ModelProto. Input "image" [batch, 3, 16, 16] float (batch -1:
  // symbolic "N"); output "probs" [batch, 10].
  static std::string bytes(int64_t batch = 1);
  // Elements of one image.
  static constexpr int64_t image_elements() { return kChannels * kSize * kSize; }
};

}  // namespace cnnrt::test
