// The image input of a model and how to fill it: its name, type and shape,
// and the preprocessing chosen from the model's metadata, a --preset and
// individual flags (each overriding the one before). Shared by the tools
// that feed images to models.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cnnrt.h"
#include "common/failure.h"
#include "common/preprocess.h"

namespace cnnrt_tools {

// The preprocessing flags as given on the command line (empty: not given).
struct PreprocessFlags {
  std::string preset, color, layout, resize;
  std::vector<int> size;
  int shorter_side = 0;
  std::vector<double> range, mean, std;
};

// Adds --preset, --color, --layout, --size, --resize, --shorter-side,
// --range, --mean and --std to app.
void add_preprocess_flags(CLI::App& app, PreprocessFlags& flags);

// The help text for the metadata keys and the presets.
std::string preprocess_help();

struct ImageInput {
  cnnrt_tensor_info info{};   // the model's (only) input; strings owned by the model
  InputGeometry geometry;
  Preprocessing pre;          // resolved: every field set
  std::string source;         // "metadata", "preset caffe", "default", possibly "+ flags"
};

// Works out the input of `model` (named `model_name` in messages): exactly
// one rank-4 float32 or uint8 input with 1 or 3 channels; its
// preprocessing. A preset or flags that do not fit the model are a usage
// error (exit 2); a model whose input is not an image is an error (exit 1).
Failure describe_image_input(const cnnrt_model* model, const std::string& model_name, const PreprocessFlags& flags,
                             ImageInput* out);

// Decodes and preprocesses one image file into `data` (one image's worth:
// C*H*W values in the input's layout, floats; callers round for uint8).
Failure load_input_image(const std::string& path, const ImageInput& in, std::vector<float>* data, int* height,
                         int* width);

}  // namespace cnnrt_tools
