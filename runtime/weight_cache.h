// Constants reordered into the layouts primitives want, made once and shared
// by every session of a model. Only compilation touches it (under a lock);
// running never does.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/tensor.h"

namespace cnnrt {

class WeightCache {
 public:
  // `src` (row-major, described by src_md) in layout dst_md.
  Result<std::shared_ptr<const void>> get(const TensorPtr& src, const dnnl::memory::desc& src_md,
                                          const dnnl::memory::desc& dst_md, const dnnl::engine& engine);
  size_t bytes() const;

 private:
  struct Entry {
    TensorPtr src;  // keeps the key's address from being reused
    dnnl::memory::desc md;
    std::shared_ptr<const void> data;
  };
  mutable std::mutex mu_;
  std::map<const TensorData*, std::vector<Entry>> entries_;
  size_t bytes_ = 0;
};

}  // namespace cnnrt
