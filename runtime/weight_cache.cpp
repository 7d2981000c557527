#include "runtime/weight_cache.h"

namespace cnnrt {

Result<std::shared_ptr<const void>> WeightCache::get(const TensorPtr& src, const dnnl::memory::desc& src_md,
                                                     const dnnl::memory::desc& dst_md, const dnnl::engine& engine) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& list = entries_[src.get()];
  for (const Entry& e : list)
    if (e.md == dst_md) return e.data;

  const size_t bytes = dst_md.get_size();
  std::shared_ptr<uint8_t> dst = aligned_bytes(bytes);
  dnnl::memory from(src_md, engine, const_cast<void*>(src->data()));
  dnnl::memory to(dst_md, engine, dst.get());
  dnnl::stream stream(engine);
  dnnl::reorder(from, to).execute(stream, from, to);
  stream.wait();
  list.push_back({src, dst_md, dst});
  bytes_ += bytes;
  return std::shared_ptr<const void>(dst);
}

size_t WeightCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace cnnrt
