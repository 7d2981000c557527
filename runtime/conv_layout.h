// How a graph's FP32 convolutions hold their activations.
//
// Left to itself (format_tag::any), oneDNN 2.6 runs convolutions on this
// AVX-512 CPU channels-last (brgconv), and a depthwise one on brdgmm_dw.
// Its 16-channel-blocked kernels (nChw16c: jit_dw, jit_1x1, jit:avx512_core)
// are faster on networks built from depthwise or grouped convolutions:
// jit_dw beat brdgmm_dw by 20 % on EfficientNet-B0's 16 depthwise layers
// (2.66 -> 2.12 ms) and the squeeze-excite Mul over blocks by 2.5x (0.36 ->
// 0.15 ms), while the 1x1 layers ran as fast either way. A channel shuffle
// (ShuffleNet's Reshape + Transpose of activations) needs row-major data,
// so there every shuffle costs a conversion out of blocks and back.
#pragma once

#include "runtime/graph.h"
#include "runtime/lower_context.h"

namespace cnnrt {

// ConvLayout::blocked for an FP32 graph with a grouped (or depthwise) 2-D
// convolution and no Transpose (a channel shuffle), else ConvLayout::any.
// Measured in one process, two sessions alternating runs (batch 1, 1
// thread, p50 ratio any / blocked, two to six runs each): MobileNet V2
// 1.02-1.03, MobileNet V3 small 1.01-1.03, MobileNet V3 large 1.01-1.015,
// RegNet-Y-400MF 1.02-1.03, ResNeXt-50 1.026, MNASNet 0.99-1.01,
// EfficientNet V2-S 0.994, EfficientNet-B0 0.98-1.09 (the default is
// bimodal across processes, 12.6 or 13.8 ms; blocked steady at 12.7-12.9);
// ShuffleNet V2 0.98-0.99 (so not with a Transpose).
CompileOptions::ConvLayout choose_conv_layout(const Graph& g, CompileOptions::Precision precision);

}  // namespace cnnrt
