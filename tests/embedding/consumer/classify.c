/*
 * classify: an application embedding cnnrt through its installed package
 * only (cnnrt.h and libcnnrt). Loads a model, reads one image, runs it and
 * prints the best-scoring class of the first output:
 *
 *   classify MODEL IMAGE
 *     IMAGE.pb   a serialized ONNX TensorProto (cnnrt_blob_read_file)
 *     otherwise  raw float32 values in the model input's shape
 *                (a dynamic dimension, such as the batch, taken as 1)
 *
 * Prints "class K score S" and exits 0, or prints cnnrt's error and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cnnrt.h>

/* Reads a whole file of exactly `size` bytes into a new buffer. */
static void* read_raw(const char* path, size_t size) {
  FILE* f = fopen(path, "rb");
  void* data = f ? malloc(size ? size : 1) : NULL;
  int ok = data && fread(data, 1, size, f) == size && fgetc(f) == EOF;
  if (f) fclose(f);
  if (!ok) {
    fprintf(stderr, "classify: %s is not %zu bytes of float32\n", path, size);
    free(data);
    return NULL;
  }
  return data;
}

static int has_suffix(const char* s, const char* suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

int main(int argc, char** argv) {
  cnnrt_model* model = NULL;
  cnnrt_session* session = NULL;
  cnnrt_blob* blob = NULL;
  void* raw = NULL;
  int64_t dims[8];
  cnnrt_tensor input, output;
  int rc = 1;
  if (argc != 3) {
    fprintf(stderr, "usage: classify MODEL IMAGE\n");
    return 2;
  }
  if (cnnrt_model_load_file(argv[1], &model) != CNNRT_OK) goto fail;
  if (cnnrt_session_create(model, NULL, &session) != CNNRT_OK) goto fail;

  if (has_suffix(argv[2], ".pb")) {
    if (cnnrt_blob_read_file(argv[2], &blob) != CNNRT_OK) goto fail;
    cnnrt_blob_tensor(blob, &input);
    input.name = NULL; /* the model's first input, whatever the file calls it */
  } else {
    cnnrt_tensor_info info;
    size_t i, bytes = sizeof(float);
    if (cnnrt_model_input_info(model, 0, &info) != CNNRT_OK) goto fail;
    if (info.dtype != CNNRT_FLOAT32 || info.rank > 8) {
      fprintf(stderr, "classify: input '%s' is not a float32 tensor of rank <= 8\n", info.name);
      goto done;
    }
    for (i = 0; i < info.rank; ++i) {
      dims[i] = info.dims[i] < 0 ? 1 : info.dims[i];
      bytes *= (size_t)dims[i];
    }
    raw = read_raw(argv[2], bytes);
    if (!raw) goto done;
    input.name = info.name;
    input.dtype = CNNRT_FLOAT32;
    input.rank = info.rank;
    input.dims = dims;
    input.data = raw;
    input.size_bytes = bytes;
  }

  memset(&output, 0, sizeof output); /* data NULL: cnnrt lends its own result memory */
  if (cnnrt_session_run(session, &input, 1, &output, 1) != CNNRT_OK) goto fail;
  if (output.dtype != CNNRT_FLOAT32 || output.size_bytes < sizeof(float)) {
    fprintf(stderr, "classify: output '%s' is not a non-empty float32 tensor\n", output.name);
    goto done;
  } else {
    const float* scores = (const float*)output.data;
    size_t n = output.size_bytes / sizeof(float), best = 0, i;
    for (i = 1; i < n; ++i)
      if (scores[i] > scores[best]) best = i;
    printf("class %zu score %.4f\n", best, scores[best]);
    rc = 0;
    goto done;
  }

fail:
  fprintf(stderr, "classify: %s\n", cnnrt_last_error());
done:
  free(raw);
  cnnrt_blob_destroy(&blob);
  cnnrt_session_destroy(&session);
  cnnrt_model_destroy(&model);
  return rc;
}
