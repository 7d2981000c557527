// The ONNX loader on malformed input: each case must fail with its own exact
// status and message (naming the problem and where it is), never crash, and
// never allocate what the file only declares.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <string>
#include <vector>

#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "support/tiny_cnn.h"

using namespace cnnrt::test;

namespace {

const char* kParseError = "<memory>: not a valid ONNX model (protobuf parsing failed; truncated or not an .onnx file)";

// x -> Relu -> y, the smallest valid model; cases break one thing in it.
ModelBuilder relu_model(int64_t opset = 17) {
  ModelBuilder b(opset);
  b.input("x", {1, 4});
  b.node("Relu", {"x"}, {"y"}, {}, "relu");
  b.output("y");
  return b;
}

onnx::TensorProto declared_tensor(const std::string& name, std::vector<int64_t> dims) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t.add_dims(d);
  return t;
}

long max_rss_kib() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

TEST_CASE("loader: a valid model loads (the control for every case below)") {
  CHECK(load_model(relu_model().bytes()).status == CNNRT_OK);
  CHECK(load_model(TinyCnn::bytes()).status == CNNRT_OK);
}

TEST_CASE("loader: a truncated file is refused as unparsable") {
  const std::string full = TinyCnn::bytes();
  const RunResult r = load_model(full.substr(0, full.size() / 2));
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == kParseError);
}

TEST_CASE("loader: every strict prefix of a model fails cleanly") {
  const std::string full = relu_model().bytes();
  for (size_t n = 0; n < full.size(); ++n) {
    const RunResult r = load_model(full.substr(0, n));
    INFO("prefix of ", n, " bytes: ", r.error);
    CHECK(r.status != CNNRT_OK);
    CHECK(!r.error.empty());
  }
  // Zero bytes parse as an empty ModelProto.
  CHECK(load_model("").error == "<memory>: the model has no graph");
}

TEST_CASE("loader: random bytes are refused") {
  uint64_t state = 42;
  std::string junk(4096, '\0');
  for (char& c : junk) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    c = static_cast<char>(state >> 56);
  }
  const RunResult r = load_model(junk);
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == kParseError);
  // Many more random blobs: whatever protobuf makes of them, never success.
  for (int seed = 0; seed < 300; ++seed) {
    std::string blob(static_cast<size_t>(seed % 97 + 1), '\0');
    for (char& c : blob) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      c = static_cast<char>(state >> 56);
    }
    CHECK(load_model(blob).status != CNNRT_OK);
  }
}

TEST_CASE("loader: an initializer whose data does not match its shape") {
  SUBCASE("raw_data too short") {
    ModelBuilder b = relu_model();
    b.initializer("w", {2, 3}, {1, 2, 3});
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: initializer: tensor 'w': raw_data has 12 bytes but shape [2,3] of float needs 24");
  }
  SUBCASE("typed float_data with too many values") {
    ModelBuilder b = relu_model();
    onnx::TensorProto t = declared_tensor("w", {2, 3});
    for (int i = 0; i < 7; ++i) t.add_float_data(1.0f);
    *b.proto().mutable_graph()->add_initializer() = t;
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: initializer: tensor 'w': float_data holds 7 values but the shape needs 6");
  }
}

TEST_CASE("loader: a declared 10^12-element initializer is refused before any allocation") {
  ModelBuilder b = relu_model();
  *b.proto().mutable_graph()->add_initializer() = declared_tensor("big", {1000000, 1000000});
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_OUT_OF_MEMORY);
  CHECK(r.error == "<memory>: initializer: tensor 'big': shape [1000000,1000000] of float needs more than the 8 GiB "
                   "limit per tensor");
}

TEST_CASE("loader: a declared 2 GiB initializer without its data allocates nothing") {
  // Within the per-tensor limit, so only the data-size check stops it; that
  // check must come before the tensor is allocated (regression: it came after
  // a zero-filled allocation of the declared size).
  ModelBuilder b = relu_model();
  onnx::TensorProto t = declared_tensor("w", {512, 1024, 1024});
  t.set_raw_data("abcd");
  *b.proto().mutable_graph()->add_initializer() = t;
  const long before = max_rss_kib();
  const RunResult r = load_model(b.bytes());
  const long grown_mib = (max_rss_kib() - before) / 1024;
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: initializer: tensor 'w': raw_data has 4 bytes but shape [512,1024,1024] of float needs "
                   "2147483648");
  CHECK(grown_mib < 256);
}

TEST_CASE("loader: element counts that overflow int64 are refused") {
  ModelBuilder b = relu_model();
  *b.proto().mutable_graph()->add_initializer() = declared_tensor("w", {4294967296, 4294967296, 4});
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_OUT_OF_MEMORY);
  CHECK(r.error == "<memory>: initializer: tensor 'w': element count of shape [4294967296,4294967296,4] overflows");
}

TEST_CASE("loader: negative dimensions are refused") {
  SUBCASE("in an initializer") {
    ModelBuilder b = relu_model();
    *b.proto().mutable_graph()->add_initializer() = declared_tensor("w", {3, -2});
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: initializer: tensor 'w': negative dimension in shape [3,?]");
  }
  SUBCASE("in a graph input") {
    ModelBuilder b;
    b.input("x", {1, 4});
    b.proto().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(1)->set_dim_value(-4);
    b.node("Relu", {"x"}, {"y"}).output("y");
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: graph input 'x' has negative dimension -4");
  }
}

TEST_CASE("loader: a graph input declaring a huge shape is refused") {
  ModelBuilder b;
  b.input("x", {1000000, 1000000});
  b.node("Relu", {"x"}, {"y"}).output("y");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_OUT_OF_MEMORY);
  CHECK(r.error == "<memory>: graph input 'x': shape [1000000,1000000] of float needs more than the 8 GiB limit per tensor");
}

TEST_CASE("loader: a node input that nothing produces") {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.node("Relu", {"nothing"}, {"y"}, {}, "relu");
  b.output("y");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'relu' (Relu) input 0 'nothing' is not produced by any node, initializer or graph input");
}

TEST_CASE("loader: a required input that is left out") {
  ModelBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.node("Conv", {"x"}, {"y"}, {}, "conv");
  b.output("y");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'conv' (Conv, domain ai.onnx, opset 17): expects 2 to 3 inputs, got 1");
}

TEST_CASE("loader: a graph output that nothing produces") {
  ModelBuilder b = relu_model();
  b.output("ghost");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: graph output 'ghost' is not produced by any node, initializer or input");
}

TEST_CASE("loader: a cycle") {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.node("Relu", {"b"}, {"a"}, {}, "first");
  b.node("Relu", {"a"}, {"b"}, {}, "second");
  b.node("Relu", {"x"}, {"y"}, {}, "free");
  b.output("y");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: the graph has a cycle through node 'first' (Relu)");
}

TEST_CASE("loader: a node that reads its own output") {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.node("Relu", {"loop"}, {"loop"}, {}, "self");
  b.output("loop");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: the graph has a cycle through node 'self' (Relu)");
}

TEST_CASE("loader: an unknown operator") {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.node("FancyOp", {"x"}, {"y"}, {}, "fancy");
  b.output("y");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: unsupported operator 'FancyOp' (domain ai.onnx, opset 17) at node 'fancy'");
}

TEST_CASE("loader: domains") {
  SUBCASE("a domain the model does not import") {
    ModelBuilder b;
    b.input("x", {1, 4});
    b.node("Relu", {"x"}, {"y"}, {}, "relu");
    b.proto().mutable_graph()->mutable_node(0)->set_domain("com.example");
    b.output("y");
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'relu' (Relu) uses domain com.example, which the model does not import");
  }
  SUBCASE("an imported domain cnnrt does not know") {
    ModelBuilder b;
    auto* op = b.proto().add_opset_import();
    op->set_domain("com.example");
    op->set_version(1);
    b.input("x", {1, 4});
    b.node("Relu", {"x"}, {"y"}, {}, "relu");
    b.proto().mutable_graph()->mutable_node(0)->set_domain("com.example");
    b.output("y");
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: unsupported operator 'Relu' (domain com.example, opset 1) at node 'relu'");
  }
}

TEST_CASE("loader: opset versions") {
  SUBCASE("newer than this build knows") {
    const RunResult r = load_model(relu_model(999).bytes());
    CHECK(r.status == CNNRT_UNSUPPORTED);
    CHECK(r.error == "<memory>: the model needs ai.onnx opset 999, newer than the newest this build knows (28)");
  }
  SUBCASE("zero") {
    const RunResult r = load_model(relu_model(0).bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: opset_import for domain ai.onnx has version 0");
  }
  SUBCASE("opset 1 refuses attributes added later") {
    ModelBuilder b(1);
    b.input("x", {1, 1, 8, 8});
    b.node("MaxPool", {"x"}, {"y"},
           {Attr("kernel_shape", std::vector<int64_t>{2, 2}), Attr("dilations", std::vector<int64_t>{2, 2})}, "pool");
    b.output("y");
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'pool' (MaxPool, domain ai.onnx, opset 1): attribute 'dilations' is not valid at this opset");
  }
}

TEST_CASE("loader: duplicate names") {
  SUBCASE("two nodes with the same output") {
    ModelBuilder b;
    b.input("x", {1, 4});
    b.node("Relu", {"x"}, {"y"}, {}, "first");
    b.node("Relu", {"x"}, {"y"}, {}, "second");
    b.output("y");
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'second' (Relu) output 'y' has the same name as another value (outputs must be unique)");
  }
  SUBCASE("a node output named like a graph input") {
    ModelBuilder b;
    b.input("x", {1, 4});
    b.node("Relu", {"x"}, {"x"}, {}, "relu");
    b.output("x");
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: node 'relu' (Relu) output 'x' has the same name as another value (outputs must be unique)");
  }
  SUBCASE("a graph output listed twice") {
    ModelBuilder b = relu_model();
    b.output("y");
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: graph output 'y' is listed twice");
  }
  SUBCASE("an initializer defined twice") {
    ModelBuilder b = relu_model();
    b.initializer("w", {1}, {1}).initializer("w", {1}, {2});
    const RunResult r = load_model(b.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == "<memory>: initializer 'w' is defined twice");
  }
}

TEST_CASE("loader: an attribute of the wrong type") {
  ModelBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.initializer("w", {4, 3, 3, 3}, random_floats(108, 1));
  b.node("Conv", {"x", "w"}, {"y"}, {Attr("group", "one")}, "conv");
  b.output("y");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'conv' (Conv, domain ai.onnx, opset 17): attribute 'group' must be of type int, got string");
}

TEST_CASE("loader: a Conv whose weight does not match its input channels") {
  ModelBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.initializer("w", {4, 2, 3, 3}, random_floats(72, 1));
  b.node("Conv", {"x", "w"}, {"y"}, {}, "conv");
  b.output("y");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: node 'conv' (Conv, domain ai.onnx, opset 17): the input has 3 channels but the weight "
                   "[4,2,3,3] with group 1 expects 2");
}

TEST_CASE("loader: a wrong element type") {
  ModelBuilder b;
  b.input("x", {1, 4}, onnx::TensorProto::INT64);
  b.node("Relu", {"x"}, {"y"}, {}, "relu");
  b.output("y");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: node 'relu' (Relu, domain ai.onnx, opset 17): input 0 ('x') has element type int64; "
                   "supported: float");
}

TEST_CASE("loader: a string or unknown element type") {
  ModelBuilder b;
  b.input("x", {1, 4}, 99);
  b.node("Relu", {"x"}, {"y"}).output("y");
  const RunResult r = load_model(b.bytes());
  CHECK(r.status == CNNRT_UNSUPPORTED);
  CHECK(r.error == "<memory>: graph input 'x' has unsupported element type type#99");
  // ONNX's newer types are named (float8, 4-bit and 2-bit integers, float4).
  const std::pair<int, const char*> named[] = {{17, "float8e4m3fn"}, {20, "float8e5m2fnuz"}, {21, "uint4"},
                                              {23, "float4e2m1"},   {24, "float8e8m0"},     {26, "int2"}};
  for (const auto& [type, name] : named) {
    ModelBuilder nb;
    nb.input("x", {1, 4}, type);
    nb.node("Relu", {"x"}, {"y"}).output("y");
    const RunResult n = load_model(nb.bytes());
    CHECK(n.status == CNNRT_UNSUPPORTED);
    CHECK(n.error == std::string("<memory>: graph input 'x' has unsupported element type ") + name);
  }
}
