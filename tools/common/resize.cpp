// resize_image (image.h): a separable triangle filter, PIL's BILINEAR.
//
// Written here rather than taken from stb_image_resize (Debian's 0.97),
// which fuzzing showed unfit for images from untrusted sources: it aborts
// on an internal weights check for some size ratios (nothings/stb#1449), it
// normalises its downsampling weights in time proportional to input width x
// output width (a 262152x6 image made 174768x4 took 50 s), and it always
// resamples rows first, however tall the image. Here every pass costs time
// proportional to its input plus its output.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "common/image.h"

namespace cnnrt_tools {

namespace {

// The filter along one axis: output index o reads `count` consecutive input
// indices from first[o], with weights taps[o * stride ...].
struct AxisFilter {
  std::vector<int> first, count;
  std::vector<float> taps;
  int stride = 0;
};

// Triangle filter whose radius is one input pixel when growing and one
// output pixel (1/scale input pixels) when shrinking, so shrinking averages
// the whole footprint. Samples past an edge repeat the edge pixel; their
// weight goes to it, which keeps each window contiguous.
AxisFilter triangle_filter(int in, int out) {
  const double scale = static_cast<double>(out) / in;
  const double radius = scale < 1 ? 1 / scale : 1;
  AxisFilter f;
  f.stride = static_cast<int>(std::ceil(2 * radius)) + 3;
  f.first.resize(out);
  f.count.resize(out);
  f.taps.assign(static_cast<size_t>(out) * f.stride, 0.0f);
  std::vector<double> w(f.stride);
  for (int o = 0; o < out; ++o) {
    const double center = (o + 0.5) / scale;
    // Input i covers [i, i + 1); its centre is i + 0.5.
    const int lo = static_cast<int>(std::floor(center - radius - 0.5));
    const int hi = static_cast<int>(std::ceil(center + radius - 0.5));
    const int first = std::clamp(lo, 0, in - 1), last = std::clamp(hi, 0, in - 1);
    std::fill(w.begin(), w.begin() + (last - first + 1), 0.0);
    double total = 0;
    for (int i = lo; i <= hi; ++i) {
      const double t = std::max(0.0, 1 - std::abs(i + 0.5 - center) / radius);
      w[std::clamp(i, 0, in - 1) - first] += t;
      total += t;
    }
    f.first[o] = first;
    f.count[o] = last - first + 1;
    for (int k = 0; k < f.count[o]; ++k) f.taps[static_cast<size_t>(o) * f.stride + k] = static_cast<float>(w[k] / total);
  }
  return f;
}

// Resamples each row of `in` (height rows of width x channels) to fx's
// output width.
Image resample_rows(const Image& in, int out_width, const AxisFilter& fx) {
  Image r;
  r.width = out_width;
  r.height = in.height;
  r.channels = in.channels;
  r.pixels.assign(static_cast<size_t>(out_width) * in.height * in.channels, 0.0f);
  const int ch = in.channels;
  for (int y = 0; y < in.height; ++y) {
    const float* src = &in.pixels[static_cast<size_t>(y) * in.width * ch];
    float* dst = &r.pixels[static_cast<size_t>(y) * out_width * ch];
    for (int x = 0; x < out_width; ++x) {
      const float* w = &fx.taps[static_cast<size_t>(x) * fx.stride];
      const float* s = src + static_cast<size_t>(fx.first[x]) * ch;
      for (int c = 0; c < ch; ++c) {
        float sum = 0;
        for (int k = 0; k < fx.count[x]; ++k) sum += w[k] * s[static_cast<size_t>(k) * ch + c];
        dst[static_cast<size_t>(x) * ch + c] = sum;
      }
    }
  }
  return r;
}

// Resamples the columns of `in` to fy's output height: each output row is a
// weighted sum of whole input rows.
Image resample_columns(const Image& in, int out_height, const AxisFilter& fy) {
  Image r;
  r.width = in.width;
  r.height = out_height;
  r.channels = in.channels;
  const size_t row = static_cast<size_t>(in.width) * in.channels;
  r.pixels.assign(row * out_height, 0.0f);
  for (int y = 0; y < out_height; ++y) {
    float* dst = &r.pixels[static_cast<size_t>(y) * row];
    for (int k = 0; k < fy.count[y]; ++k) {
      const float w = fy.taps[static_cast<size_t>(y) * fy.stride + k];
      const float* src = &in.pixels[static_cast<size_t>(fy.first[y] + k) * row];
      for (size_t i = 0; i < row; ++i) dst[i] += w * src[i];
    }
  }
  return r;
}

}  // namespace

bool resize_image(const Image& in, int width, int height, Image* out, std::string* error) {
  if (width < 1 || height < 1 || static_cast<int64_t>(width) * height > kMaxImagePixels) {
    *error = "cannot resize to " + std::to_string(width) + "x" + std::to_string(height) + ": over the " +
             std::to_string(kMaxImagePixels >> 20) + " Mpixel limit";
    return false;
  }
  if (in.width < 1 || in.height < 1 || in.pixels.size() != static_cast<size_t>(in.width) * in.height * in.channels) {
    *error = "cannot resize: the image is empty or its pixels do not match its size";
    return false;
  }
  if (width == in.width && height == in.height) {
    *out = in;
    return true;
  }
  // The pass between the two is either in.height x width or height x
  // in.width; the smaller one is never more than the larger of input and
  // output (their product is the product of those two).
  const bool rows_first = static_cast<int64_t>(in.height) * width <= static_cast<int64_t>(height) * in.width;
  const AxisFilter fx = triangle_filter(in.width, width), fy = triangle_filter(in.height, height);
  if (width == in.width)
    *out = resample_columns(in, height, fy);
  else if (height == in.height)
    *out = resample_rows(in, width, fx);
  else if (rows_first)
    *out = resample_columns(resample_rows(in, width, fx), height, fy);
  else
    *out = resample_rows(resample_columns(in, height, fy), width, fx);
  return true;
}

}  // namespace cnnrt_tools
