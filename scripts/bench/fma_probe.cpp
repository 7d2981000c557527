// FP32 FMA throughput probe: the machine's practical compute peak, measured
// in the same run as the benchmarks it is compared with. Each thread runs
// independent chains of fused multiply-adds on the widest vectors the
// compiler targets (-march=native) and reports GFLOP/s (2 FLOP per lane).
//   fma_probe [threads] [seconds]
#include <immintrin.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

#if defined(__AVX512F__)
using vec = __m512;
constexpr int kLanes = 16;
inline vec fma(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }
inline vec splat(float x) { return _mm512_set1_ps(x); }
inline float sum(vec v) { return _mm512_reduce_add_ps(v); }
#else
using vec = __m256;
constexpr int kLanes = 8;
inline vec fma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
inline vec splat(float x) { return _mm256_set1_ps(x); }
inline float sum(vec v) {
  alignas(32) float f[8];
  _mm256_store_ps(f, v);
  return f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
}
#endif

// 12 independent accumulators in registers hide the FMA latency (4 cycles,
// 2 pipes); written out so no compiler keeps them in memory.
double run(long iterations, float* sink) {
  vec a0 = splat(1.00f), a1 = splat(1.01f), a2 = splat(1.02f), a3 = splat(1.03f), a4 = splat(1.04f),
      a5 = splat(1.05f), a6 = splat(1.06f), a7 = splat(1.07f), a8 = splat(1.08f), a9 = splat(1.09f),
      a10 = splat(1.10f), a11 = splat(1.11f);
  const vec m = splat(0.999999f), c = splat(1e-7f);
  const auto t0 = std::chrono::steady_clock::now();
  for (long n = 0; n < iterations; ++n) {
    a0 = fma(a0, m, c);
    a1 = fma(a1, m, c);
    a2 = fma(a2, m, c);
    a3 = fma(a3, m, c);
    a4 = fma(a4, m, c);
    a5 = fma(a5, m, c);
    a6 = fma(a6, m, c);
    a7 = fma(a7, m, c);
    a8 = fma(a8, m, c);
    a9 = fma(a9, m, c);
    a10 = fma(a10, m, c);
    a11 = fma(a11, m, c);
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  *sink = sum(a0) + sum(a1) + sum(a2) + sum(a3) + sum(a4) + sum(a5) + sum(a6) + sum(a7) + sum(a8) + sum(a9) +
          sum(a10) + sum(a11);
  return static_cast<double>(iterations) * 12 * kLanes * 2 / s / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  const double seconds = argc > 2 ? std::atof(argv[2]) : 1.0;
  float sink = 0;
  // Calibrate the iteration count on one thread.
  long iters = 1 << 20;
  for (;;) {
    const auto t0 = std::chrono::steady_clock::now();
    run(iters, &sink);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s > 0.05) {
      iters = static_cast<long>(static_cast<double>(iters) * seconds / s);
      break;
    }
    iters *= 4;
  }
  std::vector<double> rates(threads);
  std::vector<float> sinks(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back([&, t] { rates[t] = run(iters, &sinks[t]); });
  for (auto& th : pool) th.join();
  double total = 0;
  for (double r : rates) total += r;
  std::printf("{\"threads\": %d, \"gflops\": %.1f, \"vector_bits\": %d, \"sink\": %g}\n", threads, total,
              kLanes * 32, static_cast<double>(sink + sinks[0]));
  return 0;
}
