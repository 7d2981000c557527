// Writes a small image classifier whose answer is known by construction, for
// the embedding tests until the project's own trained model is used there:
//
//   make_template_model OUT_DIR
//     OUT_DIR/template_classifier.onnx   image [N,1,28,28] -> scores [N,10]
//     OUT_DIR/image_3.pb                 class 3 as an ONNX TensorProto
//     OUT_DIR/image_7.f32                class 7 as raw little-endian float32
//
// Each class k has a random +-1 template T_k. The model correlates the
// image with every template (a Conv whose kernels are the templates, so
// each output is one dot product), then Relu, Flatten, a scaling Gemm and
// Softmax. Image k is 0.5 * T_k plus uniform noise in [-0.5, 0.5): its dot
// product with T_k is about 392 +- 8 and with any other template about
// 0 +- 16, so class k wins by a wide margin whatever the arithmetic order.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

constexpr int kClasses = 10, kSide = 28, kPixels = kSide * kSide;

bool write_file(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) std::fprintf(stderr, "make_template_model: cannot write %s\n", path.c_str());
  return static_cast<bool>(f);
}

std::vector<float> image_of_class(const std::vector<float>& templates, int k, uint32_t seed) {
  std::vector<float> noise = random_floats(kPixels, seed, -0.5f, 0.5f);
  for (int i = 0; i < kPixels; ++i) noise[i] += 0.5f * templates[static_cast<size_t>(k) * kPixels + i];
  return noise;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_template_model OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::vector<float> templates = random_floats(static_cast<size_t>(kClasses) * kPixels, 2024);
  for (float& t : templates) t = t < 0 ? -1.0f : 1.0f;
  std::vector<float> scale(kClasses * kClasses, 0.0f);
  for (int k = 0; k < kClasses; ++k) scale[k * kClasses + k] = 1.0f / 64;

  ModelBuilder m(13);
  m.input("image", {-1, 1, kSide, kSide})
      .initializer("templates", {kClasses, 1, kSide, kSide}, templates)
      .initializer("template_bias", {kClasses}, std::vector<float>(kClasses, 0.0f))
      .initializer("scale", {kClasses, kClasses}, scale)
      .initializer("scale_bias", {kClasses}, std::vector<float>(kClasses, 0.0f))
      .node("Conv", {"image", "templates", "template_bias"}, {"correlation"}, {}, "correlate")
      .node("Relu", {"correlation"}, {"positive"}, {}, "relu")
      .node("Flatten", {"positive"}, {"flat"}, {Attr("axis", 1)}, "flatten")
      .node("Gemm", {"flat", "scale", "scale_bias"}, {"logits"}, {Attr("transB", 1)}, "scale")
      .node("Softmax", {"logits"}, {"scores"}, {Attr("axis", 1)}, "softmax")
      .output("scores")
      .metadata("description", "template-matching classifier for the cnnrt embedding tests");

  const std::vector<float> three = image_of_class(templates, 3, 33);
  const std::vector<float> seven = image_of_class(templates, 7, 77);
  const std::string raw_seven(reinterpret_cast<const char*>(seven.data()), seven.size() * sizeof(float));
  const bool ok = write_file(dir + "/template_classifier.onnx", m.bytes()) &&
                  write_file(dir + "/image_3.pb", make_tensor("image", {1, 1, kSide, kSide}, three).SerializeAsString()) &&
                  write_file(dir + "/image_7.f32", raw_seven);
  return ok ? 0 : 1;
}
