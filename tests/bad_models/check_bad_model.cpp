// check_bad_model MODEL STATUS MESSAGE_PART
// Takes a malformed model as far as it goes through the public C API — load,
// create a session, run once on zeros of the declared shapes — and passes
// if the first failure has STATUS (e.g. CNNRT_INVALID_MODEL) and a message
// containing MESSAGE_PART. A model that loads and runs fails the check.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cnnrt.h"

namespace {

size_t dtype_size(cnnrt_dtype t) {
  switch (t) {
    case CNNRT_INT64: case CNNRT_FLOAT64: case CNNRT_UINT64: return 8;
    case CNNRT_FLOAT32: case CNNRT_INT32: case CNNRT_UINT32: return 4;
    case CNNRT_FLOAT16: case CNNRT_BFLOAT16: case CNNRT_INT16: case CNNRT_UINT16: return 2;
    default: return 1;
  }
}

// The first failing stage's status, or CNNRT_OK if everything worked.
cnnrt_status take_it_through(const char* path, std::string* stage) {
  cnnrt_model* m = nullptr;
  *stage = "load";
  cnnrt_status s = cnnrt_model_load_file(path, &m);
  if (s != CNNRT_OK) return s;
  size_t n = 0;
  cnnrt_model_input_count(m, &n);
  std::vector<std::vector<int64_t>> dims(n);
  std::vector<std::vector<unsigned char>> data(n);
  std::vector<cnnrt_tensor> inputs(n);
  for (size_t i = 0; i < n; ++i) {
    cnnrt_tensor_info info;
    cnnrt_model_input_info(m, i, &info);
    size_t count = 1;
    for (size_t k = 0; k < info.rank; ++k) {
      dims[i].push_back(info.dims[k] < 0 ? 1 : info.dims[k]);
      count *= static_cast<size_t>(dims[i].back());
    }
    data[i].assign(count * dtype_size(info.dtype), 0);
    inputs[i] = {info.name, info.dtype, info.rank, dims[i].data(), data[i].data(), data[i].size()};
  }
  cnnrt_session* sess = nullptr;
  *stage = "session";
  s = cnnrt_session_create(m, nullptr, &sess);
  if (s == CNNRT_OK) {
    *stage = "run";
    s = cnnrt_session_run(sess, inputs.data(), n, nullptr, 0);
  }
  cnnrt_session_destroy(&sess);
  cnnrt_model_destroy(&m);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: check_bad_model MODEL STATUS MESSAGE_PART\n");
    return 2;
  }
  std::string stage;
  const cnnrt_status s = take_it_through(argv[1], &stage);
  const std::string message = cnnrt_last_error();
  std::printf("%s: %s at %s: %s\n", argv[1], cnnrt_status_name(s), stage.c_str(), s == CNNRT_OK ? "" : message.c_str());
  if (s == CNNRT_OK) {
    std::printf("FAIL: the model was accepted; expected %s naming '%s'\n", argv[2], argv[3]);
    return 1;
  }
  if (std::strcmp(cnnrt_status_name(s), argv[2]) != 0 || message.find(argv[3]) == std::string::npos) {
    std::printf("FAIL: expected %s with a message containing '%s'\n", argv[2], argv[3]);
    return 1;
  }
  return 0;
}
