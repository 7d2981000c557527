// Decoding ONNX TensorProto messages into TensorData: every storage form
// (raw_data little-endian, typed repeated fields, external data), with every
// size checked against the declared shape before anything is copied.
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace onnx {
class TensorProto;
}

namespace cnnrt {

// Where external data may be read from: the model's folder. Empty means the
// model came from memory and external data is refused.
struct ExternalDataRoot {
  std::string folder;
};

Result<TensorPtr> decode_tensor(const onnx::TensorProto& proto, const ExternalDataRoot& root);

// As decode_tensor, but takes over proto's raw_data buffer instead of copying
// it (the proto is left without it): a model's weights are then held once,
// not twice, while loading.
Result<TensorPtr> decode_tensor_taking(onnx::TensorProto& proto, const ExternalDataRoot& root);

// Parses a serialized TensorProto (an ONNX backend test's input_N.pb or
// output_N.pb). `name` receives the tensor's name (may be empty).
Result<TensorPtr> decode_tensor_bytes(const void* data, size_t size, std::string* name);

}  // namespace cnnrt
