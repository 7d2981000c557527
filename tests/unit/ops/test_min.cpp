// Min against a naive reference: one to four inputs, numpy broadcasting
// from opset 8 (equal shapes before, opsets 1 and 6), integer types (exact), and the errors
// a bad Min gives.
// The cases all four variadic ops share are in variadic_cases.h.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>

#include "variadic_cases.h"

using namespace cnnrt::test;

namespace {

// The reference: the smallest value over the inputs at each output element.
double fold(const std::vector<double>& v) {
  double acc = v[0];
  for (size_t k = 1; k < v.size(); ++k) acc = std::min(acc, v[k]);
  return acc;
}

const VariadicOp op = {"Min", fold, /*integers=*/true};

}  // namespace

TEST_CASE("Min of equally shaped inputs, every opset") { check_variadic_equal_shapes(op); }

TEST_CASE("Min broadcasts like numpy from opset 8") { check_variadic_broadcasts(op); }

TEST_CASE("Min of Conv outputs in their own layout") { check_variadic_of_conv_outputs(op); }

TEST_CASE("Min on integer types is exact") {
  const std::vector<HostTensor> in = {
      HostTensor::typed("a", CNNRT_INT32, {2, 2}, std::vector<int32_t>{16777217, -3, 7, std::numeric_limits<int32_t>::min()}),
      HostTensor::typed("b", CNNRT_INT32, {2}, std::vector<int32_t>{16777216, -2}),
      HostTensor::typed("c", CNNRT_INT32, {}, std::vector<int32_t>{5})};
  const RunResult r = run_model(one_node_model("Min", 13, in), in);
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].as<int32_t>() == std::vector<int32_t>{5, -3, 5, std::numeric_limits<int32_t>::min()});
  const std::vector<HostTensor> u = {HostTensor::typed("a", static_cast<cnnrt_dtype>(13) /* uint64 */, {2}, std::vector<uint64_t>{~0ull, 3}),
                                     HostTensor::typed("b", static_cast<cnnrt_dtype>(13) /* uint64 */, {2}, std::vector<uint64_t>{1, 4})};
  const RunResult ru = run_model(one_node_model("Min", 13, u), u);
  REQUIRE_MESSAGE(ru.status == CNNRT_OK, ru.error);
  CHECK(ru.outputs[0].as<uint64_t>() == std::vector<uint64_t>{1, 3});
}

TEST_CASE("Min errors") { run_variadic_errors(op); }
