// Thread count control. oneDNN here uses OpenMP: the team size is the
// calling thread's OpenMP setting when a primitive is created and run, so a
// session sets it around its own work and restores the caller's afterwards.
#pragma once

namespace cnnrt {

// All cores the process may use.
int default_thread_count();

class ThreadScope {
 public:
  explicit ThreadScope(int threads);
  ~ThreadScope();
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int saved_;
};

}  // namespace cnnrt
