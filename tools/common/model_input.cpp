#include "common/model_input.h"

#include "common/image.h"

namespace cnnrt_tools {

namespace {

const char* kMetadataHelp = R"(
Preprocessing comes from the model's metadata_props, then --preset, then the
individual flags, each overriding the one before. Metadata keys:
  cnnrt.preprocessing  a JSON object, every key optional:
    "layout": "NCHW"|"NHWC"       default: from the input's shape
    "color": "gray"|"rgb"|"bgr"   default: gray for 1 channel, rgb for 3
    "size": [H, W]                for a dynamic input size (default: the image's own)
    "resize": "stretch"|"shorter" stretch to H x W (default), or scale the shorter
                                  side to "shorter_side" keeping the aspect ratio
                                  and cut out the centre H x W
    "shorter_side": S             default round(max(H, W) / 0.875): 256 for 224
    "range": [lo, hi]             8-bit pixels 0..255 map linearly onto lo..hi
                                  (default [0, 1]; [0, 255] keeps raw values)
    "mean": [...], "std": [...]   then x = (x - mean[c]) / std[c]; one value, or one
                                  per channel in the model's channel order
  cnnrt.labels         a JSON array of class names in output order
  Example: {"color": "rgb", "resize": "shorter", "range": [0, 1],
            "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
Without metadata, preset or flags: gray or RGB by channel count, 0-1, no
mean/std, stretched to the input size.

Presets (--preset NAME):
)";

bool any(const PreprocessFlags& f) {
  return !f.color.empty() || !f.layout.empty() || !f.resize.empty() || f.shorter_side > 0 || !f.size.empty() ||
         !f.range.empty() || !f.mean.empty() || !f.std.empty();
}

// metadata <- preset <- flags.
Failure choose(const cnnrt_model* m, const std::string& name, const PreprocessFlags& o, Preprocessing* out,
               std::string* source) {
  Preprocessing p;
  const char* meta = nullptr;
  cnnrt_model_metadata(m, "cnnrt.preprocessing", &meta);
  *source = "default";
  if (meta) {
    std::string err;
    if (!parse_preprocessing(meta, &p, &err))
      return error(name + ": metadata \"cnnrt.preprocessing\" " + (err.rfind("is ", 0) == 0 ? "" : "is invalid: ") +
                   err);
    *source = "metadata";
  }
  if (!o.preset.empty()) {
    Preprocessing ps;
    if (!preset(o.preset, &ps)) return usage("unknown preset '" + o.preset + "'");
    // A preset replaces everything about pixel values; size and layout
    // still come from the model.
    p.color = ps.color;
    p.range = ps.range;
    p.mean = ps.mean;
    p.std = ps.std;
    p.resize = ps.resize;
    p.shorter_side = ps.shorter_side;
    *source = "preset " + o.preset;
  }
  Preprocessing flags;
  if (!o.color.empty()) flags.color = o.color;
  if (!o.layout.empty()) flags.layout = o.layout;
  if (!o.resize.empty()) flags.resize = o.resize;
  if (o.shorter_side > 0) {
    flags.shorter_side = o.shorter_side;
    if (o.resize.empty()) flags.resize = "shorter";
  }
  if (!o.size.empty()) {
    if (o.size.size() != 2 || o.size[0] < 1 || o.size[1] < 1 || o.size[0] > 65536 || o.size[1] > 65536)
      return usage("--size takes H,W: two integers in 1..65536");
    flags.size = o.size;
  }
  if (!o.range.empty()) {
    if (o.range.size() != 2) return usage("--range takes LO,HI: two numbers");
    flags.range = o.range;
  }
  if (!o.mean.empty()) flags.mean = o.mean;
  if (!o.std.empty()) flags.std = o.std;
  if (any(o)) *source += " + flags";
  p.override_with(flags);
  *out = p;
  return {};
}

}  // namespace

void add_preprocess_flags(CLI::App& app, PreprocessFlags& f) {
  app.add_option("-p,--preset", f.preset, "Preprocessing preset (see below)")->check(CLI::IsMember(preset_names()));
  app.add_option("--color", f.color, "Channel order the model wants")->check(CLI::IsMember({"gray", "rgb", "bgr"}));
  app.add_option("--layout", f.layout, "Input layout")->check(CLI::IsMember({"NCHW", "NHWC"}));
  app.add_option("--size", f.size, "H,W: the input size, for models whose size is dynamic")->delimiter(',');
  app.add_option("--resize", f.resize, "stretch: to the input size; shorter: shorter side, then centre crop")
      ->check(CLI::IsMember({"stretch", "shorter"}));
  app.add_option("--shorter-side", f.shorter_side, "Shorter side before the centre crop (implies --resize shorter)")
      ->check(CLI::Range(1, 65536));
  app.add_option("--range", f.range, "LO,HI: what 8-bit pixels 0 and 255 map to (e.g. 0,1 or 0,255)")->delimiter(',');
  app.add_option("--mean", f.mean, "Per-channel mean: one value or one per channel (model channel order)")
      ->delimiter(',');
  app.add_option("--std", f.std, "Per-channel standard deviation: one value or one per channel")->delimiter(',');
}

std::string preprocess_help() { return std::string(kMetadataHelp) + preset_help(); }

Failure describe_image_input(const cnnrt_model* m, const std::string& name, const PreprocessFlags& flags,
                             ImageInput* out) {
  size_t n_in = 0;
  cnnrt_model_input_count(m, &n_in);
  if (n_in != 1)
    return error(name + ": the model has " + std::to_string(n_in) + " inputs; an image model has exactly one");
  cnnrt_model_input_info(m, 0, &out->info);
  const std::string input = "input '" + std::string(out->info.name) + "'";
  if (out->info.dtype != CNNRT_FLOAT32 && out->info.dtype != CNNRT_UINT8)
    return error(name + ": " + input + " has element type " + std::to_string(out->info.dtype) +
                 ": not an image input (need float32 or uint8)");
  Preprocessing chosen;
  if (Failure f = choose(m, name, flags, &chosen, &out->source)) return f;
  std::string err;
  if (!image_geometry(out->info.rank, out->info.dims, chosen, &out->geometry, &err))
    return error(name + ": " + input + " " + err);
  if (!resolve(chosen, out->geometry, &out->pre, &err)) {
    const bool from_user = !flags.preset.empty() || any(flags);
    return from_user ? usage(name + ": " + out->source + " does not fit " + input + ": " + err)
                     : error(name + ": metadata \"cnnrt.preprocessing\" does not fit " + input + ": " + err);
  }
  if (out->info.dtype == CNNRT_UINT8) {
    // Raw 8-bit pixels: nothing to scale.
    out->pre.range = std::vector<double>{0, 255};
    out->pre.mean = std::vector<double>(out->geometry.channels, 0.0);
    out->pre.std = std::vector<double>(out->geometry.channels, 1.0);
  }
  return {};
}

Failure load_input_image(const std::string& path, const ImageInput& in, std::vector<float>* data, int* height,
                         int* width) {
  Image img;
  std::string err;
  if (!load_image(path, &img, &err)) return error(path + ": " + err);
  if (!preprocess_image(img, in.pre, in.geometry, data, height, width, &err)) return error(path + ": " + err);
  return {};
}

}  // namespace cnnrt_tools
