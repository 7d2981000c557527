// The session options behind the flags cnnrt-run and cnnrt-bench share
// (--threads, --profile, --direct, --bf16, --int8, --batch-mode), so both
// read them alike.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

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

// --batch-mode auto|whole|per-image (cnnrt_session_options.batch_mode).
inline CLI::Option* add_batch_mode_option(CLI::App& app, std::string* flag) {
  return app
      .add_option("--batch-mode", *flag,
                  "How a batch runs: whole, per-image (image by image where no op mixes images), or auto "
                  "(per-image where that is expected to be faster)")
      ->check(CLI::IsMember({"auto", "whole", "per-image"}))
      ->capture_default_str();
}

inline cnnrt_batch_mode batch_mode_from_flag(const std::string& flag) {
  if (flag == "whole") return CNNRT_BATCH_WHOLE;
  if (flag == "per-image") return CNNRT_BATCH_PER_IMAGE;
  return CNNRT_BATCH_AUTO;
}

}  // namespace cnnrt_tools
