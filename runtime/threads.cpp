#include "runtime/threads.h"

#include <omp.h>

namespace cnnrt {

int default_thread_count() { return omp_get_num_procs(); }

ThreadScope::ThreadScope(int threads) : saved_(omp_get_max_threads()) {
  omp_set_num_threads(threads > 0 ? threads : default_thread_count());
}

ThreadScope::~ThreadScope() { omp_set_num_threads(saved_); }

}  // namespace cnnrt
