// The tools' image resize (tools/common/resize.cpp) against a naive
// separable triangle filter: PIL-style BILINEAR, whose footprint widens to
// the scale when shrinking, with edges clamped.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "common/image.h"

namespace {

using cnnrt_tools::Image;

// weights[o] lists (input index, weight) for output index o.
std::vector<std::vector<std::pair<int, double>>> triangle_weights(int in, int out) {
  const double scale = static_cast<double>(out) / in;
  const double radius = scale < 1 ? 1 / scale : 1;  // in input pixels
  std::vector<std::vector<std::pair<int, double>>> weights(out);
  for (int o = 0; o < out; ++o) {
    const double center = (o + 0.5) / scale;
    double total = 0;
    for (int i = static_cast<int>(std::floor(center - radius)) - 1; i <= center + radius + 1; ++i) {
      const double w = std::max(0.0, 1 - std::abs(i + 0.5 - center) / radius);
      if (w == 0) continue;
      weights[o].emplace_back(std::clamp(i, 0, in - 1), w);
      total += w;
    }
    for (auto& [i, w] : weights[o]) w /= total;
  }
  return weights;
}

Image naive_resize(const Image& in, int width, int height) {
  const auto wx = triangle_weights(in.width, width), wy = triangle_weights(in.height, height);
  Image r;
  r.width = width;
  r.height = height;
  r.channels = in.channels;
  r.pixels.resize(static_cast<size_t>(width) * height * in.channels);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < in.channels; ++c) {
        double sum = 0;
        for (auto [iy, vy] : wy[y])
          for (auto [ix, vx] : wx[x]) sum += vy * vx * in.at(iy, ix, c);
        r.pixels[(static_cast<size_t>(y) * width + x) * in.channels + c] = static_cast<float>(sum);
      }
  return r;
}

Image random_image(int width, int height, int channels, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pixel(0, 255);
  Image img;
  img.width = width;
  img.height = height;
  img.channels = channels;
  img.pixels.resize(static_cast<size_t>(width) * height * channels);
  for (float& v : img.pixels) v = static_cast<float>(pixel(rng));
  return img;
}

}  // namespace

TEST_CASE("resize_image matches a naive triangle filter in every direction of scaling") {
  struct Case {
    int in_w, in_h, out_w, out_h;
  };
  // Shrinking both ways, growing both ways, the two mixed directions (each
  // order of the two passes), one axis unchanged, single pixels, and
  // extreme aspect ratios (a long, thin image shrunk by 1.5 was quadratic
  // in stb_image_resize).
  const Case cases[] = {{300, 200, 64, 48}, {7, 5, 40, 31},   {60, 9, 12, 40},   {5, 300, 40, 20},
                        {3, 4000, 48, 48},  {50, 40, 50, 17}, {50, 40, 123, 40}, {1, 1, 5, 4},
                        {5, 4, 1, 1},       {20000, 3, 13333, 2}, {4000, 2, 3, 2}};
  unsigned seed = 1;
  for (const Case& k : cases)
    for (int channels : {1, 3}) {
      CAPTURE(k.in_w);
      CAPTURE(k.in_h);
      CAPTURE(k.out_w);
      CAPTURE(k.out_h);
      CAPTURE(channels);
      const Image in = random_image(k.in_w, k.in_h, channels, seed++);
      Image got;
      std::string error;
      REQUIRE(cnnrt_tools::resize_image(in, k.out_w, k.out_h, &got, &error));
      REQUIRE(got.width == k.out_w);
      REQUIRE(got.height == k.out_h);
      REQUIRE(got.channels == channels);
      const Image want = naive_resize(in, k.out_w, k.out_h);
      float worst = 0;
      for (size_t i = 0; i < want.pixels.size(); ++i) worst = std::max(worst, std::abs(got.pixels[i] - want.pixels[i]));
      CHECK(worst < 1e-3f);  // on values 0..255
    }
}

TEST_CASE("resize_image refuses sizes past the pixel limit with the reason") {
  const Image in = random_image(4, 4, 1, 7);
  Image out;
  std::string error;
  CHECK_FALSE(cnnrt_tools::resize_image(in, 0, 4, &out, &error));
  CHECK(error == "cannot resize to 0x4: over the 64 Mpixel limit");
  CHECK_FALSE(cnnrt_tools::resize_image(in, 8193, 8192, &out, &error));
  CHECK(error == "cannot resize to 8193x8192: over the 64 Mpixel limit");
}
