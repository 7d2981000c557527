// GlobalMaxPool against a naive maximum over the spatial dims: 1 to 4
// spatial dims with odd sizes, batch > 1, an input arriving in a blocked
// layout from a Conv, and the error for an input without spatial dims.
// The cases both global pools share are in global_pool_cases.h.
#include <doctest/doctest.h>

#include <algorithm>

#include "global_pool_cases.h"

using namespace cnnrt::test;

namespace {

// The maximum of a plane.
double maximum(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }

const GlobalPoolOp op = {"GlobalMaxPool", "gmp", maximum};

}  // namespace

TEST_CASE("GlobalMaxPool matches the reference for 1 to 4 spatial dims") { check_global_pool_spatial_ranks(op); }

TEST_CASE("GlobalMaxPool reads a Conv output in the Conv's layout") { check_global_pool_of_conv_output(op); }

TEST_CASE("GlobalMaxPool in a bf16 session over 8-channel blocks avoids the reference kernel") {
  check_global_pool_of_bf16_grouped_conv(op);
}

TEST_CASE("GlobalMaxPool with a dynamic batch runs at several batch sizes") { check_global_pool_dynamic_batch(op); }

TEST_CASE("GlobalMaxPool refuses an input without spatial dims") { check_global_pool_needs_spatial_dims(op); }
