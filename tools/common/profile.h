// A session's profile as the tools print it: every step with its time per
// run of the session (a step that runs image by image runs once per image
// of the batch, cnnrt_session_step_runs_per_batch).
#pragma once

#include <cstdint>
#include <vector>

#include "cnnrt.h"

namespace cnnrt_tools {

struct ProfileStep {
  cnnrt_profile_entry entry{};
  int64_t runs_per_batch = 1;  // 1, or the batch size for an image-by-image step
  double ms = 0;               // per run of the session (0 unless the session profiles)
};

std::vector<ProfileStep> read_profile(const cnnrt_session* session);

}  // namespace cnnrt_tools
