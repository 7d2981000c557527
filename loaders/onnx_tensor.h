// Decoding ONNX TensorProto messages into TensorData: every storage form
// (raw_data little-endian, typed repeated fields, external data), with every
// size checked against the declared shape before anything is copied.
#pragma once

#include <memory>
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

// Bytes read out of a message (loaders/onnx_stream_parse.h): 64-byte
// aligned, `size` of them; no data when nothing was read out.
struct RawBytes {
  std::shared_ptr<uint8_t> data;
  size_t size = 0;
};
// As decode_tensor_taking for a proto whose raw_data was read out into
// `raw`: the tensor takes those bytes (the rare forms that cannot, such as
// external or segmented tensors, get them back into the proto first).
Result<TensorPtr> decode_tensor_with_raw(onnx::TensorProto& proto, RawBytes raw, const ExternalDataRoot& root);
// Parses a serialized TensorProto (an ONNX backend test's input_N.pb or
// output_N.pb). `name` receives the tensor's name (may be empty).
Result<TensorPtr> decode_tensor_bytes(const void* data, size_t size, std::string* name);

}  // namespace cnnrt
