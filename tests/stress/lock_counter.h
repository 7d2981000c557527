// Counts the pthread mutex and rwlock acquisitions made by the calling
// thread, by interposing pthread_mutex_lock and friends for this test
// program (they forward to glibc). Lets a test assert that a code path takes
// no lock at all — including inside libstdc++ and oneDNN.
#pragma once

#include <cstdint>

namespace cnnrt::test {

// Starts counting on this thread (resets the count).
void start_counting_locks();
// Stops counting on this thread and returns the acquisitions since start.
uint64_t stop_counting_locks();
// False if the interposition is not in effect (then counts mean nothing).
bool lock_counting_works();

}  // namespace cnnrt::test
