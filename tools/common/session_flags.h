// The session options behind the flags cnnrt-run and cnnrt-bench share
// (--threads, --profile, --direct, --bf16, --int8, --batch-mode), so both
// read them alike.
#pragma once

#include <map>
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

// --batch-mode auto|whole|per-image into *mode (cnnrt_session_options.batch_mode).
inline CLI::Option* add_batch_mode_option(CLI::App& app, cnnrt_batch_mode* mode) {
  static const std::map<std::string, cnnrt_batch_mode> modes = {
      {"auto", CNNRT_BATCH_AUTO}, {"whole", CNNRT_BATCH_WHOLE}, {"per-image", CNNRT_BATCH_PER_IMAGE}};
  return app
      .add_option("--batch-mode", *mode,
                  "How a batch runs: whole, per-image (image by image where no op mixes images), or auto "
                  "(per-image where that is expected to be faster)")
      ->transform(CLI::CheckedTransformer(modes, CLI::ignore_case))
      ->default_str("auto");
}

}  // namespace cnnrt_tools
