// Calibration for int8 sessions: the model runs in FP32 on sample inputs,
// and the range of every value an int8-capable op would quantize (input 0
// of each node whose OpDef sets quantizes_input) is recorded over all of
// them (runtime/quantization.h says how the ranges become scales).
#pragma once

#include <memory>
#include <vector>

#include "runtime/model.h"
#include "runtime/quantization.h"
#include "runtime/session.h"

namespace cnnrt {

// Runs `samples` (each one binding per graph input, any shapes the model
// accepts) through a throwaway FP32 session of `threads` threads (direct
// convolution, its own weight cache: nothing stays behind in the model)
// that keeps every value to calibrate as an extra output. A sample that
// fails to run fails calibration, naming the sample.
Result<std::shared_ptr<const Calibration>> calibrate(const std::shared_ptr<const Model>& model, int threads,
                                                     const std::vector<std::vector<InputBinding>>& samples);

}  // namespace cnnrt
