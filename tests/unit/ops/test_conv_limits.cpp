// Conv attributes a hostile model can use to make compilation slow or the
// shape arithmetic overflow: each is refused with a message naming it, while
// the legitimate extremes (atrous convolutions) still work.
#include <doctest/doctest.h>

#include "support/onnx_builder.h"
#include "support/run_model.h"

using namespace cnnrt::test;

namespace {

RunResult conv(std::vector<Attr> attrs, std::vector<int64_t> x = {1, 1, 4, 4}, std::vector<int64_t> w = {1, 1, 3, 3}) {
  ModelBuilder b;
  b.input("x", x);
  const size_t n = element_count(w);
  b.initializer("w", w, random_floats(n, 5));
  b.node("Conv", {"x", "w"}, {"y"}, std::move(attrs), "conv");
  b.output("y");
  return load_model(b.bytes());
}

const char* kPrefix = "<memory>: node 'conv' (Conv, domain ai.onnx, opset 17): ";

}  // namespace

TEST_CASE("conv limits: huge padding is refused (regression: minutes in oneDNN primitive creation)") {
  const RunResult r = conv({Attr("pads", std::vector<int64_t>{0, 0, 0, 100000})});
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == std::string(kPrefix) +
                       "pads [0,0] / [0,100000] with kernel [3,3] and dilations [1,1] put 100000 outputs of spatial "
                       "dim 1 over the padding (at most 16384 are supported)");
}

TEST_CASE("conv limits: a huge dilation with SAME padding over a wide input is refused") {
  const RunResult r = conv({Attr("dilations", std::vector<int64_t>{1, 1000000}), Attr("auto_pad", "SAME_UPPER")},
                           {1, 1, 1, 20000}, {1, 1, 1, 3});
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == std::string(kPrefix) +
                       "pads [0,1000000] / [0,1000000] with kernel [1,3] and dilations [1,1000000] put 20000 outputs "
                       "of spatial dim 1 over the padding (at most 16384 are supported)");
}

TEST_CASE("conv limits: atrous convolutions and ordinary padding still work") {
  CHECK(conv({Attr("pads", std::vector<int64_t>{1, 1, 1, 1})}).status == CNNRT_OK);
  CHECK(conv({Attr("dilations", std::vector<int64_t>{24, 24}), Attr("pads", std::vector<int64_t>{24, 24, 24, 24})},
             {1, 1, 17, 17}).status == CNNRT_OK);
  CHECK(conv({Attr("auto_pad", "SAME_LOWER"), Attr("strides", std::vector<int64_t>{3, 3})}, {1, 1, 50, 70}).status ==
        CNNRT_OK);
}

TEST_CASE("conv limits: values that would overflow the size arithmetic") {
  RunResult r = conv({Attr("strides", std::vector<int64_t>{1, int64_t{1} << 40})});
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == std::string(kPrefix) + "strides [1,1099511627776] are too large");
  r = conv({Attr("dilations", std::vector<int64_t>{int64_t{1} << 62, 1})});
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == std::string(kPrefix) + "dilations [4611686018427387904,1] are too large");
  r = conv({Attr("pads", std::vector<int64_t>{0, 0, int64_t{1} << 62, 0})});
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == std::string(kPrefix) + "pads [0,0,4611686018427387904,0] are too large");
  r = conv({Attr("group", int64_t{1} << 62)}, {1, 4, 4, 4}, {4, 1, 3, 3});
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == std::string(kPrefix) + "the weight's 4 output channels are not divisible by group 4611686018427387904");
  // No output channels: divisible by any group, and group * 3 overflows.
  r = conv({Attr("group", int64_t{1} << 62)}, {1, 4, 4, 4}, {0, 3, 3, 3});
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == std::string(kPrefix) + "group 4611686018427387904 times the weight's 3 input channels overflows");
}
