// The default model compiled into cnnrt-classify (models/fashion_mnist/
// fashion_mnist_cnn.onnx), so the tool works with no model file at hand.
// The bytes are generated at build time by embed_file.cmake.
#pragma once

#include <cstddef>

extern const unsigned char cnnrt_embedded_model[];
extern const size_t cnnrt_embedded_model_size;
