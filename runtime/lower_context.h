// What an op's lowering sees: its node with concrete shapes, and the means
// to turn it into steps — tensors in the layouts its primitives want, outputs
// in the layouts they produce, scratchpads, and the steps themselves.
//
// Layouts travel with tensors: an input arrives in whatever layout its
// producer chose. Asking for another layout inserts one reorder (shared by
// every consumer that wants the same layout); constants are reordered once,
// at compile time, into the model's weight cache.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "runtime/concat_chains.h"
#include "runtime/graph.h"
#include "runtime/program.h"
#include "runtime/quantization.h"

namespace cnnrt {

struct CompileOptions {
  enum class ConvAlgorithm { automatic, direct };
  ConvAlgorithm conv_algorithm = ConvAlgorithm::automatic;
  // bf16: compute-heavy ops (Conv, Gemm with constant B) run in bfloat16 and may hand their
  // float outputs on in bf16 layouts; graph outputs are always float32.
  // int8: ops that can (Conv but depthwise) quantize their float input with
  // the range `calibration` measured for it and compute in 8-bit integers;
  // their outputs stay float32 (runtime/quantization.h).
  enum class Precision { fp32, bf16, int8 };
  Precision precision = Precision::fp32;
  std::shared_ptr<const Calibration> calibration;  // int8: required
  // How FP32 convolutions hold their activations: automatic lets oneDNN
  // choose (channels-last brgconv, mostly); blocked asks for 16-channel
  // blocks (nChw16c) wherever oneDNN has a jit kernel for them. compile_graph
  // resolves automatic per graph (runtime/conv_layout.h).
  enum class ConvLayout { automatic, any, blocked };
  ConvLayout conv_layout = ConvLayout::automatic;
};

struct CompileState;  // the compiler's bookkeeping (compile.cpp)

// oneDNN data type for a dtype; false if oneDNN has none (int64, bool, ...).
bool to_dnnl_type(DType t, dnnl::memory::data_type* out);

// Row-major descriptor; rank 0 becomes [1] (oneDNN has no rank-0 memory).
// Fails for dtypes oneDNN cannot hold and ranks above DNNL_MAX_NDIMS.
Result<dnnl::memory::desc> plain_md(DType t, const Dims& dims);

// True if md is the row-major layout of its own dims.
bool is_plain(const dnnl::memory::desc& md);

class LowerContext {
 public:
  LowerContext(CompileState& state, int node_index);

  // --- The node, with concrete shapes -----------------------------------
  const Node& node() const;
  int opset() const { return node().opset; }
  const Attributes& attrs() const { return node().attrs; }
  size_t num_inputs() const { return node().inputs.size(); }
  bool has_input(size_t i) const { return i < num_inputs() && node().inputs[i] >= 0; }
  DType input_dtype(size_t i) const;
  const Dims& input_dims(size_t i) const;
  const TensorData* input_constant(size_t i) const;
  size_t num_outputs() const { return node().outputs.size(); }
  bool has_output(size_t i) const { return i < num_outputs() && node().outputs[i] >= 0; }
  DType output_dtype(size_t i) const;
  const Dims& output_dims(size_t i) const;
  const std::vector<PostOp>& post_ops() const { return node().post_ops; }
  const dnnl::engine& engine() const;
  const CompileOptions& options() const;

  // --- Tensors ----------------------------------------------------------
  // The layout input i currently has (row-major for graph inputs and
  // constants), in the value's own element type: a float value a bf16
  // session holds in bfloat16 is described as float32 in that layout, so
  // input() converts it. Fails for dtypes oneDNN cannot hold.
  Result<dnnl::memory::desc> input_md(size_t i) const;
  // The layout and element type input i is stored in (bf16 for such a
  // value): for ops whose primitives take and give either type (eltwise,
  // binary, max and global pooling), so bf16 flows on between convolutions
  // without conversions. Their output takes the input's type.
  Result<dnnl::memory::desc> input_md_stored(size_t i) const;
  // Input i in layout md: the tensor itself if it already has it, else a
  // converted copy (a reorder step, or a compile-time reorder for constants).
  Result<int> input(size_t i, const dnnl::memory::desc& md);
  // Input i quantized into md, an 8-bit integer layout: each value times
  // q's scale (per q.mask), rounded and saturated, by a "Quantize" step
  // shared by every consumer asking for the same layout and scales; a
  // constant is quantized once into the model's weight cache.
  Result<int> input_quantized(size_t i, const dnnl::memory::desc& md, const QuantScales& q);
  // The range calibration measured for input i (int8 sessions), or null
  // (not calibrated: the op stays in float).
  const ValueRange* input_range(size_t i) const;
  // Input i in row-major layout and its own element type (a bf16 or int8
  // copy of a float value is converted back from the float value), for
  // plain kernels and views (any dtype).
  Result<int> input_plain(size_t i);
  // int8 sessions: the calibrated range of output i if the value may be
  // produced directly in 8 bits (output_quantized) — every reader takes it
  // as input 0 of an op that quantizes its input, nothing reads it as
  // another input or a sum addend, and it is not a graph or extra output
  // (those are float32). Null otherwise.
  const ValueRange* quantizable_output_range(size_t i) const;
  // Output i produced in md, an 8-bit integer layout, holding the float
  // value times `scale` (activation_quant of its range). Readers asking for
  // the same scale get it as is (or re-laid out); any other reader gets a
  // float copy divided back by the scale.
  Result<int> output_quantized(size_t i, const dnnl::memory::desc& md, float scale);
  // Whether a later node adds output i to its own result as a sum post-op
  // (that node then wants it in its own layout).
  bool output_is_sum_addend(size_t i) const;
  // Output i, produced in layout md. md's element type is the value's, or
  // bf16 for a float value when the session runs in bf16.
  Result<int> output(size_t i, const dnnl::memory::desc& md);
  // Output i in row-major layout (any dtype).
  Result<int> output_plain(size_t i);
  // Output i in layout md, sharing the bytes of tensor `in_tensor` (one of
  // this node's inputs) when nothing reads that input after this node;
  // otherwise a fresh tensor. For ops that may run in place.
  Result<int> output_inplace(size_t i, int in_tensor, const dnnl::memory::desc& md);
  // Output i in layout md for an op whose post-ops include a sum: the
  // tensor already holds the summed input when the op's primitive runs — the
  // summed input's own bytes if nothing reads it later, else a copy made by
  // a step added here. Without a sum post-op, the same as output(i, md).
  Result<int> output_accumulating(size_t i, const dnnl::memory::desc& md);
  // Output i as a row-major view of the (row-major) input tensor: same bytes,
  // output's dims. For Reshape-like ops: no copy, no step.
  Result<int> output_view(size_t i, int in_tensor);
  // Output i as tensor `in_tensor` itself: same bytes and same layout (any
  // layout), no copy, no step. For ops that pass data through unchanged
  // (Identity, Dropout at inference, a Cast to the same type).
  Result<int> output_alias(size_t i, int in_tensor);
  // Input i's row-major bytes reinterpreted as view_md (same size; e.g. a
  // transposed or grouped view of weights), handed over in layout `want`
  // (converted once for constants, by a reorder step otherwise).
  Result<int> input_as(size_t i, const dnnl::memory::desc& view_md, const dnnl::memory::desc& want);
  // The same, quantized with q's scales into want's 8-bit integer type
  // (int8 weights with per-output-channel scales).
  Result<int> input_as_quantized(size_t i, const dnnl::memory::desc& view_md, const dnnl::memory::desc& want,
                                 const QuantScales& q);
  // A view of tensor t's bytes from byte_offset on, described by md (no
  // copy, no step); md must not reach past t's bytes. md may carry an
  // offset too (offset0, as memory::desc::submemory_desc makes), custom or
  // zero strides: a sub-region, a strided slice or a broadcast of t.
  // oneDNN's reorders take a slow generic path for any offset0, so a copy
  // moves its offset into byte_offset (see add_copy).
  Result<int> view(int t, const dnnl::memory::desc& md, size_t byte_offset = 0);
  // Concat chains (runtime/concat_chains.h): the chain this node, a Concat,
  // is a member of, or null; how many of its inputs (its parent's) the
  // chain's buffer holds already; and the buffer itself, in layout md (dims
  // of the whole chain), made by the chain's first member and never written
  // over in place by another node until every member's value is read for the
  // last time. Members copy their other inputs into it and are views of it.
  const ConcatChain* concat_chain() const;
  size_t concat_chain_inputs_in_buffer() const;
  Result<int> concat_chain_buffer(const dnnl::memory::desc& md);
  // Whether input i's producer wrote it straight into its slice of a
  // chain's buffer (output() does that when the producer asks for exactly
  // the slice's layout; see ChainSlot): the member then has nothing to copy.
  bool input_placed_in_chain(size_t i) const;
  // A constant computed during lowering (e.g. a bias pre-scaled by beta).
  int constant(TensorPtr data, const dnnl::memory::desc& md);
  // The same in row-major layout, for any dtype (without a descriptor for
  // types oneDNN cannot hold): fill values, small tables for plain kernels.
  int constant_plain(TensorPtr data);
  // A temporary alive only during this node's steps (a scratchpad, or an
  // intermediate between two of its primitives); -1 if md is empty.
  int scratchpad(const dnnl::memory::desc& md);
  const ProgTensor& tensor(int t) const;

  // Attributes every primitive gets: user scratchpad (so primitives can run
  // on any thread) and this node's fused post-ops, after any post-ops the op
  // itself needs first (e.g. Gemm's bias as a binary add).
  dnnl::primitive_attr make_attr(dnnl::post_ops ops = dnnl::post_ops()) const;

  // --- Steps ------------------------------------------------------------
  void add_primitive(const dnnl::primitive& p, const dnnl::primitive_desc_base& pd,
                     std::vector<std::pair<int, int>> args, double flops = 0);
  void add_kernel(const std::string& impl, Kernel k, std::vector<int> inputs, std::vector<int> outputs,
                  double flops = 0);

 private:
  // By value: callers pass descriptors that live in the tensor table, which
  // this may grow.
  Result<int> convert(int v, int t, dnnl::memory::desc from, dnnl::memory::desc to,
                      const QuantScales* quant = nullptr);
  // input_as and input_as_quantized: input i's row-major bytes read as
  // view_md (which must cover them exactly), converted to `want`.
  Result<int> input_viewed_as(size_t i, const dnnl::memory::desc& view_md, const dnnl::memory::desc& want,
                              const QuantScales* quant);
  // Value v (any value, not only an input of this node) in layout md.
  Result<int> value_in(int v, const dnnl::memory::desc& md);
  // Makes *t (a new tensor for value v) a view of v's slot in its concat
  // chain's buffer when the buffer exists and t's layout is the slot's.
  void place_in_chain(int v, ProgTensor* t);
  CompileState& s_;
  int node_;
};

}  // namespace cnnrt
