// Reads an ONNX model into the runtime's IR. The only place (with
// onnx_tensor) that sees protobuf types.
#pragma once

#include <string>

#include "runtime/graph.h"

namespace cnnrt {

// Loads a model file; external data is resolved inside the file's folder.
Result<Graph> load_onnx_file(const std::string& path);

// Loads a model from memory. `source` names it in messages; `folder`, if not
// empty, is where external data may be read from (empty: refused).
Result<Graph> load_onnx_bytes(const void* data, size_t size, const std::string& source,
                              const std::string& folder);

}  // namespace cnnrt
