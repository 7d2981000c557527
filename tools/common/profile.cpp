#include "common/profile.h"

namespace cnnrt_tools {

std::vector<ProfileStep> read_profile(const cnnrt_session* session) {
  size_t count = 0;
  cnnrt_session_profile_count(session, &count);
  std::vector<ProfileStep> steps(count);
  for (size_t i = 0; i < count; ++i) {
    ProfileStep& s = steps[i];
    cnnrt_session_profile_entry(session, i, &s.entry);
    cnnrt_session_step_runs_per_batch(session, i, &s.runs_per_batch);
    if (s.entry.runs) s.ms = static_cast<double>(s.runs_per_batch) * s.entry.total_ms / s.entry.runs;
  }
  return steps;
}

}  // namespace cnnrt_tools
