// The session options behind the flags cnnrt-run and cnnrt-bench share
// (--threads, --profile, --direct, --bf16, --int8), so both read them alike.
#pragma once

#include "cnnrt.h"

namespace cnnrt_tools {

inline cnnrt_session_options session_options_from_flags(int threads, bool profile, bool direct, bool bf16,
                                                        bool int8) {
  cnnrt_session_options so;
  cnnrt_session_options_init(&so);
  so.threads = threads;
  so.profile = profile ? 1 : 0;
  so.conv_algorithm = direct ? CNNRT_CONV_DIRECT : CNNRT_CONV_AUTO;
  so.precision = bf16 ? CNNRT_PRECISION_BF16 : int8 ? CNNRT_PRECISION_INT8 : CNNRT_PRECISION_FP32;
  return so;  // int8 calibration inputs are the caller's (calibration_sets.h)
}

}  // namespace cnnrt_tools
