// One model, many threads: each thread's session must give exactly what a
// single-threaded run gives on the same input, while other sessions (and
// models) are created and destroyed around it; and a run must take no lock
// (oneDNN locks inside its gemm for large fully connected layers over one or
// two rows, see ops/gemm.cpp; the tiny CNN's is small),
// so sessions of one model never wait for each other.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "cnnrt.h"
#include "lock_counter.h"
#include "support/run_model.h"
#include "support/tiny_cnn.h"

using namespace cnnrt::test;

namespace {

constexpr int kThreads = 8;
constexpr int kRunsPerThread = 200;

struct Model {
  cnnrt_model* m = nullptr;
  explicit Model(const std::string& bytes) { REQUIRE(cnnrt_model_load_memory(bytes.data(), bytes.size(), &m) == CNNRT_OK); }
  ~Model() { cnnrt_model_destroy(&m); }
};

// A session with one OpenMP thread per run (so 8 application threads are 8
// busy cores at most) and a helper to run one image.
struct Session {
  cnnrt_session* s = nullptr;
  explicit Session(const cnnrt_model* m, int threads = 1) {
    cnnrt_session_options o;
    cnnrt_session_options_init(&o);
    o.threads = threads;
    if (cnnrt_session_create(m, &o, &s) != CNNRT_OK) s = nullptr;
  }
  ~Session() { cnnrt_session_destroy(&s); }
  // Runs `image`, copying the result into `out`; false on any failure.
  bool run(const std::vector<float>& image, std::vector<float>* out) {
    static const int64_t dims[4] = {1, TinyCnn::kChannels, TinyCnn::kSize, TinyCnn::kSize};
    cnnrt_tensor in = {"image", CNNRT_FLOAT32, 4, dims, const_cast<float*>(image.data()), image.size() * sizeof(float)};
    out->assign(TinyCnn::kClasses, 0.0f);
    cnnrt_tensor o = {nullptr, CNNRT_UNDEFINED, 0, nullptr, out->data(), out->size() * sizeof(float)};
    return s && cnnrt_session_run(s, &in, 1, &o, 1) == CNNRT_OK;
  }
};

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Distinct inputs and their single-threaded reference outputs.
struct Workload {
  std::vector<std::vector<float>> inputs, expected;
  Workload(const cnnrt_model* m, int n) {
    Session ref(m);
    REQUIRE(ref.s != nullptr);
    for (int i = 0; i < n; ++i) {
      inputs.push_back(random_floats(TinyCnn::image_elements(), 1000 + i, -2.0f, 2.0f));
      expected.emplace_back();
      REQUIRE(ref.run(inputs.back(), &expected.back()));
    }
    // The inputs really differ: a test of "same output" on equal outputs proves little.
    CHECK(!same_bits(expected[0], expected[1]));
  }
};

}  // namespace

TEST_CASE("concurrency: 8 threads x 200 runs, each bit-identical to a single-threaded run") {
  Model model(TinyCnn::bytes());
  Workload work(model.m, kThreads * kRunsPerThread);
  std::atomic<int> mismatches{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Session s(model.m);
      std::vector<float> out;
      for (int r = 0; r < kRunsPerThread; ++r) {
        // Interleave: thread t takes inputs t, t+8, t+16, ... so neighbours differ.
        const int i = r * kThreads + t;
        if (!s.run(work.inputs[i], &out)) {
          ++failures;
          continue;
        }
        if (!same_bits(out, work.expected[i])) ++mismatches;
      }
    });
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(mismatches == 0);
}

TEST_CASE("concurrency: sessions and models created and destroyed while others run") {
  const std::string bytes = TinyCnn::bytes();
  Model model(bytes);
  Workload work(model.m, 64);
  std::atomic<bool> stop{false};
  std::atomic<int> mismatches{0}, failures{0}, churned{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)  // steady runners
    threads.emplace_back([&, t] {
      Session s(model.m);
      std::vector<float> out;
      for (int r = 0; r < 150; ++r) {
        const size_t i = static_cast<size_t>(r * 4 + t) % work.inputs.size();
        if (!s.run(work.inputs[i], &out)) ++failures;
        else if (!same_bits(out, work.expected[i])) ++mismatches;
      }
    });
  for (int t = 0; t < 2; ++t)  // churn: short-lived sessions of the shared model
    threads.emplace_back([&, t] {
      std::vector<float> out;
      for (int r = 0; !stop && r < 40; ++r) {
        Session s(model.m);
        const size_t i = static_cast<size_t>(r + t) % work.inputs.size();
        if (!s.run(work.inputs[i], &out)) ++failures;
        else if (!same_bits(out, work.expected[i])) ++mismatches;
        ++churned;
      }
    });
  threads.emplace_back([&] {  // churn: whole models, destroyed before their sessions
    std::vector<float> out;
    for (int r = 0; r < 10; ++r) {
      cnnrt_model* m = nullptr;
      if (cnnrt_model_load_memory(bytes.data(), bytes.size(), &m) != CNNRT_OK) {
        ++failures;
        continue;
      }
      Session s(m);
      cnnrt_model_destroy(&m);
      if (!s.run(work.inputs[static_cast<size_t>(r)], &out)) ++failures;
      else if (!same_bits(out, work.expected[static_cast<size_t>(r)])) ++mismatches;
      ++churned;
    }
  });
  for (auto& th : threads) th.join();
  stop = true;
  CHECK(failures == 0);
  CHECK(mismatches == 0);
  CHECK(churned == 2 * 40 + 10);
}

TEST_CASE("concurrency: a run takes no lock, so two sessions of one model never wait for each other") {
  REQUIRE(lock_counting_works());
  Model model(TinyCnn::bytes());
  const std::vector<float> image = random_floats(TinyCnn::image_elements(), 77);
  std::atomic<int> ready{0};
  std::atomic<uint64_t> locks{0};
  std::atomic<int> failures{0};
  auto worker = [&] {
    Session s(model.m);
    std::vector<float> out;
    if (!s.run(image, &out)) ++failures;  // warm-up: the first run may still set things up
    ++ready;
    while (ready < 2) std::this_thread::yield();  // both sessions run at the same time
    for (int r = 0; r < 100; ++r) {
      start_counting_locks();
      const bool ok = s.run(image, &out);
      locks += stop_counting_locks();
      if (!ok) ++failures;
    }
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  CHECK(failures == 0);
  CHECK(locks == 0);
}

TEST_CASE("concurrency: the last error is per thread") {
  Model model(TinyCnn::bytes());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int r = 0; r < 200; ++r) {
        cnnrt_model_input_info(model.m, static_cast<size_t>(100 + t), nullptr);  // fails with this thread's message
        const std::string expect = "cnnrt_model_input_info: info is NULL";
        if (expect != cnnrt_last_error()) ++wrong;
        cnnrt_tensor_info info;
        cnnrt_model_input_info(model.m, static_cast<size_t>(100 + t), &info);
        const std::string expect2 = "cnnrt_model_input_info: index " + std::to_string(100 + t) + " is out of range (count 1)";
        if (expect2 != cnnrt_last_error()) ++wrong;
      }
    });
  for (auto& th : threads) th.join();
  CHECK(wrong == 0);
}
