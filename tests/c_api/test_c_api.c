/*
 * The public header from C (C99, -Wall -Wextra -pedantic): every function of
 * cnnrt.h, success and error paths, against the shared library. The model is
 * encoded here as protobuf bytes by hand (no ONNX or protobuf library in C),
 * written to a temporary file for the file-loading calls, and its results
 * are checked against a naive reference computed here.
 *
 * Model: image [N,1,4,4] -> Conv(2 filters 3x3, pads 1, bias) -> Relu ->
 * Flatten -> Gemm(3 outputs, transB) -> Softmax -> probs [N,3].
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnnrt.h"

static int passed = 0, failed = 0;

#define CHECK(cond)                                                  \
  do {                                                               \
    if (cond) {                                                      \
      ++passed;                                                      \
    } else {                                                         \
      ++failed;                                                      \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                \
  } while (0)

/* The call fails with `status` and a message containing `part`. */
#define CHECK_FAILS(call, status, part)                                              \
  do {                                                                               \
    cnnrt_status s_ = (call);                                                        \
    CHECK(s_ == (status));                                                           \
    if (strstr(cnnrt_last_error(), (part)) == NULL) {                                \
      ++failed;                                                                      \
      fprintf(stderr, "%s:%d: error '%s' lacks '%s'\n", __FILE__, __LINE__, cnnrt_last_error(), (part)); \
    } else {                                                                         \
      ++passed;                                                                      \
    }                                                                                \
  } while (0)

/* ------------------------------------------------------------ protobuf writer */

typedef struct {
  unsigned char* p;
  size_t n, cap;
} buf;

static void put(buf* b, const void* data, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->n + n) cap *= 2;
    b->p = (unsigned char*)realloc(b->p, cap);
    if (!b->p) abort();
    b->cap = cap;
  }
  memcpy(b->p + b->n, data, n);
  b->n += n;
}

static void varint(buf* b, uint64_t v) {
  unsigned char c;
  do {
    c = (unsigned char)(v & 0x7f);
    v >>= 7;
    if (v) c |= 0x80;
    put(b, &c, 1);
  } while (v);
}

static void field_int(buf* b, int field, int64_t v) {
  varint(b, (uint64_t)field << 3);
  varint(b, (uint64_t)v);
}

static void field_bytes(buf* b, int field, const void* data, size_t n) {
  varint(b, ((uint64_t)field << 3) | 2);
  varint(b, n);
  put(b, data, n);
}

static void field_str(buf* b, int field, const char* s) { field_bytes(b, field, s, strlen(s)); }

/* Appends `sub` as a nested message and frees it. */
static void field_msg(buf* b, int field, buf* sub) {
  field_bytes(b, field, sub->p, sub->n);
  free(sub->p);
  memset(sub, 0, sizeof *sub);
}

/* TensorProto (float, raw_data). */
static void tensor(buf* out, int field, const char* name, const int64_t* dims, int rank, const float* v) {
  buf t = {0};
  int64_t count = 1;
  int i;
  for (i = 0; i < rank; ++i) {
    field_int(&t, 1, dims[i]);
    count *= dims[i];
  }
  field_int(&t, 2, CNNRT_FLOAT32);
  field_str(&t, 8, name);
  field_bytes(&t, 9, v, (size_t)count * sizeof(float));
  field_msg(out, field, &t);
}

static void attr_ints(buf* node, const char* name, const int64_t* v, int n) {
  buf a = {0};
  int i;
  field_str(&a, 1, name);
  for (i = 0; i < n; ++i) field_int(&a, 8, v[i]);
  field_int(&a, 20, 7); /* INTS */
  field_msg(node, 5, &a);
}

static void attr_int(buf* node, const char* name, int64_t v) {
  buf a = {0};
  field_str(&a, 1, name);
  field_int(&a, 3, v);
  field_int(&a, 20, 2); /* INT */
  field_msg(node, 5, &a);
}

static void node(buf* graph, const char* op, const char* const* in, int n_in, const char* out, buf* attrs) {
  buf nd = {0};
  int i;
  for (i = 0; i < n_in; ++i) field_str(&nd, 1, in[i]);
  field_str(&nd, 2, out);
  field_str(&nd, 3, out); /* node named after its output */
  field_str(&nd, 4, op);
  if (attrs && attrs->n) put(&nd, attrs->p, attrs->n);
  if (attrs) {
    free(attrs->p);
    memset(attrs, 0, sizeof *attrs);
  }
  field_msg(graph, 1, &nd);
}

/* The weights, deterministic. */
static float W1[2 * 9], B1[2], WF[3 * 32], BF[3];

static void make_weights(void) {
  int i;
  for (i = 0; i < 18; ++i) W1[i] = (float)((i * 7) % 11 - 5) / 10.0f;
  B1[0] = 0.1f;
  B1[1] = -0.2f;
  for (i = 0; i < 96; ++i) WF[i] = (float)((i * 5) % 13 - 6) / 20.0f;
  for (i = 0; i < 3; ++i) BF[i] = (float)i / 10.0f - 0.1f;
}

static buf make_model(void) {
  buf model = {0}, graph = {0}, vi = {0}, type = {0}, tt = {0}, shape = {0}, dim = {0}, op = {0}, kv = {0}, attrs = {0};
  static const int64_t w1_dims[4] = {2, 1, 3, 3}, b1_dims[1] = {2}, wf_dims[2] = {3, 32}, bf_dims[1] = {3};
  static const int64_t pads[4] = {1, 1, 1, 1};
  static const char* conv_in[3] = {"image", "w1", "b1"};
  static const char* relu_in[1] = {"c"};
  static const char* flat_in[1] = {"r"};
  static const char* gemm_in[3] = {"f", "wf", "bf"};
  static const char* soft_in[1] = {"logits"};
  int i;

  attr_ints(&attrs, "pads", pads, 4);
  node(&graph, "Conv", conv_in, 3, "c", &attrs);
  node(&graph, "Relu", relu_in, 1, "r", NULL);
  node(&graph, "Flatten", flat_in, 1, "f", NULL);
  attr_int(&attrs, "transB", 1);
  node(&graph, "Gemm", gemm_in, 3, "logits", &attrs);
  node(&graph, "Softmax", soft_in, 1, "probs", NULL);
  field_str(&graph, 2, "c_api_test");
  tensor(&graph, 5, "w1", w1_dims, 4, W1);
  tensor(&graph, 5, "b1", b1_dims, 1, B1);
  tensor(&graph, 5, "wf", wf_dims, 2, WF);
  tensor(&graph, 5, "bf", bf_dims, 1, BF);
  /* input: image [N,1,4,4] float */
  field_str(&dim, 2, "N");
  field_msg(&shape, 1, &dim);
  for (i = 0; i < 3; ++i) {
    field_int(&dim, 1, i == 0 ? 1 : 4);
    field_msg(&shape, 1, &dim);
  }
  field_int(&tt, 1, CNNRT_FLOAT32);
  field_msg(&tt, 2, &shape);
  field_msg(&type, 1, &tt);
  field_str(&vi, 1, "image");
  field_msg(&vi, 2, &type);
  field_msg(&graph, 11, &vi);
  field_str(&vi, 1, "probs");
  field_msg(&graph, 12, &vi);

  field_int(&model, 1, 8); /* ir_version */
  field_str(&model, 2, "cnnrt-c-test");
  field_msg(&model, 7, &graph);
  field_str(&op, 1, "");
  field_int(&op, 2, 13);
  field_msg(&model, 8, &op);
  field_str(&kv, 1, "author");
  field_str(&kv, 2, "c test");
  field_msg(&model, 14, &kv);
  return model;
}

/* ------------------------------------------------------------ reference */

static void reference(const float* image, float* probs) {
  double c[2][4][4], logits[3], sum = 0, mx;
  int m, y, x, ky, kx, o, k;
  for (m = 0; m < 2; ++m)
    for (y = 0; y < 4; ++y)
      for (x = 0; x < 4; ++x) {
        double acc = B1[m];
        for (ky = 0; ky < 3; ++ky)
          for (kx = 0; kx < 3; ++kx) {
            int iy = y + ky - 1, ix = x + kx - 1;
            if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) acc += (double)image[iy * 4 + ix] * W1[m * 9 + ky * 3 + kx];
          }
        c[m][y][x] = acc > 0 ? acc : 0;
      }
  for (o = 0; o < 3; ++o) {
    double acc = BF[o];
    for (k = 0; k < 32; ++k) acc += c[k / 16][(k / 4) % 4][k % 4] * WF[o * 32 + k];
    logits[o] = acc;
  }
  mx = logits[0];
  for (o = 1; o < 3; ++o)
    if (logits[o] > mx) mx = logits[o];
  for (o = 0; o < 3; ++o) sum += exp(logits[o] - mx);
  for (o = 0; o < 3; ++o) probs[o] = (float)(exp(logits[o] - mx) / sum);
}

static int close_to(const float* a, const float* b, int n) {
  int i;
  for (i = 0; i < n; ++i)
    if (fabs((double)a[i] - b[i]) > 1e-5) return 0;
  return 1;
}

/* ------------------------------------------------------------ tests */

static void test_library(void) {
  cnnrt_status bogus;
  int value = 4242;
  CHECK(strstr(cnnrt_version(), "oneDNN") != NULL);
  CHECK(strcmp(cnnrt_status_name(CNNRT_INVALID_MODEL), "CNNRT_INVALID_MODEL") == 0);
  memcpy(&bogus, &value, sizeof bogus);
  CHECK(strcmp(cnnrt_status_name(bogus), "CNNRT_UNKNOWN_STATUS") == 0);
  CHECK(cnnrt_last_error() != NULL);
}

static void test_model_queries(const cnnrt_model* m) {
  size_t n = 0;
  cnnrt_tensor_info info;
  const char* value = NULL;
  CHECK(cnnrt_model_input_count(m, &n) == CNNRT_OK && n == 1);
  CHECK(cnnrt_model_input_info(m, 0, &info) == CNNRT_OK);
  CHECK(strcmp(info.name, "image") == 0 && info.dtype == CNNRT_FLOAT32 && info.rank == 4);
  CHECK(info.dims[0] == -1 && info.dims[1] == 1 && info.dims[2] == 4 && info.dims[3] == 4);
  CHECK(cnnrt_model_output_count(m, &n) == CNNRT_OK && n == 1);
  CHECK(cnnrt_model_output_info(m, 0, &info) == CNNRT_OK && strcmp(info.name, "probs") == 0);
  CHECK(cnnrt_model_tensor_count(m, &n) == CNNRT_OK && n >= 4);
  CHECK(cnnrt_model_tensor_info(m, 0, &info) == CNNRT_OK && strcmp(info.name, "c") == 0);
  CHECK(cnnrt_model_metadata(m, "author", &value) == CNNRT_OK && value && strcmp(value, "c test") == 0);
  CHECK(cnnrt_model_metadata(m, "absent", &value) == CNNRT_OK && value == NULL);
  CHECK_FAILS(cnnrt_model_input_info(m, 1, &info), CNNRT_INVALID_ARGUMENT, "out of range");
  CHECK_FAILS(cnnrt_model_input_count(NULL, &n), CNNRT_INVALID_ARGUMENT, "model is NULL");
  CHECK_FAILS(cnnrt_model_output_info(m, 0, NULL), CNNRT_INVALID_ARGUMENT, "info is NULL");
  CHECK_FAILS(cnnrt_model_metadata(m, NULL, &value), CNNRT_INVALID_ARGUMENT, "key or value is NULL");
}

static void test_runs(const cnnrt_model* m) {
  cnnrt_session_options o;
  cnnrt_session* s = NULL;
  static const char* extra[1] = {"c"};
  float image[3 * 16], expect[9], probs[9], small[2];
  int64_t dims[4] = {3, 1, 4, 4};
  cnnrt_tensor in, out[2];
  size_t n = 0, i;
  cnnrt_memory_plan plan;
  const char* text = NULL;
  cnnrt_profile_entry e;

  for (i = 0; i < 48; ++i) image[i] = (float)((int)(i * 37 % 17) - 8) / 4.0f;
  for (i = 0; i < 3; ++i) reference(image + 16 * i, expect + 3 * i);

  cnnrt_session_options_init(&o);
  CHECK(o.struct_size == sizeof o && o.threads == 0 && o.conv_algorithm == CNNRT_CONV_AUTO);
  o.threads = 1;
  o.conv_algorithm = CNNRT_CONV_DIRECT;
  o.profile = 1;
  o.extra_outputs = extra;
  o.extra_output_count = 1;
  CHECK(cnnrt_session_create(m, &o, &s) == CNNRT_OK && s != NULL);
  CHECK(cnnrt_session_output_count(s, &n) == CNNRT_OK && n == 2);

  /* Batch 3 (the symbolic dim), results copied into our buffers, by name. */
  memset(&in, 0, sizeof in);
  in.name = "image";
  in.dtype = CNNRT_FLOAT32;
  in.rank = 4;
  in.dims = dims;
  in.data = image;
  in.size_bytes = sizeof image;
  memset(out, 0, sizeof out);
  out[0].name = "probs";
  out[0].data = probs;
  out[0].size_bytes = sizeof probs;
  CHECK(cnnrt_session_run(s, &in, 1, out, 2) == CNNRT_OK);
  CHECK(close_to(probs, expect, 9));
  CHECK(out[0].rank == 2 && out[0].dims[0] == 3 && out[0].dims[1] == 3 && out[0].size_bytes == sizeof probs);
  CHECK(out[1].data != NULL && strcmp(out[1].name, "c") == 0 && out[1].rank == 4 && out[1].dims[1] == 2);
  CHECK(cnnrt_session_output(s, 0, &out[1]) == CNNRT_OK && close_to((const float*)out[1].data, expect, 9));

  /* Batch 1, session-owned results. */
  dims[0] = 1;
  in.size_bytes = 16 * sizeof(float);
  memset(out, 0, sizeof out);
  CHECK(cnnrt_session_run(s, &in, 1, out, 1) == CNNRT_OK);
  CHECK(out[0].size_bytes == 3 * sizeof(float) && close_to((const float*)out[0].data, expect, 3));

  CHECK(cnnrt_session_memory_plan(s, &plan) == CNNRT_OK && plan.arena_bytes > 0 && plan.step_count > 0);
  CHECK(plan.lower_bound_bytes <= plan.arena_bytes && plan.arena_bytes <= plan.total_bytes);
  CHECK(cnnrt_session_plan_text(s, &text) == CNNRT_OK && text && strlen(text) > 0);
  CHECK(cnnrt_session_profile_count(s, &n) == CNNRT_OK && n == plan.step_count);
  CHECK(cnnrt_session_profile_entry(s, 0, &e) == CNNRT_OK && e.runs >= 1 && e.node && e.op && e.impl);

  /* Errors, each leaving the session usable. */
  in.name = "nope";
  CHECK_FAILS(cnnrt_session_run(s, &in, 1, NULL, 0), CNNRT_INVALID_ARGUMENT, "no input named 'nope'");
  in.name = NULL; /* by position */
  dims[2] = 5;
  CHECK_FAILS(cnnrt_session_run(s, &in, 1, NULL, 0), CNNRT_INVALID_ARGUMENT, "must have shape");
  dims[2] = 4;
  in.dtype = CNNRT_INT64;
  CHECK_FAILS(cnnrt_session_run(s, &in, 1, NULL, 0), CNNRT_INVALID_ARGUMENT, "must be float, got int64");
  in.dtype = CNNRT_FLOAT32;
  in.size_bytes = 4;
  CHECK_FAILS(cnnrt_session_run(s, &in, 1, NULL, 0), CNNRT_INVALID_ARGUMENT, "needs 64");
  in.size_bytes = 16 * sizeof(float);
  memset(out, 0, sizeof out);
  out[0].data = small;
  out[0].size_bytes = sizeof small;
  CHECK_FAILS(cnnrt_session_run(s, &in, 1, out, 1), CNNRT_INVALID_ARGUMENT, "needs 12 bytes, the buffer has 8");
  /* The run itself happened: its results stay readable. */
  memset(out, 0, sizeof out);
  CHECK(cnnrt_session_output(s, 0, &out[0]) == CNNRT_OK && close_to((const float*)out[0].data, expect, 3));
  /* A run refused before running leaves none. */
  dims[2] = 5;
  CHECK_FAILS(cnnrt_session_run(s, &in, 1, NULL, 0), CNNRT_INVALID_ARGUMENT, "must have shape");
  dims[2] = 4;
  CHECK_FAILS(cnnrt_session_output(s, 0, &out[0]), CNNRT_INVALID_ARGUMENT, "no successful run");
  CHECK_FAILS(cnnrt_session_run(NULL, &in, 1, NULL, 0), CNNRT_INVALID_ARGUMENT, "session is NULL");
  memset(out, 0, sizeof out);
  CHECK(cnnrt_session_run(s, &in, 1, out, 1) == CNNRT_OK && close_to((const float*)out[0].data, expect, 3));

  cnnrt_session_destroy(&s);
  CHECK(s == NULL);
  cnnrt_session_destroy(&s); /* harmless */

  o.struct_size = 4;
  CHECK_FAILS(cnnrt_session_create(m, &o, &s), CNNRT_INVALID_ARGUMENT, "struct_size");
  CHECK_FAILS(cnnrt_session_create(NULL, NULL, &s), CNNRT_INVALID_ARGUMENT, "model is NULL");
  CHECK(s == NULL);
}

/* A session keeps working after its model handle is destroyed. */
static void test_session_outlives_model(const unsigned char* bytes, size_t n) {
  cnnrt_model* m = NULL;
  cnnrt_session* s = NULL;
  float image[16], expect[3];
  int64_t dims[4] = {1, 1, 4, 4};
  cnnrt_tensor in, out;
  int i;
  for (i = 0; i < 16; ++i) image[i] = (float)i / 8.0f - 1.0f;
  reference(image, expect);
  CHECK(cnnrt_model_load_memory(bytes, n, &m) == CNNRT_OK);
  CHECK(cnnrt_session_create(m, NULL, &s) == CNNRT_OK);
  cnnrt_model_destroy(&m);
  CHECK(m == NULL);
  cnnrt_model_destroy(&m); /* harmless */
  memset(&in, 0, sizeof in);
  in.dtype = CNNRT_FLOAT32;
  in.rank = 4;
  in.dims = dims;
  in.data = image;
  in.size_bytes = sizeof image;
  memset(&out, 0, sizeof out);
  CHECK(cnnrt_session_run(s, &in, 1, &out, 1) == CNNRT_OK && close_to((const float*)out.data, expect, 3));
  cnnrt_session_destroy(&s);
}

/* A serialized TensorProto read back as a blob. */
static void test_blob(const char* path) {
  static const int64_t dims[2] = {2, 3};
  static const float v[6] = {1, 2, 3, 4, 5, 6};
  buf b = {0};
  cnnrt_blob* blob = NULL;
  cnnrt_tensor view;
  FILE* f;
  field_int(&b, 1, dims[0]);
  field_int(&b, 1, dims[1]);
  field_int(&b, 2, CNNRT_FLOAT32);
  field_str(&b, 8, "input_0");
  field_bytes(&b, 9, v, sizeof v);
  f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fwrite(b.p, 1, b.n, f);
  fclose(f);
  free(b.p);
  CHECK(cnnrt_blob_read_file(path, &blob) == CNNRT_OK);
  CHECK(cnnrt_blob_tensor(blob, &view) == CNNRT_OK);
  CHECK(strcmp(view.name, "input_0") == 0 && view.dtype == CNNRT_FLOAT32 && view.rank == 2);
  CHECK(view.dims[1] == 3 && view.size_bytes == sizeof v && memcmp(view.data, v, sizeof v) == 0);
  cnnrt_blob_destroy(&blob);
  CHECK(blob == NULL);
  cnnrt_blob_destroy(&blob);
  CHECK_FAILS(cnnrt_blob_tensor(blob, &view), CNNRT_INVALID_ARGUMENT, "blob is NULL");
  CHECK_FAILS(cnnrt_blob_read_file("/nonexistent/x.pb", &blob), CNNRT_IO_ERROR, "cannot open");
}

int main(int argc, char** argv) {
  const char* dir = argc > 1 ? argv[1] : ".";
  char model_path[4096], blob_path[4096];
  buf model;
  cnnrt_model* m = NULL;
  FILE* f;

  snprintf(model_path, sizeof model_path, "%s/c_api_test_model.onnx", dir);
  snprintf(blob_path, sizeof blob_path, "%s/c_api_test_input.pb", dir);
  make_weights();
  model = make_model();

  test_library();

  /* Loading: from memory, from a file, and the ways it fails. */
  CHECK(cnnrt_model_load_memory(model.p, model.n, &m) == CNNRT_OK && m != NULL);
  test_model_queries(m);
  test_runs(m);
  cnnrt_model_destroy(&m);
  CHECK(m == NULL);

  f = fopen(model_path, "wb");
  CHECK(f != NULL);
  if (f) {
    fwrite(model.p, 1, model.n, f);
    fclose(f);
    CHECK(cnnrt_model_load_file(model_path, &m) == CNNRT_OK);
    test_model_queries(m);
    cnnrt_model_destroy(&m);
    remove(model_path);
  }
  CHECK_FAILS(cnnrt_model_load_memory(model.p, model.n / 2, &m), CNNRT_INVALID_MODEL, "not a valid ONNX model");
  CHECK(m == NULL);
  CHECK_FAILS(cnnrt_model_load_memory(NULL, 5, &m), CNNRT_INVALID_ARGUMENT, "data is NULL");
  CHECK_FAILS(cnnrt_model_load_file("/nonexistent/model.onnx", &m), CNNRT_IO_ERROR, "cannot open");
  CHECK_FAILS(cnnrt_model_load_file(NULL, &m), CNNRT_INVALID_ARGUMENT, "path is NULL");

  test_session_outlives_model(model.p, model.n);
  test_blob(blob_path);
  remove(blob_path);
  free(model.p);

  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
