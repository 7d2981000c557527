// How an image becomes a model input: the preprocessing a model declares in
// its metadata (key "cnnrt.preprocessing"), a named preset, or flags, each
// overriding the one before; then applied to a decoded image.
//
// The metadata value is a JSON object; every key is optional:
//   "layout": "NCHW" | "NHWC"           input layout (default: from the input's shape)
//   "color":  "gray" | "rgb" | "bgr"     channel order (default: gray for 1 channel, rgb for 3)
//   "size":   [H, W]                      input size when the model's is dynamic
//   "resize": "stretch" | "shorter"       stretch: resize to H x W ignoring aspect (default);
//                                         shorter: scale the shorter side to "shorter_side",
//                                         keeping aspect, then crop the centre H x W
//   "shorter_side": S                     default round(max(H, W) / 0.875) (256 for 224)
//   "range":  [lo, hi]                    8-bit pixel 0 maps to lo, 255 to hi (default [0, 1])
//   "mean":   [m...], "std": [s...]       then x = (x - mean[c]) / std[c]; one value or one per
//                                         channel in the model's channel order (default 0 and 1)
// Class names live under "cnnrt.labels": a JSON array of strings, index order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/image.h"

namespace cnnrt_tools {

struct Preprocessing {
  std::optional<std::string> layout;  // "NCHW" or "NHWC"
  std::optional<std::string> color;   // "gray", "rgb" or "bgr"
  std::optional<std::vector<int>> size;  // [H, W]
  std::optional<std::string> resize;  // "stretch" or "shorter"
  std::optional<int> shorter_side;
  std::optional<std::vector<double>> range;  // [lo, hi]
  std::optional<std::vector<double>> mean, std;

  // Fields set in `over` replace this one's.
  void override_with(const Preprocessing& over);
  std::string to_json() const;
};

// Parses the metadata value (a JSON object as documented above).
bool parse_preprocessing(const std::string& json, Preprocessing* out, std::string* error);

// The names of the presets, and one of them (false for an unknown name).
const std::vector<std::string>& preset_names();
bool preset(const std::string& name, Preprocessing* out);
// One line per preset, for --help.
std::string preset_help();

// The model input an image is turned into.
struct InputGeometry {
  bool nhwc = false;
  int channels = 0;             // 1 or 3
  int height = -1, width = -1;  // -1: dynamic
};

// The geometry of a model input, or false with a reason if it is not an
// image input (rank 4, 1 or 3 channels, NCHW or NHWC).
bool image_geometry(size_t rank, const int64_t* dims, const Preprocessing& p, InputGeometry* out, std::string* error);

// Checks that p is consistent with the geometry (color vs channels, mean/std
// lengths, range, size) and fills in defaults; the result has every field.
bool resolve(const Preprocessing& p, const InputGeometry& g, Preprocessing* out, std::string* error);

// Resizes/crops `img` as p says (p resolved) and writes the input tensor
// of one image (channels x height x width floats, or HWC for NHWC) into dst.
// The output height and width are p.size if set, else the image's own.
bool preprocess_image(const Image& img, const Preprocessing& p, const InputGeometry& g, std::vector<float>* dst,
                      int* height, int* width, std::string* error);

}  // namespace cnnrt_tools
