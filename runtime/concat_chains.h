// Concat chains: Concats along the channels whose inputs grow one by one,
// as DenseNet's do (each layer concatenates every earlier layer's features:
// cat(f0, f1), cat(f0, f1, f2), ...). Each member's inputs start with its
// parent's inputs, in order. With one image (dims before the channel axis
// all 1), a channel prefix of a buffer is itself a dense tensor in a
// channel-outermost layout (row-major, or blocks of 16 channels when every
// slice is a whole number of blocks). So the whole chain lives in one
// buffer sized for its last member: each member is a prefix view of it and
// copies in only the inputs its parent did not have. A DenseNet block of L
// layers then copies each feature once instead of L times over.
#pragma once

#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/graph.h"

namespace cnnrt {

// Channels of one image in a channel-outermost layout: row-major, or blocks
// of 16 channels when every slice is whole blocks. A prefix or a slice of
// channels is then a dense tensor of its own, `offset` bytes in.
struct ChannelSlices {
  bool blocks_of_16 = false;
  // The layout of a [1, C, ...] f32 tensor or slice.
  Result<dnnl::memory::desc> layout(const Dims& dims) const;
  // Bytes before channel `channel` in a tensor of `dims`.
  static size_t offset(const Dims& dims, int64_t channel);
};

struct ConcatChain {
  std::vector<int> members;     // node indices, first to last (the largest)
  int64_t buffer_channels = 0;  // the last member's channels: the buffer's size
  bool blocks_of_16 = false;    // rank 4 and every input's channels a multiple of 16
};

// Where a value produced after its chain's buffer exists (a new input of a
// member after the first) can be written directly: its producer writes into
// that slice of the buffer and the member copies nothing for it.
struct ChainSlot {
  int chain = -1;
  int64_t channel = 0;  // first channel of its slice
};

struct ConcatChains {
  std::vector<ConcatChain> chains;
  std::vector<int> chain_of_node;          // per node: its chain, or -1
  std::vector<size_t> inputs_in_buffer;    // per member: inputs its parent copied (0 for the first)
  std::vector<ChainSlot> slot_of_value;    // per value: its slot, chain -1 for none
};

// The chains of two or more Concats in g. Needs concrete shapes (a
// compile's graph); a chain needs f32 values, axis 1, the first dim 1 and
// known dims everywhere.
ConcatChains find_concat_chains(const Graph& g);

}  // namespace cnnrt
