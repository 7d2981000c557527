#include "support/tiny_cnn.h"

#include "support/onnx_builder.h"
#include "support/run_model.h"

namespace cnnrt::test {

std::string TinyCnn::bytes(int64_t batch) {
  ModelBuilder b(17);
  b.input("image", {batch, kChannels, kSize, kSize});
  b.initializer("w1", {8, kChannels, 3, 3}, random_floats(8 * kChannels * 9, 11, -0.3f, 0.3f));
  b.initializer("b1", {8}, random_floats(8, 12, -0.1f, 0.1f));
  b.initializer("w2", {16, 8, 3, 3}, random_floats(16 * 8 * 9, 13, -0.2f, 0.2f));
  b.initializer("b2", {16}, random_floats(16, 14, -0.1f, 0.1f));
  const int64_t flat = 16 * 6 * 6;  // 16 -> pool 8 -> valid 3x3 conv 6
  b.initializer("wf", {kClasses, flat}, random_floats(kClasses * flat, 15, -0.1f, 0.1f));
  b.initializer("bf", {kClasses}, random_floats(kClasses, 16, -0.1f, 0.1f));
  b.node("Conv", {"image", "w1", "b1"}, {"c1"}, {Attr("pads", std::vector<int64_t>{1, 1, 1, 1})}, "conv1");
  b.node("Relu", {"c1"}, {"r1"}, {}, "relu1");
  b.node("MaxPool", {"r1"}, {"p1"},
         {Attr("kernel_shape", std::vector<int64_t>{2, 2}), Attr("strides", std::vector<int64_t>{2, 2})}, "pool1");
  b.node("Conv", {"p1", "w2", "b2"}, {"c2"}, {}, "conv2");
  b.node("Relu", {"c2"}, {"r2"}, {}, "relu2");
  b.node("Flatten", {"r2"}, {"f"}, {}, "flatten");
  b.node("Gemm", {"f", "wf", "bf"}, {"logits"}, {Attr("transB", 1)}, "fc");
  b.node("Softmax", {"logits"}, {"probs"}, {}, "softmax");
  b.output("probs");
  return b.bytes();
}

}  // namespace cnnrt::test
