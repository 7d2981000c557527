// libFuzzer target: arbitrary bytes as an image file through decoding,
// centre crop, resize and normalisation (see image_preprocess.h). Any
// refusal is fine; a crash, a leak, undefined behaviour, a hang, a refusal
// without a reason or a non-finite output value is a bug.
#include <cmath>
#include <cstdlib>

#include "tests/fuzz/image_preprocess.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cnnrt::fuzz::PreprocessOptions options;
  options.max_pixels = uint64_t{1} << 22;  // keeps each input fast; the limit logic is the same
  // The output size varies with the input so the resizer sees up- and
  // down-sampling of every ratio.
  if (size > 0) options.size = 1 + data[size - 1] % 64;
  std::vector<float> out;
  std::string error;
  if (!cnnrt::fuzz::preprocess_image(data, size, options, &out, &error)) {
    if (error.empty()) std::abort();
    return 0;
  }
  if (out.size() != 3u * options.size * options.size) std::abort();
  for (float v : out)
    if (!std::isfinite(v)) std::abort();
  return 0;
}
