#include "lock_counter.h"

#include <dlfcn.h>
#include <pthread.h>

#include <mutex>

namespace {
thread_local bool t_counting = false;
thread_local uint64_t t_locks = 0;

// glibc's functions, found once (the first call resolves them; dlsym does
// not take these locks itself).
template <class F>
F next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}
using MutexFn = int (*)(pthread_mutex_t*);
using RwFn = int (*)(pthread_rwlock_t*);

inline void note() {
  if (t_counting) ++t_locks;
}
}  // namespace

extern "C" {
int pthread_mutex_lock(pthread_mutex_t* m) {
  static const MutexFn real = next<MutexFn>("pthread_mutex_lock");
  note();
  return real(m);
}
int pthread_mutex_trylock(pthread_mutex_t* m) {
  static const MutexFn real = next<MutexFn>("pthread_mutex_trylock");
  note();
  return real(m);
}
int pthread_rwlock_rdlock(pthread_rwlock_t* l) {
  static const RwFn real = next<RwFn>("pthread_rwlock_rdlock");
  note();
  return real(l);
}
int pthread_rwlock_wrlock(pthread_rwlock_t* l) {
  static const RwFn real = next<RwFn>("pthread_rwlock_wrlock");
  note();
  return real(l);
}
}

namespace cnnrt::test {

void start_counting_locks() {
  t_locks = 0;
  t_counting = true;
}

uint64_t stop_counting_locks() {
  t_counting = false;
  return t_locks;
}

bool lock_counting_works() {
  static std::mutex probe;
  start_counting_locks();
  probe.lock();
  probe.unlock();
  return stop_counting_locks() == 1;
}

}  // namespace cnnrt::test
