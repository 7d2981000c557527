// IEEE half (float16) and bfloat16 conversions for plain kernels (Cast
// from or to double, constants of those types). Rounding is to nearest,
// ties to even, straight from double: no double rounding through float.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace cnnrt {

namespace half_detail {

// Rounds |a| (finite, non-zero) to a binary format with `mant` stored
// mantissa bits and normal exponents in [emin, emax]; returns the bits
// without the sign, or the infinity pattern on overflow.
inline uint32_t round_magnitude(double a, int mant, int emin, int emax) {
  const uint32_t inf = static_cast<uint32_t>(emax - emin + 2) << mant;
  if (a < std::ldexp(1.0, emin)) {
    // Subnormal: a multiple of the smallest subnormal 2^(emin - mant). A
    // result of 2^mant is the smallest normal, whose bits are the same.
    return static_cast<uint32_t>(std::nearbyint(std::ldexp(a, mant - emin)));
  }
  int e = 0;
  const double m = std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  int exp = e - 1;
  double q = std::nearbyint(std::ldexp(m, mant + 1));  // in [2^mant, 2^(mant+1)]
  if (q >= std::ldexp(1.0, mant + 1)) {
    q = std::ldexp(1.0, mant);
    ++exp;
  }
  if (exp > emax) return inf;
  return (static_cast<uint32_t>(exp - emin + 1) << mant) | (static_cast<uint32_t>(q) - (1u << mant));
}

template <int Mant, int Emin, int Emax, int SignShift>
inline uint16_t from_double(double d) {
  const uint16_t sign = std::signbit(d) ? static_cast<uint16_t>(1u << SignShift) : 0;
  constexpr uint32_t inf = static_cast<uint32_t>(Emax - Emin + 2) << Mant;
  if (std::isnan(d)) return static_cast<uint16_t>(sign | inf | (1u << (Mant - 1)));
  const double a = std::fabs(d);
  if (a == 0) return sign;
  if (std::isinf(a)) return static_cast<uint16_t>(sign | inf);
  return static_cast<uint16_t>(sign | round_magnitude(a, Mant, Emin, Emax));
}

}  // namespace half_detail

inline uint16_t f16_from_double(double d) { return half_detail::from_double<10, -14, 15, 15>(d); }
inline uint16_t bf16_from_double(double d) { return half_detail::from_double<7, -126, 127, 15>(d); }

inline float f16_to_float(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ffu;
  float out;
  if (exp == 0) {
    out = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -out : out;
  }
  uint32_t bits;
  if (exp == 31)
    bits = sign | 0x7f800000u | (mant << 13);
  else
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  std::memcpy(&out, &bits, 4);
  return out;
}

inline float bf16_to_float(uint16_t h) {
  const uint32_t bits = static_cast<uint32_t>(h) << 16;
  float out;
  std::memcpy(&out, &bits, 4);
  return out;
}

}  // namespace cnnrt
