// ArgMax against a naive reference: the shared cases in arg_cases.h.
#include "arg_cases.h"

using namespace cnnrt::test;

TEST_CASE("ArgMax matches the reference") { run_arg_cases("ArgMax"); }
