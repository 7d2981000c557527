// External data and model files on disk: data is read only from inside the
// model's folder (no "..", absolute paths, or symlinks leading out), only
// from regular files (a FIFO must not hang the loader), and every size is
// checked. A valid layout loads and computes the right values (the control).
#include <doctest/doctest.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cnnrt.h"
#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "support/temp_dir.h"

using namespace cnnrt::test;
namespace fs = std::filesystem;

namespace {

const std::vector<float> kB = {1, 2, 3, 4, 5, 6, 7, 8};  // B [4,2]

std::string b_bytes() { return std::string(reinterpret_cast<const char*>(kB.data()), kB.size() * sizeof(float)); }

// y = x [1,4] * B [4,2] with B stored as external data described by `entries`.
std::string model_with_external(const std::vector<std::pair<std::string, std::string>>& entries) {
  ModelBuilder b;
  b.input("x", {1, 4});
  onnx::TensorProto t;
  t.set_name("B");
  t.set_data_type(onnx::TensorProto::FLOAT);
  t.add_dims(4);
  t.add_dims(2);
  t.set_data_location(onnx::TensorProto::EXTERNAL);
  for (const auto& [k, v] : entries) {
    auto* e = t.add_external_data();
    e->set_key(k);
    e->set_value(v);
  }
  *b.proto().mutable_graph()->add_initializer() = t;
  b.node("Gemm", {"x", "B"}, {"y"}, {}, "gemm");
  b.output("y");
  return b.bytes();
}

struct LoadResult {
  cnnrt_status status;
  std::string error;
};

LoadResult load_file(const std::string& path) {
  cnnrt_model* m = nullptr;
  const cnnrt_status s = cnnrt_model_load_file(path.c_str(), &m);
  LoadResult r{s, s == CNNRT_OK ? "" : cnnrt_last_error()};
  if (s != CNNRT_OK) CHECK(m == nullptr);
  cnnrt_model_destroy(&m);
  return r;
}

// Writes model.onnx into dir with B at `location` and loads it.
LoadResult load_with_location(const TempDir& dir, const std::string& location) {
  write_file(dir.path + "/model.onnx", model_with_external({{"location", location}}));
  return load_file(dir.path + "/model.onnx");
}

std::string prefix(const TempDir& dir) { return dir.path + "/model.onnx: initializer: tensor 'B': "; }

}  // namespace

TEST_CASE("external data: a weight file beside the model loads and computes") {
  TempDir dir;
  write_file(dir.path + "/data/weights.bin", std::string(16, '\0') + b_bytes());
  write_file(dir.path + "/model.onnx",
             model_with_external({{"location", "data/weights.bin"}, {"offset", "16"}, {"length", "32"}}));
  cnnrt_model* m = nullptr;
  REQUIRE(cnnrt_model_load_file((dir.path + "/model.onnx").c_str(), &m) == CNNRT_OK);
  cnnrt_session* s = nullptr;
  REQUIRE(cnnrt_session_create(m, nullptr, &s) == CNNRT_OK);
  const float x[4] = {1, 10, 100, 1000};
  const int64_t xd[2] = {1, 4};
  cnnrt_tensor in = {"x", CNNRT_FLOAT32, 2, xd, const_cast<float*>(x), sizeof x};
  float y[2] = {0, 0};
  cnnrt_tensor out = {nullptr, CNNRT_UNDEFINED, 0, nullptr, y, sizeof y};
  REQUIRE(cnnrt_session_run(s, &in, 1, &out, 1) == CNNRT_OK);
  CHECK(y[0] == 1 * 1 + 10 * 3 + 100 * 5 + 1000 * 7);
  CHECK(y[1] == 1 * 2 + 10 * 4 + 100 * 6 + 1000 * 8);
  cnnrt_session_destroy(&s);
  cnnrt_model_destroy(&m);
}

TEST_CASE("external data: '..' never leaves the model's folder") {
  TempDir dir;
  write_file(dir.path + "/secret.bin", b_bytes());  // right size: only the guard stops the read
  write_file(dir.path + "/m/sub/x.bin", b_bytes());
  for (const std::string loc : {"../secret.bin", "sub/../../secret.bin", "..", "sub/.."}) {
    write_file(dir.path + "/m/model.onnx", model_with_external({{"location", loc}}));
    const LoadResult r = load_file(dir.path + "/m/model.onnx");
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == dir.path + "/m/model.onnx: initializer: tensor 'B': external data location '" + loc +
                         "' leaves the model's folder");
  }
}

TEST_CASE("external data: absolute paths are refused") {
  TempDir dir;
  write_file(dir.path + "/weights.bin", b_bytes());
  const std::string abs = dir.path + "/weights.bin";
  const LoadResult r = load_with_location(dir, abs);
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == prefix(dir) + "external data location '" + abs + "' must be a relative path");
  const LoadResult r2 = load_with_location(dir, "sub\\weights.bin");
  CHECK(r2.status == CNNRT_INVALID_MODEL);
  CHECK(r2.error == prefix(dir) + "external data location 'sub\\weights.bin' must be a relative path");
}

TEST_CASE("external data: a symlink pointing out of the folder is refused") {
  TempDir dir;
  write_file(dir.path + "/secret.bin", b_bytes());
  fs::create_directories(dir.path + "/m");
  fs::create_symlink(dir.path + "/secret.bin", dir.path + "/m/link.bin");
  write_file(dir.path + "/m/model.onnx", model_with_external({{"location", "link.bin"}}));
  const LoadResult r = load_file(dir.path + "/m/model.onnx");
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == dir.path + "/m/model.onnx: initializer: tensor 'B': external data location 'link.bin' resolves "
                              "outside the model's folder");
}

TEST_CASE("external data: a missing file") {
  TempDir dir;
  const LoadResult r = load_with_location(dir, "nope.bin");
  CHECK(r.status == CNNRT_IO_ERROR);
  CHECK(r.error == prefix(dir) + "external data file '" + dir.path + "/nope.bin' cannot be opened: No such file or directory");
}

TEST_CASE("external data: a FIFO or a folder is refused without blocking") {
  TempDir dir;
  REQUIRE(mkfifo((dir.path + "/pipe.bin").c_str(), 0600) == 0);
  const LoadResult r = load_with_location(dir, "pipe.bin");
  CHECK(r.status == CNNRT_IO_ERROR);
  CHECK(r.error == prefix(dir) + "external data '" + dir.path + "/pipe.bin': not a regular file (a directory, device or pipe)");
  fs::create_directories(dir.path + "/folder");
  const LoadResult r2 = load_with_location(dir, "folder");
  CHECK(r2.status == CNNRT_IO_ERROR);
  CHECK(r2.error == prefix(dir) + "external data '" + dir.path + "/folder': not a regular file (a directory, device or pipe)");
}

TEST_CASE("external data: sizes and offsets are checked") {
  TempDir dir;
  write_file(dir.path + "/short.bin", b_bytes().substr(0, 20));
  const LoadResult r = load_with_location(dir, "short.bin");
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == prefix(dir) + "external data 'short.bin' has 20 bytes; offset 0 + 32 bytes needed");

  write_file(dir.path + "/w.bin", b_bytes());
  write_file(dir.path + "/model.onnx", model_with_external({{"location", "w.bin"}, {"offset", "8"}}));
  LoadResult r2 = load_file(dir.path + "/model.onnx");
  CHECK(r2.status == CNNRT_INVALID_MODEL);
  CHECK(r2.error == prefix(dir) + "external data 'w.bin' has 32 bytes; offset 8 + 32 bytes needed");

  write_file(dir.path + "/model.onnx", model_with_external({{"location", "w.bin"}, {"offset", "99999999999999999999"}}));
  r2 = load_file(dir.path + "/model.onnx");
  CHECK(r2.status == CNNRT_INVALID_MODEL);
  CHECK(r2.error == prefix(dir) + "external data offset '99999999999999999999' is not a valid size");

  write_file(dir.path + "/model.onnx", model_with_external({{"location", "w.bin"}, {"length", "-4"}}));
  r2 = load_file(dir.path + "/model.onnx");
  CHECK(r2.status == CNNRT_INVALID_MODEL);
  CHECK(r2.error == prefix(dir) + "external data length '-4' is not a valid size");

  write_file(dir.path + "/model.onnx", model_with_external({{"location", "w.bin"}, {"length", "16"}}));
  r2 = load_file(dir.path + "/model.onnx");
  CHECK(r2.status == CNNRT_INVALID_MODEL);
  CHECK(r2.error == prefix(dir) + "external data length 16 does not match the shape's 32 bytes");
}

TEST_CASE("external data: a location with a NUL byte or none at all") {
  TempDir dir;
  write_file(dir.path + "/w.bin", b_bytes());
  LoadResult r = load_with_location(dir, std::string("w.bin\0/../x", 11));
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == prefix(dir) + "external data location contains a NUL byte");
  write_file(dir.path + "/model.onnx", model_with_external({{"offset", "0"}}));
  r = load_file(dir.path + "/model.onnx");
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == prefix(dir) + "external data has no location");
}

TEST_CASE("external data: a model loaded from memory cannot use it") {
  const std::string bytes = model_with_external({{"location", "w.bin"}});
  const RunResult r = load_model(bytes);
  CHECK(r.status == CNNRT_INVALID_MODEL);
  CHECK(r.error == "<memory>: initializer: tensor 'B': external data 'w.bin' cannot be read for a model loaded from "
                   "memory (no folder to resolve it against)");
}

TEST_CASE("model files: missing, a folder, a FIFO") {
  TempDir dir;
  LoadResult r = load_file(dir.path + "/absent.onnx");
  CHECK(r.status == CNNRT_IO_ERROR);
  CHECK(r.error == dir.path + "/absent.onnx: cannot open: No such file or directory");
  r = load_file(dir.path);
  CHECK(r.status == CNNRT_IO_ERROR);
  CHECK(r.error == dir.path + ": not a regular file (a directory, device or pipe)");
  REQUIRE(mkfifo((dir.path + "/pipe.onnx").c_str(), 0600) == 0);
  r = load_file(dir.path + "/pipe.onnx");
  CHECK(r.status == CNNRT_IO_ERROR);
  CHECK(r.error == dir.path + "/pipe.onnx: not a regular file (a directory, device or pipe)");
  r = load_file("/dev/zero");
  CHECK(r.status == CNNRT_IO_ERROR);
  CHECK(r.error == "/dev/zero: not a regular file (a directory, device or pipe)");
}
