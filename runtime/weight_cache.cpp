#include "runtime/weight_cache.h"

#include <omp.h>

#include <atomic>
#include <thread>

#include "runtime/threads.h"

namespace cnnrt {

Result<std::shared_ptr<const void>> WeightCache::get(const TensorPtr& src, const dnnl::memory::desc& src_md,
                                                     const dnnl::memory::desc& dst_md, const dnnl::engine& engine,
                                                     const QuantScales* quant) {
  const QuantScales q = quant ? *quant : QuantScales();
  std::lock_guard<std::mutex> lock(mu_);
  auto& list = entries_[src.get()];
  for (const Entry& e : list)
    if (e.from == src_md && e.to == dst_md && e.quant == q) return e.data;

  const size_t bytes = dst_md.get_size();
  std::shared_ptr<uint8_t> dst = aligned_bytes(bytes);
  Pending p;
  p.from = dnnl::memory(src_md, engine, const_cast<void*>(src->data()));
  p.to = dnnl::memory(dst_md, engine, dst.get());
  dnnl::primitive_attr attr;
  if (!q.scales.empty()) attr.set_output_scales(q.mask, q.scales);
  p.reorder = dnnl::reorder(p.from, p.to, attr);  // created now (cheap); run by flush()
  p.engine = engine;
  p.src = src;
  pending_.push_back(std::move(p));
  list.push_back({src, src_md, dst_md, q, dst});
  bytes_ += bytes;
  return std::shared_ptr<const void>(dst);
}

Status WeightCache::flush() {
  std::lock_guard<std::mutex> serial(flush_mu_);
  std::vector<Pending> work;
  {
    std::lock_guard<std::mutex> lock(mu_);
    work.swap(pending_);
  }
  if (work.empty()) return ok_status();
  // One reorder per worker at a time, each on one OpenMP thread: the slow
  // ones are sequential inside oneDNN anyway, and this keeps the cores busy
  // without oversubscribing them.
  const size_t workers = std::min<size_t>(work.size(), static_cast<size_t>(std::max(1, default_thread_count())));
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto worker = [&] {
    omp_set_num_threads(1);
    try {
      for (size_t i = next++; i < work.size(); i = next++) {
        dnnl::stream stream(work[i].engine);
        work[i].reorder.execute(stream, work[i].from, work[i].to);
        stream.wait();
      }
    } catch (const std::exception&) {
      failed = true;
    }
  };
  if (workers == 1) {
    const int saved = omp_get_max_threads();
    worker();
    omp_set_num_threads(saved);
  } else {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < workers; ++t) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
  }
  if (failed) return internal_error("converting weights to a primitive's layout failed");
  return ok_status();
}

size_t WeightCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

}  // namespace cnnrt
