#include "common/preprocess.h"

#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

namespace cnnrt_tools {

using nlohmann::json;

namespace {

template <class T>
void take(std::optional<T>& dst, const std::optional<T>& src) {
  if (src) dst = src;
}

bool read_floats(const json& v, const char* key, std::vector<double>* out, std::string* error) {
  if (v.is_number()) {
    *out = {v.get<double>()};
    return true;
  }
  if (!v.is_array() || v.empty()) {
    *error = std::string("\"") + key + "\" must be a number or a non-empty array of numbers";
    return false;
  }
  out->clear();
  for (const json& x : v) {
    if (!x.is_number()) {
      *error = std::string("\"") + key + "\" must hold numbers only";
      return false;
    }
    out->push_back(x.get<double>());
  }
  return true;
}

bool read_string(const json& v, const char* key, std::initializer_list<const char*> allowed, std::string* out,
                 std::string* error) {
  std::string list;
  for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + "\"" + a + "\"";
  if (v.is_string())
    for (const char* a : allowed)
      if (v.get<std::string>() == a) {
        *out = a;
        return true;
      }
  *error = std::string("\"") + key + "\" must be one of " + list + ", got " + v.dump();
  return false;
}

struct PresetDef {
  const char* help;
  Preprocessing p;
};

Preprocessing make(const char* color, std::vector<double> range, std::vector<double> mean, std::vector<double> std,
                   const char* resize) {
  Preprocessing p;
  p.color = color;
  p.range = std::move(range);
  p.mean = std::move(mean);
  p.std = std::move(std);
  p.resize = resize;
  return p;
}

const std::map<std::string, PresetDef>& presets() {
  static const std::map<std::string, PresetDef> table = {
      {"imagenet",
       {"torchvision ImageNet models: RGB, 0-1, mean 0.485,0.456,0.406,\n"
        "std 0.229,0.224,0.225; shorter side to H/0.875 (256 for 224), centre crop",
        make("rgb", {0, 1}, {0.485, 0.456, 0.406}, {0.229, 0.224, 0.225}, "shorter")}},
      {"caffe",
       {"Caffe/Caffe2 models (e.g. the ONNX zoo's SqueezeNet 1.1): BGR, 0-255,\n"
        "no mean/std, stretched to the input size (add --mean 104,117,123 for\n"
        "models trained with mean subtraction)",
        make("bgr", {0, 255}, {0}, {1}, "stretch")}},
      {"inception",
       {"TensorFlow Inception/MobileNet style: RGB, -1..1, shorter side, centre crop",
        make("rgb", {-1, 1}, {0}, {1}, "shorter")}},
      {"mnist",
       {"MNIST models such as the ONNX zoo's mnist-8: gray, 0-255, no mean/std,\n"
        "stretched",
        make("gray", {0, 255}, {0}, {1}, "stretch")}},
      {"gray", {"gray, 0-1, no mean/std, stretched", make("gray", {0, 1}, {0}, {1}, "stretch")}},
  };
  return table;
}

}  // namespace

void Preprocessing::override_with(const Preprocessing& o) {
  take(layout, o.layout);
  take(color, o.color);
  take(size, o.size);
  take(resize, o.resize);
  take(shorter_side, o.shorter_side);
  take(range, o.range);
  take(mean, o.mean);
  take(std, o.std);
}

std::string Preprocessing::to_json() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  if (layout) j["layout"] = *layout;
  if (color) j["color"] = *color;
  if (size) j["size"] = *size;
  if (resize) j["resize"] = *resize;
  if (shorter_side) j["shorter_side"] = *shorter_side;
  if (range) j["range"] = *range;
  if (mean) j["mean"] = *mean;
  if (std) j["std"] = *std;
  return j.dump();
}

bool parse_preprocessing(const std::string& text, Preprocessing* out, std::string* error) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "is not a JSON object";
    return false;
  }
  Preprocessing p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    std::string s;
    std::vector<double> f;
    if (key == "layout") {
      if (!read_string(v, "layout", {"NCHW", "NHWC"}, &s, error)) return false;
      p.layout = s;
    } else if (key == "color") {
      if (!read_string(v, "color", {"gray", "rgb", "bgr"}, &s, error)) return false;
      p.color = s;
    } else if (key == "resize") {
      if (!read_string(v, "resize", {"stretch", "shorter"}, &s, error)) return false;
      p.resize = s;
    } else if (key == "size") {
      if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer() ||
          v[0].get<int64_t>() < 1 || v[1].get<int64_t>() < 1 || v[0].get<int64_t>() > 65536 ||
          v[1].get<int64_t>() > 65536) {
        *error = "\"size\" must be [height, width], two integers in 1..65536, got " + v.dump();
        return false;
      }
      p.size = std::vector<int>{v[0].get<int>(), v[1].get<int>()};
    } else if (key == "shorter_side") {
      if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 65536) {
        *error = "\"shorter_side\" must be an integer in 1..65536, got " + v.dump();
        return false;
      }
      p.shorter_side = v.get<int>();
    } else if (key == "range" || key == "mean" || key == "std") {
      if (!read_floats(v, key.c_str(), &f, error)) return false;
      (key == "range" ? p.range : key == "mean" ? p.mean : p.std) = f;
    }
    // Unknown keys are ignored: later versions may add some.
  }
  *out = std::move(p);
  return true;
}

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& kv : presets()) n.push_back(kv.first);
    return n;
  }();
  return names;
}

bool preset(const std::string& name, Preprocessing* out) {
  auto it = presets().find(name);
  if (it == presets().end()) return false;
  *out = it->second.p;
  return true;
}

std::string preset_help() {
  std::string s;
  for (const auto& kv : presets()) {
    std::string help = kv.second.help;
    for (size_t at = help.find('\n'); at != std::string::npos; at = help.find('\n', at + 1))
      help.insert(at + 1, std::string(13, ' '));
    s += "  " + kv.first + std::string(11 - kv.first.size(), ' ') + help + "\n";
  }
  return s;
}

bool image_geometry(size_t rank, const int64_t* dims, const Preprocessing& p, InputGeometry* out, std::string* error) {
  auto shape = [&] {
    std::string s = "[";
    for (size_t i = 0; i < rank; ++i) s += (i ? "," : "") + (dims[i] < 0 ? std::string("?") : std::to_string(dims[i]));
    return s + "]";
  };
  if (rank != 4) {
    *error = "has shape " + shape() + ": not an image input (need rank 4, NCHW or NHWC with 1 or 3 channels)";
    return false;
  }
  auto is_channels = [](int64_t d) { return d == 1 || d == 3; };
  bool nhwc;
  if (p.layout)
    nhwc = *p.layout == "NHWC";
  else if (is_channels(dims[1]))
    nhwc = false;
  else if (is_channels(dims[3]))
    nhwc = true;
  else {
    *error = "has shape " + shape() + ": not an image input (neither dim 1 (NCHW) nor dim 3 (NHWC) is 1 or 3 channels)";
    return false;
  }
  const int64_t c = nhwc ? dims[3] : dims[1];
  if (!is_channels(c)) {
    *error = "has shape " + shape() + ": not an image input (" + (nhwc ? "NHWC" : "NCHW") + " with " +
             std::to_string(c) + " channels; need 1 or 3)";
    return false;
  }
  out->nhwc = nhwc;
  out->channels = static_cast<int>(c);
  const int64_t h = nhwc ? dims[1] : dims[2], w = nhwc ? dims[2] : dims[3];
  if (h == 0 || w == 0 || h > 65536 || w > 65536) {
    *error = "has shape " + shape() + ": the image size is out of range";
    return false;
  }
  out->height = h < 0 ? -1 : static_cast<int>(h);
  out->width = w < 0 ? -1 : static_cast<int>(w);
  return true;
}

bool resolve(const Preprocessing& p, const InputGeometry& g, Preprocessing* out, std::string* error) {
  Preprocessing r = p;
  r.layout = g.nhwc ? "NHWC" : "NCHW";
  if (!r.color) r.color = g.channels == 1 ? "gray" : "rgb";
  const bool gray = *r.color == "gray";
  if (gray != (g.channels == 1)) {
    *error = "color \"" + *r.color + "\" needs " + (gray ? "1 channel" : "3 channels") + " but the model input has " +
             std::to_string(g.channels);
    return false;
  }
  if (g.height > 0 && g.width > 0) {
    if (r.size && ((*r.size)[0] != g.height || (*r.size)[1] != g.width)) {
      *error = "size " + std::to_string((*r.size)[0]) + "x" + std::to_string((*r.size)[1]) +
               " differs from the model's fixed input size " + std::to_string(g.height) + "x" +
               std::to_string(g.width);
      return false;
    }
    r.size = std::vector<int>{g.height, g.width};
  } else if (r.size) {
    // A dynamic dim takes the size given; a fixed one must agree with it.
    if ((g.height > 0 && (*r.size)[0] != g.height) || (g.width > 0 && (*r.size)[1] != g.width)) {
      *error = "size does not match the model's fixed input dimension";
      return false;
    }
  } else if (g.height > 0 || g.width > 0) {
    *error = "the model input has one fixed and one dynamic spatial dimension: give the size (--size H,W)";
    return false;
  }
  if (r.size && static_cast<int64_t>((*r.size)[0]) * (*r.size)[1] > kMaxImagePixels) {
    *error = "size " + std::to_string((*r.size)[0]) + "x" + std::to_string((*r.size)[1]) + " is over the " +
             std::to_string(kMaxImagePixels >> 20) + " Mpixel limit";
    return false;
  }
  if (!r.resize) r.resize = "stretch";
  if (*r.resize == "shorter" && !r.shorter_side) {
    if (!r.size) {
      *error = "\"resize\": \"shorter\" needs \"shorter_side\" or a known input size";
      return false;
    }
    r.shorter_side = static_cast<int>(std::lround(std::max((*r.size)[0], (*r.size)[1]) / 0.875));
  }
  if (r.shorter_side && r.size && *r.resize == "shorter" &&
      *r.shorter_side < std::min((*r.size)[0], (*r.size)[1])) {
    *error = "\"shorter_side\" " + std::to_string(*r.shorter_side) + " is smaller than the crop";
    return false;
  }
  if (!r.range) r.range = std::vector<double>{0, 1};
  if (r.range->size() != 2 || !std::isfinite((*r.range)[0]) || !std::isfinite((*r.range)[1]) ||
      (*r.range)[0] == (*r.range)[1]) {
    *error = "the range must be two different finite numbers lo,hi";
    return false;
  }
  if (!r.mean) r.mean = std::vector<double>{0};
  if (!r.std) r.std = std::vector<double>{1};
  for (auto* v : {&*r.mean, &*r.std}) {
    const char* what = v == &*r.mean ? "mean" : "std";
    if (v->size() != 1 && v->size() != static_cast<size_t>(g.channels)) {
      *error = std::string(what) + " has " + std::to_string(v->size()) + " values; the model input has " +
               std::to_string(g.channels) + " channel" + (g.channels == 1 ? "" : "s") + " (give 1 or " +
               std::to_string(g.channels) + ")";
      return false;
    }
    if (v->size() == 1) v->assign(g.channels, v->front());
    for (double x : *v)
      if (!std::isfinite(x) || (v == &*r.std && x == 0)) {
        *error = std::string(what) + " values must be finite" + (v == &*r.std ? " and non-zero" : "");
        return false;
      }
  }
  *out = std::move(r);
  return true;
}

namespace {

// The size after scaling the shorter side to s (the other side rounds down,
// as torchvision's Resize), checked before anything that large is made.
bool shorter_side_size(const Image& img, int s, int* w, int* h, std::string* error) {
  int64_t rw = s, rh = s;
  if (img.width <= img.height)
    rh = static_cast<int64_t>(s) * img.height / img.width;
  else
    rw = static_cast<int64_t>(s) * img.width / img.height;
  if (rw < 1 || rh < 1 || rw * rh > kMaxImagePixels) {
    *error = "scaling its shorter side to " + std::to_string(s) + " makes it " + std::to_string(rw) + "x" +
             std::to_string(rh) + ", over the " + std::to_string(kMaxImagePixels >> 20) + " Mpixel limit";
    return false;
  }
  *w = static_cast<int>(rw);
  *h = static_cast<int>(rh);
  return true;
}

}  // namespace

bool preprocess_image(const Image& img, const Preprocessing& p, const InputGeometry& g, std::vector<float>* dst,
                      int* height, int* width, std::string* error) {
  // `work` stays empty (no copy of a possibly huge image) unless resized.
  Image work;
  const Image* current = &img;
  int rw = 0, rh = 0;
  if (p.size) {
    const int H = (*p.size)[0], W = (*p.size)[1];
    if (*p.resize == "shorter") {
      // Shorter side to shorter_side, then the centre H x W.
      if (!shorter_side_size(img, *p.shorter_side, &rw, &rh, error)) return false;
      if (!resize_image(img, std::max(rw, W), std::max(rh, H), &work, error)) return false;
      work = center_crop(work, W, H);
    } else if (!resize_image(img, W, H, &work, error)) {
      return false;
    }
    current = &work;
  } else if (*p.resize == "shorter" && p.shorter_side) {
    if (!shorter_side_size(img, *p.shorter_side, &rw, &rh, error)) return false;
    if (!resize_image(img, rw, rh, &work, error)) return false;
    current = &work;
  }
  if (current->channels != g.channels) {
    work = convert_channels(*current, g.channels);
    current = &work;
  }
  const bool bgr = *p.color == "bgr";
  const double lo = (*p.range)[0], step = ((*p.range)[1] - lo) / 255.0;
  const int C = g.channels, H = current->height, W = current->width;
  dst->resize(static_cast<size_t>(C) * H * W);
  for (int c = 0; c < C; ++c) {
    const int src_c = bgr ? C - 1 - c : c;
    const double mean = (*p.mean)[c], std = (*p.std)[c];
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        const float v = static_cast<float>((lo + current->at(y, x, src_c) * step - mean) / std);
        const size_t i = g.nhwc ? (static_cast<size_t>(y) * W + x) * C + c : (static_cast<size_t>(c) * H + y) * W + x;
        (*dst)[i] = v;
      }
  }
  *height = H;
  *width = W;
  return true;
}

}  // namespace cnnrt_tools
