// Parsing an ONNX file without holding large weights twice. protobuf reads
// a bytes field above 50 MB from a stream by growing a string (doubling it),
// so a 411 MB raw_data (VGG's first classifier layer) briefly needs 800 MB;
// and every raw_data lands in a string first. Here the model is parsed
// field by field, as protobuf would (a message is the merge of its fields,
// in order), except that a large raw_data of a graph initializer is read
// straight into aligned memory of exactly its size and kept out of the
// message.
#pragma once

#include <vector>

#include "loaders/onnx_tensor.h"

namespace google::protobuf::io {
class ZeroCopyInputStream;
}
namespace onnx {
class ModelProto;
}

namespace cnnrt {

// raw_data from this size on is read out of the message.
constexpr size_t kLargeRawDataBytes = size_t{64} << 10;

// Parses `size` bytes of `stream` into *model; (*large)[i] holds the
// raw_data of the graph's initializer i when it was read out (empty data
// otherwise; the initializer then has no raw_data field). False when the
// bytes are not a model this walk handles (malformed, or wire forms ONNX
// files do not use, such as groups or a repeated raw_data): the caller then
// parses the whole file the ordinary way, which also names any error.
bool parse_model_reading_large_raw_data(google::protobuf::io::ZeroCopyInputStream* stream, size_t size,
                                        onnx::ModelProto* model, std::vector<RawBytes>* large);

}  // namespace cnnrt
