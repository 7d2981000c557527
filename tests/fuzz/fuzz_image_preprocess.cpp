// libFuzzer target: arbitrary bytes as an image file through exactly what
// cnnrt-classify does with one (tools/common: the byte guard, stb_image
// decoding, resizing, centre crop, colour conversion, normalisation). Any
// refusal is fine; a crash, a leak, undefined behaviour, a hang, a refusal
// without a reason, a wrong-sized or non-finite output is a bug.
#include <cmath>
#include <cstdlib>

#include "common/image.h"
#include "common/preprocess.h"

// The largest image decoded here: 16 Mpixels, a quarter of the tools' 64.
// A few kilobytes of PNG (1-bit palette) can declare 64 Mpixels of RGB;
// decoding and resizing that under ASan with coverage tracing takes 20 s,
// and libFuzzer runs an input twice when it checks it for leaks, past the
// 25 s per-input limit (run_fuzzer.sh). The code is the same at any size;
// the limit itself is tested by the CLI tests.
constexpr int64_t kFuzzMaxPixels = int64_t{1} << 24;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cnnrt_tools;
  // The last byte picks the output size and the preset, so the resizer sees
  // up- and down-sampling of every ratio and every colour path runs.
  const int side = size > 0 ? 1 + data[size - 1] % 64 : 8;
  const auto& presets = preset_names();
  const std::string& name = presets[size > 1 ? data[size - 2] % presets.size() : 0];
  Image img;
  std::string error;
  if (!decode_image(data, size, &img, &error, kFuzzMaxPixels)) {
    if (error.empty()) std::abort();
    return 0;
  }
  Preprocessing p, resolved;
  if (!preset(name, &p)) std::abort();
  InputGeometry g;
  g.channels = p.color && *p.color == "gray" ? 1 : 3;
  g.height = g.width = side;
  if (!resolve(p, g, &resolved, &error)) std::abort();  // every preset fits some geometry
  std::vector<float> out;
  int h = 0, w = 0;
  if (!preprocess_image(img, resolved, g, &out, &h, &w, &error)) {
    if (error.empty()) std::abort();
    return 0;
  }
  if (h != side || w != side || out.size() != static_cast<size_t>(g.channels) * side * side) std::abort();
  for (float v : out)
    if (!std::isfinite(v)) std::abort();
  return 0;
}
