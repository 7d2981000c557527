// Running a batch image by image with the batch-1 plan.
//
// At batch 8 a memory-bound network (MobileNet V2, SqueezeNet, DenseNet)
// streams eight images' activations through every layer: a layer's input
// and output no longer fit in the caches, and each depthwise or 1x1
// convolution waits on DRAM (MobileNet V2's first stride-2 depthwise conv
// runs at 7 GFLOP/s at batch 8). Running the batch-1 plan once per image
// keeps a layer's working set in cache, at the cost of reading the weights
// once per image instead of once per batch. That trade is only allowed when
// no op mixes images, which why_not_per_image() proves from the folded
// graph, and only taken when per_image_pays() expects it to be faster; or,
// for the first layers only, when per_image_head() finds a prefix that
// pays more than the whole graph would.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/graph.h"

namespace cnnrt {

// `g` is the model folded and fused for concrete shapes whose graph inputs
// all have `n` as their first dimension. Returns "" when every node left
// computes each image from that image alone (so slice i of each output is
// what the batch-1 graph gives for image i), else why not, naming the node:
// e.g. "node 'sm' (Softmax): axis 0 mixes images". `outputs` are the values
// the caller reads; each must have `n` as its first dimension too.
// Conservative: an op it does not know is a reason.
std::string why_not_per_image(const Graph& g, const std::vector<int>& outputs, int64_t n);

// The figures per_image_pays() decides on, counted over nodes of `g` folded
// at batch n (per_image_head() counts them for each prefix).
struct BatchTraffic {
  double activation_bytes = 0;     // every computed tensor, whole batch
  double largest_image_bytes = 0;  // the largest computed tensor of one image
  double weight_bytes = 0;         // constants read by the nodes
};

// Whether running `n` images one by one is expected to beat one batched
// run, on a machine whose last-level cache holds `cache_bytes`: no when a
// layer's batched working set (input and output of the largest tensor's
// size, n images) fits in the cache anyway, or when the weights re-read
// for every image after the first weigh more than 3/4 of the activations
// (threshold measured, see the .cpp).
// `lanes`: how many images would run at once (one per thread); with more
// than one the cache test is skipped (see the .cpp).
bool per_image_pays(const BatchTraffic& t, int64_t n, size_t cache_bytes, int64_t lanes = 1);

// Where a batch splits: its first `nodes` nodes (of `g`, folded and fused
// at batch n) run image by image and hand one tensor, `value`, holding the
// batch's images along its first dimension, to the rest of the graph,
// which runs as one batch. nodes == 0: nothing runs image by image; value
// == -1 with nodes == g.nodes.size(): the whole graph does.
struct HeadSplit {
  size_t nodes = 0;
  int value = -1;
};

// The split expected to be fastest. Early layers of a CNN have large
// activations and small weights (image by image keeps them in cache), late
// layers the reverse (one batched pass reads their weights once), so the
// candidates are the prefixes that end where a single tensor crosses to the
// rest (between blocks); each is scored like a whole graph is by
// per_image_pays(): activations it keeps in cache against the weights it
// re-reads, and the best that pays is taken. `outputs` are the values the
// caller reads (the graph's outputs and any extra ones), which the tail
// must compute or the head must be the whole graph.
HeadSplit per_image_head(const Graph& g, const std::vector<int>& outputs, int64_t n, size_t cache_bytes,
                         int64_t lanes = 1);

// The size of the last-level cache a core shares (sysfs, else sysconf,
// else 32 MiB).
size_t last_level_cache_bytes();

}  // namespace cnnrt
