// Dropout at inference: the output is the input for every opset form
// (ratio attribute, ratio and training_mode inputs), every element type and
// the Conv layout; the mask, when read, is all ones (bool from opset 10,
// the input's type before); training mode with a non-zero ratio is refused
// with the reason, whether the flag is a constant or given at run time.
#include <doctest/doctest.h>

#include "support/reference.h"

using namespace cnnrt::test;

namespace {

onnx::TensorProto bool_tensor(const std::string& name, bool v) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::BOOL);
  t.add_int32_data(v ? 1 : 0);
  return t;
}

}  // namespace

TEST_CASE("Dropout: the output is the input, every opset form, element type and the Conv layout") {
  const Index dims = {2, 8, 3, 5};
  for (Feed f : all_feeds(true))
    for (int opset : {1, 7, 10, 12, 13, 22}) {
      CAPTURE(opset);
      check_fed(f, dims, {}, opset, same_values(dims), [&](ModelBuilder& mb, const std::string& in) {
        if (opset < 12) {
          mb.node("Dropout", {in}, {"y"}, {Attr("ratio", 0.3f)});
          return;
        }
        mb.initializer("ratio", {}, {0.3f});
        *mb.proto().mutable_graph()->add_initializer() = bool_tensor("train", false);
        mb.node("Dropout", {in, "ratio", "train"}, {"y"});
      });
    }
}

TEST_CASE("Dropout: the mask is all ones when read; training with ratio 0 is the identity") {
  for (int opset : {7, 10, 13}) {
    ModelBuilder mb(opset);
    mb.input("x", {3, 4});
    std::vector<std::string> inputs = {"x"};
    if (opset >= 12) {
      mb.initializer("ratio", {}, {0.0f});
      *mb.proto().mutable_graph()->add_initializer() = bool_tensor("train", true);
      inputs = {"x", "ratio", "train"};
    }
    mb.node("Dropout", inputs, {"y", "mask"});
    // The mask leaves as float (before opset 10 it has the input's type).
    if (opset >= 10)
      mb.node("Cast", {"mask"}, {"mask_f"}, {Attr("to", int64_t{onnx::TensorProto::FLOAT})});
    else
      mb.node("Identity", {"mask"}, {"mask_f"});
    mb.output("y").output("mask_f");
    const auto x = random_floats(12, 3);
    const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", {3, 4}, x)});
    CAPTURE(opset);
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == x);
    CHECK(r.outputs[1].dims == Index{3, 4});
    CHECK(r.outputs[1].f == std::vector<float>(12, 1.0f));
  }
}

TEST_CASE("Dropout: a dynamic batch") {
  for (int64_t n : {1, 4}) {
    const auto x = iota_floats(n * 3);
    const RunResult r = run_fed(Feed::f32, {-1, 3}, {n, 3}, x, 13,
                                [](ModelBuilder& mb, const std::string& in) { mb.node("Dropout", {in}, {"y"}); });
    REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
    CHECK(r.outputs[0].f == x);
  }
}

TEST_CASE("Dropout: training mode is refused with the reason") {
  const std::string at = "<memory>: node 'd' (Dropout, domain ai.onnx, opset 13): ";
  {
    ModelBuilder mb(13);
    mb.input("x", {2, 2}).initializer("ratio", {}, {0.25f});
    *mb.proto().mutable_graph()->add_initializer() = bool_tensor("train", true);
    mb.node("Dropout", {"x", "ratio", "train"}, {"y"}, {}, "d").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == at + "training_mode is true with ratio 0.25: dropping random elements (training) is not "
                          "supported, only inference");
  }
  {
    // training_mode as a graph input: refused when a run says true, fine when it says false.
    ModelBuilder mb(13);
    mb.input("x", {2, 2}).input("train", {}, onnx::TensorProto::BOOL).node("Dropout", {"x", "", "train"}, {"y"}, {}, "d").output("y");
    const std::string bytes = mb.bytes();
    cnnrt_model* model = nullptr;
    REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &model) == CNNRT_OK);
    cnnrt_session* session = nullptr;
    REQUIRE_MESSAGE(cnnrt_session_create(model, nullptr, &session) == CNNRT_OK, cnnrt_last_error());
    const auto x = iota_floats(4);
    const int64_t xd[] = {2, 2};
    for (bool train : {false, true, false}) {
      const uint8_t flag = train ? 1 : 0;
      cnnrt_tensor in[2] = {{"x", CNNRT_FLOAT32, 2, xd, const_cast<float*>(x.data()), 16},
                            {"train", CNNRT_BOOL, 0, nullptr, const_cast<uint8_t*>(&flag), 1}};
      const cnnrt_status s = cnnrt_session_run(session, in, 2, nullptr, 0);
      CAPTURE(train);
      if (train) {
        CHECK(s == CNNRT_UNSUPPORTED);
        CHECK(std::string(cnnrt_last_error()).find("training_mode is true with ratio 0.5") != std::string::npos);
      } else {
        CHECK_MESSAGE(s == CNNRT_OK, cnnrt_last_error());
      }
    }
    cnnrt_session_destroy(&session);
    cnnrt_model_destroy(&model);
  }
  {
    ModelBuilder mb(13);
    mb.input("x", {2, 2}).initializer("ratio", {}, {1.5f}).node("Dropout", {"x", "ratio"}, {"y"}, {}, "d").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == at + "ratio 1.5 is not in [0, 1]");
  }
}
