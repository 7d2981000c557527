// cnnrt-classify: image classification from the command line.
//
//   cnnrt-classify [--model M] [options] IMAGE...
//
// Decodes each image, preprocesses it as the model's metadata (or a preset,
// or flags) says, runs the model (several images as one batch when its
// batch dimension is dynamic) and prints the top-k classes with their
// probabilities. Without --model it uses the embedded Fashion-MNIST model.
// Built on the public C API only.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cnnrt.h"
#include "common/failure.h"
#include "common/handles.h"
#include "common/labels.h"
#include "common/model_input.h"
#include "embedded_model.h"

using namespace cnnrt_tools;

namespace {

constexpr const char* kEmbeddedName = "embedded:fashion_mnist_cnn.onnx";

struct Options {
  std::string model;
  std::vector<std::string> images;
  int top_k = 5;
  std::string labels;
  PreprocessFlags pre;
  bool json = false, time = false;
  int threads = 0, max_batch = 64;
};

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

std::string dims_str(const std::vector<int64_t>& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + (d[i] < 0 ? std::string("?") : std::to_string(d[i]));
  return s + "]";
}

// What the model wants, worked out once before any image is read.
struct Plan {
  std::string model_name;
  ImageInput input;
  cnnrt_tensor_info output{};
  std::vector<std::string> labels;
  int64_t fixed_batch = -1;  // -1: dynamic
};

struct Prepared {
  std::vector<float> data;
  int height = 0, width = 0;
};

struct ImageResult {
  std::vector<std::pair<int64_t, float>> top;  // (class, probability)
};

Failure load_model(const Options& o, ModelHandle& m, std::string* name) {
  cnnrt_status s;
  if (o.model.empty()) {
    *name = kEmbeddedName;
    s = cnnrt_model_load_memory(cnnrt_embedded_model, cnnrt_embedded_model_size, &m.p);
    if (s != CNNRT_OK) return error(std::string(kEmbeddedName) + ": " + cnnrt_last_error());
  } else {
    *name = o.model;
    s = cnnrt_model_load_file(o.model.c_str(), &m.p);
    if (s != CNNRT_OK) {
      // The library's message names the file already.
      const std::string msg = cnnrt_last_error();
      return error(msg.find(o.model) == std::string::npos ? o.model + ": " + msg : msg);
    }
  }
  return {};
}

Failure make_plan(const Options& o, const cnnrt_model* m, Plan* plan) {
  const std::string& name = plan->model_name;
  if (Failure f = describe_image_input(m, name, o.pre, &plan->input)) return f;
  size_t n_out = 0;
  cnnrt_model_output_count(m, &n_out);
  if (n_out < 1) return error(name + ": the model has no outputs");
  cnnrt_model_output_info(m, 0, &plan->output);
  if (plan->output.dtype != CNNRT_FLOAT32)
    return error(name + ": output '" + plan->output.name + "' is not float32 scores");
  plan->fixed_batch = plan->input.info.dims[0];
  std::string err;
  if (!o.labels.empty()) {
    if (!read_labels_file(o.labels, &plan->labels, &err)) return error(o.labels + ": " + err);
  } else {
    const char* meta = nullptr;
    cnnrt_model_metadata(m, "cnnrt.labels", &meta);
    if (meta && !parse_labels_json(meta, &plan->labels, &err))
      return error(name + ": metadata \"cnnrt.labels\" " + err);
  }
  return {};
}

Failure prepare_images(const Options& o, const Plan& plan, size_t begin, size_t end, std::vector<Prepared>* out) {
  out->clear();
  for (size_t i = begin; i < end; ++i) {
    Prepared p;
    if (Failure f = load_input_image(o.images[i], plan.input, &p.data, &p.height, &p.width)) return f;
    out->push_back(std::move(p));
  }
  return {};
}

// True if every row is already a probability distribution (the model ends
// in Softmax, or something equivalent).
bool rows_are_probabilities(const float* data, size_t rows, size_t classes) {
  for (size_t r = 0; r < rows; ++r) {
    double sum = 0;
    for (size_t k = 0; k < classes; ++k) {
      const float v = data[r * classes + k];
      if (!(v >= -1e-6f && v <= 1.0f + 1e-6f)) return false;
      sum += v;
    }
    if (std::fabs(sum - 1.0) > 1e-3) return false;
  }
  return true;
}

void softmax_row(std::vector<double>& v) {
  const double mx = *std::max_element(v.begin(), v.end());
  double sum = 0;
  for (double& x : v) sum += (x = std::exp(x - mx));
  for (double& x : v) x /= sum;
}

struct RunState {
  int softmax = -1;  // -1 undecided, 0 output is probabilities, 1 apply softmax
  double preprocess_ms = 0, inference_ms = 0;
  int runs = 0;
};

// Runs the images in `group` (indices into prepared, all the same size) in
// batches; prepared[i]'s result is results[first + i].
Failure run_group(cnnrt_session* s, const Plan& plan, const Options& o, const std::vector<Prepared>& prepared,
                  const std::vector<size_t>& group, size_t first, RunState& st, std::vector<ImageResult>& results) {
  const auto& g = plan.input.geometry;
  const int H = prepared[group[0]].height, W = prepared[group[0]].width;
  const size_t per_image = static_cast<size_t>(g.channels) * H * W;
  const size_t batch = plan.fixed_batch > 0 ? static_cast<size_t>(plan.fixed_batch)
                                            : std::min<size_t>(group.size(), static_cast<size_t>(o.max_batch));
  const bool u8 = plan.input.info.dtype == CNNRT_UINT8;
  std::vector<float> fbuf;
  std::vector<uint8_t> ubuf;
  for (size_t start = 0; start < group.size(); start += batch) {
    const size_t count = std::min(batch, group.size() - start);
    // A fixed batch larger than the images left is padded with zeros.
    (u8 ? ubuf.assign(batch * per_image, 0) : fbuf.assign(batch * per_image, 0.0f));
    for (size_t i = 0; i < count; ++i) {
      const auto& src = prepared[group[start + i]].data;
      if (u8) {
        for (size_t k = 0; k < per_image; ++k)
          ubuf[i * per_image + k] = static_cast<uint8_t>(std::clamp(std::lround(src[k]), 0L, 255L));
      } else {
        std::copy(src.begin(), src.end(), fbuf.begin() + static_cast<std::ptrdiff_t>(i * per_image));
      }
    }
    const std::vector<int64_t> dims = g.nhwc ? std::vector<int64_t>{(int64_t)batch, H, W, g.channels}
                                             : std::vector<int64_t>{(int64_t)batch, g.channels, H, W};
    cnnrt_tensor in{};
    in.name = plan.input.info.name;
    in.dtype = plan.input.info.dtype;
    in.rank = 4;
    in.dims = dims.data();
    in.data = u8 ? static_cast<void*>(ubuf.data()) : static_cast<void*>(fbuf.data());
    in.size_bytes = u8 ? ubuf.size() : fbuf.size() * sizeof(float);
    cnnrt_tensor out{};
    out.name = plan.output.name;
    const auto t0 = std::chrono::steady_clock::now();
    if (cnnrt_session_run(s, &in, 1, &out, 1) != CNNRT_OK)
      return error(plan.model_name + ": running on input " + dims_str(dims) + " failed: " + cnnrt_last_error());
    st.inference_ms += ms_since(t0);
    st.runs++;
    const std::string out_shape = dims_str(std::vector<int64_t>(out.dims, out.dims + out.rank));
    if (out.rank < 1 || out.dims[0] != static_cast<int64_t>(batch))
      return error(plan.model_name + ": output '" + plan.output.name + "' has shape " + out_shape +
                   "; expected the batch (" + std::to_string(batch) + ") first");
    // One score per class: [N, classes], possibly with unit dims ([N,
    // classes, 1, 1]). A map of scores per pixel (a segmentation model) is
    // not a classification: its softmax over every value means nothing.
    size_t classes = 1, wide_dims = 0;
    for (size_t k = 1; k < out.rank; ++k) {
      classes *= static_cast<size_t>(out.dims[k]);
      wide_dims += out.dims[k] > 1 ? 1 : 0;
    }
    if (wide_dims > 1)
      return error(plan.model_name + ": output '" + plan.output.name + "' has shape " + out_shape +
                   ": not one score per class (need [N, classes], unit dims allowed); a dense prediction "
                   "such as a segmentation map cannot be classified (cnnrt-run prints any output)");
    if (classes == 0) return error(plan.model_name + ": output '" + plan.output.name + "' has no classes");
    if (!plan.labels.empty() && plan.labels.size() != classes)
      return error((o.labels.empty() ? plan.model_name + ": metadata \"cnnrt.labels\"" : o.labels) + " has " +
                   std::to_string(plan.labels.size()) + " labels but the model outputs " + std::to_string(classes) +
                   " classes");
    const auto* scores = static_cast<const float*>(out.data);
    if (st.softmax < 0) st.softmax = rows_are_probabilities(scores, count, classes) ? 0 : 1;
    for (size_t i = 0; i < count; ++i) {
      std::vector<double> p(scores + i * classes, scores + (i + 1) * classes);
      if (st.softmax == 1) softmax_row(p);
      std::vector<int64_t> order(classes);
      std::iota(order.begin(), order.end(), 0);
      const size_t k = std::min<size_t>(static_cast<size_t>(o.top_k), classes);
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                        [&](int64_t a, int64_t b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
      ImageResult& r = results[first + group[start + i]];
      for (size_t j = 0; j < k; ++j) r.top.emplace_back(order[j], static_cast<float>(p[order[j]]));
    }
  }
  return {};
}

// Decodes and runs the images a chunk at a time, so memory stays bounded
// however many are given; within a chunk, images of equal size share
// batches (sizes differ only for models with a dynamic input size and no
// size given).
Failure classify_all(cnnrt_session* s, const Plan& plan, const Options& o, RunState& st,
                     std::vector<ImageResult>& results) {
  const size_t chunk = std::max<size_t>(static_cast<size_t>(o.max_batch),
                                        plan.fixed_batch > 0 ? static_cast<size_t>(plan.fixed_batch) : 1);
  std::vector<Prepared> prepared;
  for (size_t begin = 0; begin < o.images.size(); begin += chunk) {
    const size_t end = std::min(o.images.size(), begin + chunk);
    const auto t0 = std::chrono::steady_clock::now();
    if (Failure f = prepare_images(o, plan, begin, end, &prepared)) return f;
    st.preprocess_ms += ms_since(t0);
    std::map<std::pair<int, int>, std::vector<size_t>> groups;
    std::vector<std::pair<int, int>> order;
    for (size_t i = 0; i < prepared.size(); ++i) {
      const auto key = std::make_pair(prepared[i].height, prepared[i].width);
      if (!groups.count(key)) order.push_back(key);
      groups[key].push_back(i);
    }
    for (const auto& key : order)
      if (Failure f = run_group(s, plan, o, prepared, groups[key], begin, st, results)) return f;
  }
  return {};
}

std::string label_of(const Plan& plan, int64_t k) {
  return plan.labels.empty() ? "class " + std::to_string(k)
                             : plan.labels[static_cast<size_t>(k)] + " (" + std::to_string(k) + ")";
}

void print_json(const Options& o, const Plan& plan, const RunState& st, const std::vector<ImageResult>& results,
                double load_ms) {
  using json = nlohmann::ordered_json;
  json j;
  j["model"] = plan.model_name;
  j["input"] = {{"name", plan.input.info.name},
                {"shape", std::vector<int64_t>(plan.input.info.dims, plan.input.info.dims + plan.input.info.rank)}};
  j["preprocessing"] = json::parse(plan.input.pre.to_json());
  j["preprocessing_source"] = plan.input.source;
  j["softmax_applied"] = st.softmax == 1;
  j["results"] = json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    json r;
    r["image"] = o.images[i];
    r["top"] = json::array();
    int rank = 1;
    for (const auto& [k, p] : results[i].top) {
      json e;
      e["rank"] = rank++;
      e["index"] = k;
      e["label"] = plan.labels.empty() ? json(nullptr) : json(plan.labels[static_cast<size_t>(k)]);
      e["probability"] = p;
      r["top"].push_back(e);
    }
    j["results"].push_back(r);
  }
  if (o.time)
    j["time_ms"] = {{"load", load_ms}, {"preprocess", st.preprocess_ms}, {"inference", st.inference_ms},
                    {"runs", st.runs}};
  std::printf("%s\n", j.dump(2).c_str());
}

void print_text(const Options& o, const Plan& plan, const RunState& st, const std::vector<ImageResult>& results,
                double load_ms) {
  for (size_t i = 0; i < results.size(); ++i) {
    std::printf("%s\n", o.images[i].c_str());
    int rank = 1;
    for (const auto& [k, p] : results[i].top) std::printf("  %d  %.4f  %s\n", rank++, p, label_of(plan, k).c_str());
  }
  if (o.time)
    std::printf("time: load %.2f ms, preprocessing %.2f ms, inference %.2f ms (%zu image%s in %d run%s)\n", load_ms,
                st.preprocess_ms, st.inference_ms, results.size(), results.size() == 1 ? "" : "s", st.runs,
                st.runs == 1 ? "" : "s");
}

int fail(const Failure& f) {
  std::fprintf(stderr, "cnnrt-classify: error: %s\n", f.message.c_str());
  return f.code;
}

int run(int argc, char** argv) {
  Options o;
  CLI::App app{"cnnrt-classify: classify images with an ONNX model (default: the embedded Fashion-MNIST model).\n"
               "Prints the top-k classes of each image with their probabilities. If the model's output is\n"
               "not already a probability distribution (it does not end in Softmax), softmax is applied\n"
               "and a note says so."};
  app.add_option("images", o.images, "Images (PNG, JPEG, BMP, TGA, GIF, PNM, ...)")->required();
  app.add_option("-m,--model", o.model, "ONNX model file (default: the embedded Fashion-MNIST CNN)");
  app.add_option("-k,--top", o.top_k, "How many classes to print per image")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  add_preprocess_flags(app, o.pre);
  app.add_option("-l,--labels", o.labels, "Class names, one per line (default: the model's cnnrt.labels)");
  app.add_flag("--json", o.json, "Print the results as JSON");
  app.add_flag("--time", o.time, "Print load, preprocessing and inference times");
  app.add_option("--threads", o.threads, "Threads (0: all cores)")->capture_default_str()->check(CLI::Range(0, 1024));
  app.add_option("--max-batch", o.max_batch, "Most images per run when the batch is dynamic")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.set_version_flag("--version", std::string(cnnrt_version()));
  app.footer(preprocess_help());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }

  const auto t_load = std::chrono::steady_clock::now();
  ModelHandle model;
  Plan plan;
  if (Failure f = load_model(o, model, &plan.model_name)) return fail(f);
  if (Failure f = make_plan(o, model.p, &plan)) return fail(f);
  SessionHandle session;
  cnnrt_session_options so;
  cnnrt_session_options_init(&so);
  so.threads = o.threads;
  // With a free batch dimension, the first batch's size is compiled at load
  // (instead of batch 1, which would go unused).
  if (plan.fixed_batch <= 0) so.batch = static_cast<int64_t>(std::min<size_t>(o.images.size(), o.max_batch));
  if (cnnrt_session_create(model.p, &so, &session.p) != CNNRT_OK)
    return fail(error(plan.model_name + ": " + cnnrt_last_error()));
  const double load_ms = ms_since(t_load);

  RunState st;
  std::vector<ImageResult> results(o.images.size());
  if (Failure f = classify_all(session.p, plan, o, st, results)) return fail(f);

  if (st.softmax == 1)
    std::fprintf(stderr,
                 "cnnrt-classify: note: %s does not end in Softmax (output '%s' is not a probability "
                 "distribution); applied softmax\n",
                 plan.model_name.c_str(), plan.output.name);

  if (o.json)
    print_json(o, plan, st, results, load_ms);
  else
    print_text(o, plan, st, results, load_ms);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The library reports its errors as statuses; what can still be thrown
  // here is the tool's own allocation failing (a huge image or batch).
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "cnnrt-classify: error: out of memory\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cnnrt-classify: error: %s\n", e.what());
  }
  return kExitError;
}
