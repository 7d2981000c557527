// Test support: checks a compiled Program's memory plan from the outside.
//
// The planner's own plan_has_conflict() compares the lifetimes the compiler
// handed it. This check re-derives them from the steps themselves, so it also
// catches a wrong lifetime, a view or in-place output that overwrites data
// still to be read, or a buffer placed past the arena's end.
#pragma once

#include <string>
#include <vector>

#include "runtime/program.h"

namespace cnnrt::test {

// Every problem found (empty: the plan is sound). Each message names the
// tensors, their byte ranges in the arena and the steps involved.
//
// A "content" is what one step writes (or, for a view that no step writes,
// the content of the tensor it views). A content lives from the first step
// that touches it to the last one that reads it (the caller reads outputs
// after the last step). Two contents whose arena bytes overlap must not be
// alive at the same step, except that a step may write its output over the
// bytes of an input it reads for the last time, from the same first byte
// (in place).
std::vector<std::string> plan_problems(const Program& prog);

}  // namespace cnnrt::test
