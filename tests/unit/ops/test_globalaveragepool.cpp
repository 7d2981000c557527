// GlobalAveragePool against a naive mean over the spatial dims: 1 to 4
// spatial dims with odd sizes, batch > 1, an input arriving in a blocked
// layout from a Conv, and the error for an input without spatial dims.
// The cases both global pools share are in global_pool_cases.h.
#include <doctest/doctest.h>

#include "global_pool_cases.h"

using namespace cnnrt::test;

namespace {

// The mean of a plane.
double mean(const std::vector<double>& v) {
  double acc = 0;
  for (double x : v) acc += x;
  return acc / static_cast<double>(v.size());
}

const GlobalPoolOp op = {"GlobalAveragePool", "gap", mean};

}  // namespace

TEST_CASE("GlobalAveragePool matches the reference for 1 to 4 spatial dims") { check_global_pool_spatial_ranks(op); }

TEST_CASE("GlobalAveragePool reads a Conv output in the Conv's layout") { check_global_pool_of_conv_output(op); }

TEST_CASE("GlobalAveragePool in a bf16 session over 8-channel blocks avoids the reference kernel") {
  check_global_pool_of_bf16_grouped_conv(op);
}

TEST_CASE("GlobalAveragePool with a dynamic batch runs at several batch sizes") { check_global_pool_dynamic_batch(op); }

TEST_CASE("GlobalAveragePool refuses an input without spatial dims") { check_global_pool_needs_spatial_dims(op); }
