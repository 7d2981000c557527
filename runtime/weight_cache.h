// Constants reordered into the layouts primitives want, made once and shared
// by every session of a model. Only compilation touches it (under a lock);
// running never does.
//
// get() hands out the destination buffer at once and queues the reorder;
// flush() runs everything queued, spread over all cores. Some conversions
// are slow (oneDNN 2.6's Winograd weight transform: 55 ms for one 512x512x3x3
// weight, single-threaded), so a compile queues them all and runs them in
// parallel before its program is used.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/quantization.h"
#include "runtime/tensor.h"

namespace cnnrt {

class WeightCache {
 public:
  // `src` (its bytes read as src_md) in layout dst_md. With `quant`, the
  // values are also multiplied by its scales, rounded and saturated into
  // dst_md's integer type (int8 weights; the scales are part of the key).
  // The bytes are valid once flush() has returned.
  Result<std::shared_ptr<const void>> get(const TensorPtr& src, const dnnl::memory::desc& src_md,
                                          const dnnl::memory::desc& dst_md, const dnnl::engine& engine,
                                          const QuantScales* quant = nullptr);
  // Runs every queued conversion (from any thread's get()); returns when all
  // of them, including ones another thread is running, are done.
  Status flush();
  size_t bytes() const;

 private:
  struct Entry {
    TensorPtr src;  // keeps the key's address from being reused
    dnnl::memory::desc from, to;
    QuantScales quant;  // empty scales: a plain conversion
    std::shared_ptr<const void> data;
  };
  struct Pending {
    dnnl::reorder reorder;
    dnnl::memory from, to;
    dnnl::engine engine;
    TensorPtr src;  // the source stays alive until converted
  };
  mutable std::mutex mu_;
  std::mutex flush_mu_;  // one flush at a time: a second waits for the first's work
  std::map<const TensorData*, std::vector<Entry>> entries_;
  std::vector<Pending> pending_;
  size_t bytes_ = 0;
};

}  // namespace cnnrt
