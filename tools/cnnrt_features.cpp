// cnnrt-features: what a CNN sees. Runs a model on one image and writes its
// intermediate tensors (feature maps) as PNG grids, one tile per channel.
//
//   cnnrt-features MODEL IMAGE --out DIR [--tensor NAME]... [--npy]
//   cnnrt-features MODEL --list
//
// Intermediates are kept readable through the session's extra outputs,
// which also keeps them from being fused away (a Conv followed by Relu
// gives two maps, not one). Built on the public C API only.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <stb_image_write.h>

#include "cnnrt.h"
#include "common/failure.h"
#include "common/handles.h"
#include "common/model_input.h"
#include "features/npy.h"
#include "features/tile_grid.h"

using namespace cnnrt_tools;
namespace fs = std::filesystem;

namespace {

struct Options {
  std::string model, image, out_dir;
  std::vector<std::string> tensors;
  bool list = false, npy = false;
  int zoom = 1, threads = 0;
  PreprocessFlags pre;
};

struct TensorEntry {
  std::string name;
  cnnrt_dtype dtype;
  std::vector<int64_t> dims;  // declared; -1 where dynamic
  bool is_output = false;
};

std::string dims_str(const std::vector<int64_t>& d, const char* sep = ",") {
  std::string s;
  for (size_t i = 0; i < d.size(); ++i) s += (i ? sep : "") + (d[i] < 0 ? std::string("?") : std::to_string(d[i]));
  return s;
}

// A file-name-safe form of a tensor name ("/conv1/Conv_output_0" ->
// "conv1_Conv_output_0").
std::string safe_name(const std::string& name) {
  std::string s;
  for (char c : name) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
    if (keep)
      s += c;
    else if (!s.empty() && s.back() != '_')
      s += '_';
  }
  while (!s.empty() && s.back() == '_') s.pop_back();
  return s.empty() ? "tensor" : s.substr(0, 100);
}

std::vector<TensorEntry> list_tensors(const cnnrt_model* m) {
  size_t n = 0, n_out = 0;
  cnnrt_model_tensor_count(m, &n);
  cnnrt_model_output_count(m, &n_out);
  std::vector<std::string> outputs;
  for (size_t i = 0; i < n_out; ++i) {
    cnnrt_tensor_info info;
    cnnrt_model_output_info(m, i, &info);
    outputs.emplace_back(info.name);
  }
  std::vector<TensorEntry> list;
  for (size_t i = 0; i < n; ++i) {
    cnnrt_tensor_info info;
    cnnrt_model_tensor_info(m, i, &info);
    TensorEntry e{info.name, info.dtype, std::vector<int64_t>(info.dims, info.dims + info.rank), false};
    e.is_output = std::find(outputs.begin(), outputs.end(), e.name) != outputs.end();
    list.push_back(std::move(e));
  }
  return list;
}

// How a tensor (batch item 0) is cut into tiles: ONNX layouts are NCHW, so
// dim 1 is channels and the last two are the plane; vectors become one
// near-square tile.
struct Tiling {
  int tiles = 1, h = 1, w = 1;
  bool padded = false;  // a vector laid out in a square, tail left black
};

Tiling tiling_for(const std::vector<int64_t>& d) {
  Tiling t;
  auto square = [&](int64_t n) {
    t.tiles = 1;
    t.w = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
    t.h = t.w ? static_cast<int>((n + t.w - 1) / t.w) : 0;
    t.padded = static_cast<int64_t>(t.h) * t.w != n;
  };
  if (d.size() >= 4) {
    int64_t tiles = 1;
    for (size_t i = 1; i + 2 < d.size(); ++i) tiles *= d[i];
    t.tiles = static_cast<int>(tiles);
    t.h = static_cast<int>(d[d.size() - 2]);
    t.w = static_cast<int>(d.back());
  } else if (d.size() == 3) {
    t.tiles = static_cast<int>(d[1]);
    t.w = static_cast<int>(d[2]);
  } else if (d.size() == 2) {
    square(d[1]);
  } else {
    square(d.empty() ? 1 : d[0]);
  }
  return t;
}

int fail(const Failure& f) {
  std::fprintf(stderr, "cnnrt-features: error: %s\n", f.message.c_str());
  return f.code;
}

// Writes one tensor (batch item 0) as a PNG grid, and as .npy if asked.
Failure write_tensor(const Options& o, const cnnrt_tensor& t, size_t position, size_t width_digits) {
  std::vector<int64_t> dims(t.dims, t.dims + t.rank);
  char index[32];
  std::snprintf(index, sizeof index, "%0*zu", static_cast<int>(width_digits), position);
  const std::string stem = std::string(index) + "_" + safe_name(t.name) + "_" + dims_str(dims, "x");
  const fs::path png = fs::path(o.out_dir) / (stem + ".png");
  const auto* values = static_cast<const float*>(t.data);
  size_t count = 1;
  for (int64_t d : dims) count *= static_cast<size_t>(d);
  if (count == 0) {
    std::fprintf(stderr, "cnnrt-features: note: '%s' [%s] is empty; nothing to draw\n", t.name,
                 dims_str(dims).c_str());
    return {};
  }
  const size_t per_item = dims.size() >= 2 && dims[0] > 0 ? count / static_cast<size_t>(dims[0]) : count;
  const Tiling tl = tiling_for(dims);
  std::vector<float> item(values, values + per_item);
  if (tl.padded) item.resize(static_cast<size_t>(tl.h) * tl.w, NAN);
  const GrayImage img = tile_grid(item.data(), tl.tiles, tl.h, tl.w, o.zoom);
  if (img.width > 65535 || img.height > 65535)
    return error(png.string() + ": the grid would be " + std::to_string(img.width) + "x" +
                 std::to_string(img.height) + " pixels; too large for a PNG");
  if (!stbi_write_png(png.c_str(), img.width, img.height, 1, img.pixels.data(), img.width))
    return error(png.string() + ": cannot write the PNG");
  std::printf("%s  %d tile%s of %dx%d\n", png.c_str(), tl.tiles, tl.tiles == 1 ? "" : "s", tl.h, tl.w);
  if (o.npy) {
    const fs::path npy = fs::path(o.out_dir) / (stem + ".npy");
    std::string err;
    if (!write_npy(npy.string(), values, dims, &err)) return error(npy.string() + ": " + err);
    std::printf("%s\n", npy.c_str());
  }
  return {};
}

int run(int argc, char** argv) {
  Options o;
  CLI::App app{"cnnrt-features: run a model on one image and write its intermediate tensors (feature maps)\n"
               "as PNG grids: one tile per channel, each stretched to 0-255, tiles in a near-square grid\n"
               "separated by gray lines. Files are named NN_<tensor name>_<shape>.png, NN being the\n"
               "tensor's place in execution order."};
  app.add_option("model", o.model, "ONNX model file")->required();
  app.add_option("image", o.image, "Image (PNG, JPEG, BMP, TGA, GIF, PNM, ...)");
  app.add_option("-o,--out", o.out_dir, "Folder for the PNGs (created if missing)");
  app.add_option("-t,--tensor", o.tensors, "A tensor to write (repeatable; default: every intermediate)")
      ->allow_extra_args(false);
  app.add_flag("--list", o.list, "List the model's intermediate tensors and exit");
  app.add_flag("--npy", o.npy, "Also write each tensor's values as a NumPy .npy file");
  app.add_option("--zoom", o.zoom, "Draw each value as a ZOOMxZOOM block")->capture_default_str()->check(
      CLI::Range(1, 64));
  app.add_option("--threads", o.threads, "Threads (0: all cores)")->capture_default_str()->check(CLI::Range(0, 1024));
  add_preprocess_flags(app, o.pre);
  app.set_version_flag("--version", std::string(cnnrt_version()));
  app.footer(preprocess_help());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }

  ModelHandle model;
  if (cnnrt_model_load_file(o.model.c_str(), &model.p) != CNNRT_OK) {
    const std::string msg = cnnrt_last_error();
    return fail(error(msg.find(o.model) == std::string::npos ? o.model + ": " + msg : msg));
  }
  const std::vector<TensorEntry> all = list_tensors(model.p);
  if (o.list) {
    for (size_t i = 0; i < all.size(); ++i)
      std::printf("%3zu  %-40s [%s]%s\n", i + 1, all[i].name.c_str(), dims_str(all[i].dims).c_str(),
                  all[i].is_output ? "  (model output)" : "");
    return 0;
  }
  if (o.image.empty() || o.out_dir.empty()) return fail(usage("give an IMAGE and --out DIR (or --list)"));

  // The tensors to draw, in execution order.
  std::vector<size_t> chosen;
  for (const std::string& name : o.tensors) {
    auto it = std::find_if(all.begin(), all.end(), [&](const TensorEntry& e) { return e.name == name; });
    if (it == all.end()) return fail(usage(o.model + ": no intermediate tensor named '" + name + "' (see --list)"));
    chosen.push_back(static_cast<size_t>(it - all.begin()));
  }
  if (o.tensors.empty())
    for (size_t i = 0; i < all.size(); ++i) chosen.push_back(i);
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());

  ImageInput input;
  if (Failure f = describe_image_input(model.p, o.model, o.pre, &input)) return fail(f);
  std::vector<float> data;
  int height = 0, width = 0;
  if (Failure f = load_input_image(o.image, input, &data, &height, &width)) return fail(f);

  // Graph outputs are results anyway; the rest are extra outputs.
  std::vector<const char*> extra;
  for (size_t i : chosen)
    if (!all[i].is_output) extra.push_back(all[i].name.c_str());
  cnnrt_session_options so;
  cnnrt_session_options_init(&so);
  so.threads = o.threads;
  so.extra_outputs = extra.data();
  so.extra_output_count = extra.size();
  SessionHandle session;
  if (cnnrt_session_create(model.p, &so, &session.p) != CNNRT_OK)
    return fail(error(o.model + ": " + cnnrt_last_error()));

  // A fixed batch larger than 1 gets the image in every slot.
  const auto& g = input.geometry;
  const int64_t batch = input.info.dims[0] > 0 ? input.info.dims[0] : 1;
  const std::vector<int64_t> dims = g.nhwc ? std::vector<int64_t>{batch, height, width, g.channels}
                                           : std::vector<int64_t>{batch, g.channels, height, width};
  std::vector<float> fbuf;
  std::vector<uint8_t> ubuf;
  const bool u8 = input.info.dtype == CNNRT_UINT8;
  for (int64_t b = 0; b < batch; ++b)
    for (float v : data) {
      if (u8)
        ubuf.push_back(static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)));
      else
        fbuf.push_back(v);
    }
  cnnrt_tensor in{};
  in.name = input.info.name;
  in.dtype = input.info.dtype;
  in.rank = 4;
  in.dims = dims.data();
  in.data = u8 ? static_cast<void*>(ubuf.data()) : static_cast<void*>(fbuf.data());
  in.size_bytes = u8 ? ubuf.size() : fbuf.size() * sizeof(float);
  if (cnnrt_session_run(session.p, &in, 1, nullptr, 0) != CNNRT_OK)
    return fail(error(o.model + ": running on " + o.image + " failed: " + cnnrt_last_error()));

  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) return fail(error(o.out_dir + ": cannot create the folder: " + ec.message()));
  size_t n_results = 0;
  cnnrt_session_output_count(session.p, &n_results);
  const size_t digits = std::to_string(all.size()).size();
  for (size_t i : chosen) {
    cnnrt_tensor t{};
    bool found = false;
    for (size_t r = 0; r < n_results && !found; ++r) {
      if (cnnrt_session_output(session.p, r, &t) == CNNRT_OK && all[i].name == t.name) found = true;
    }
    if (!found) return fail(error(o.model + ": the run returned no tensor '" + all[i].name + "'"));
    if (t.dtype != CNNRT_FLOAT32) {
      std::fprintf(stderr, "cnnrt-features: note: '%s' is not float32 (type %d); skipped\n", t.name, t.dtype);
      continue;
    }
    if (Failure f = write_tensor(o, t, i + 1, digits)) return fail(f);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The library reports its errors as statuses; what can still be thrown
  // here is the tool's own allocation failing (a huge image or batch).
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "cnnrt-features: error: out of memory\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cnnrt-features: error: %s\n", e.what());
  }
  return kExitError;
}
