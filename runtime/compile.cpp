#include "runtime/compile.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <unordered_map>

#include "runtime/concat_chains.h"
#include "runtime/conv_layout.h"
#include "runtime/op_registry.h"
#include "runtime/threads.h"

namespace cnnrt {

using dt = dnnl::memory::data_type;

bool to_dnnl_type(DType t, dt* out) {
  switch (t) {
    case DType::f32: *out = dt::f32; return true;
    case DType::i32: *out = dt::s32; return true;
    case DType::i8: *out = dt::s8; return true;
    case DType::u8: *out = dt::u8; return true;
    case DType::bf16: *out = dt::bf16; return true;
    case DType::f16: *out = dt::f16; return true;
    default: return false;
  }
}

Result<dnnl::memory::desc> plain_md(DType t, const Dims& dims) {
  dt type;
  if (!to_dnnl_type(t, &type)) return unsupported("element type ", dtype_name(t), " has no oneDNN memory type");
  if (dims.size() > DNNL_MAX_NDIMS) return unsupported("rank ", dims.size(), " exceeds oneDNN's ", DNNL_MAX_NDIMS);
  dnnl::memory::dims d = dims.empty() ? dnnl::memory::dims{1} : dnnl::memory::dims(dims.begin(), dims.end());
  dnnl::memory::dims strides(d.size());
  int64_t stride = 1;
  for (size_t k = d.size(); k-- > 0;) {
    strides[k] = stride;
    stride *= std::max<int64_t>(d[k], 1);
  }
  return dnnl::memory::desc(d, type, strides);
}

namespace {

// Whether tensor t holds its value in its own element type (not a bf16 copy).
bool has_value_type(const ProgTensor& t) {
  dt type;
  return !t.has_md || (to_dnnl_type(t.dtype, &type) && t.md.data_type() == type);
}

}  // namespace

bool is_plain(const dnnl::memory::desc& md) {
  const dnnl_memory_desc_t& c = md.data;
  if (c.format_kind != dnnl_blocked || c.extra.flags != 0) return false;
  if (c.format_desc.blocking.inner_nblks != 0) return false;
  int64_t stride = 1;
  for (int k = c.ndims; k-- > 0;) {
    if (c.dims[k] > 1 && c.format_desc.blocking.strides[k] != stride) return false;
    stride *= std::max<int64_t>(c.dims[k], 1);
  }
  return c.offset0 == 0;
}

// The compiler's bookkeeping while it lowers one graph.
struct CompileState {
  CompileState(const Graph& graph, const dnnl::engine& eng, WeightCache& w, const CompileOptions& o)
      : g(graph), engine(eng), weights(w), options(o) {}

  const Graph& g;
  const dnnl::engine& engine;
  WeightCache& weights;
  const CompileOptions& options;
  Program prog;
  std::vector<int> value_tensor;    // value id -> tensor holding it in its produced layout
  std::vector<int> value_last_use;  // value id -> last node reading it (INT_MAX: read after the run)
  std::vector<int> root_last_use;   // tensor -> last node reading any value stored in its bytes
  std::vector<bool> sum_addend;     // value id -> some node adds it to its result as a sum post-op
  struct Conversion {
    dnnl::memory::desc from;  // how the value's bytes were read (its layout, or a view of them)
    dnnl::memory::desc to;
    QuantScales quant;  // empty scales: a plain layout conversion
    int tensor;
  };
  std::vector<std::vector<Conversion>> conversions;  // value id -> the value in other layouts
  ConcatChains concat_chains;
  std::vector<int> chain_buffer;  // per chain: its buffer tensor, -1 until its first member makes it
  std::vector<bool> placed_in_chain;  // value id -> its producer wrote it into its chain slot
  // Tensors that hold a float value in 8 bits (LowerContext::output_quantized):
  // tensor id -> the scale the float value was multiplied by.
  std::unordered_map<int, float> held_quantized;
  int current_node = -1;

  int add_tensor(ProgTensor t) {
    prog.tensors.push_back(std::move(t));
    root_last_use.push_back(-1);
    return static_cast<int>(prog.tensors.size()) - 1;
  }

  void note_use(int tensor, int value) {
    const int r = prog.root(tensor);
    if (value >= 0) root_last_use[r] = std::max(root_last_use[r], value_last_use[value]);
  }

  // The tensor holding value v in its produced layout; constants get a
  // tensor on first use.
  Result<int> tensor_of_value(int v) {
    if (value_tensor[v] >= 0) return value_tensor[v];
    const Value& val = g.values[v];
    if (!val.constant) return internal_error("value '", val.name, "' is read before anything produces it");
    ProgTensor t;
    t.name = val.name;
    t.dtype = val.constant->dtype;
    t.dims = val.constant->dims;
    t.storage = ProgTensor::Storage::constant;
    t.const_data = std::shared_ptr<const void>(val.constant, val.constant->data());
    t.bytes = val.constant->bytes;
    t.value = v;
    dt type;
    if (to_dnnl_type(t.dtype, &type) && t.dims.size() <= DNNL_MAX_NDIMS) {
      CNNRT_ASSIGN_OR_RETURN(t.md, plain_md(t.dtype, t.dims));
      t.has_md = true;
    }
    value_tensor[v] = add_tensor(std::move(t));
    return value_tensor[v];
  }

  std::string shapes_of(const Node& n) const {
    std::string in, out;
    for (int v : n.inputs)
      if (v >= 0) in += (in.empty() ? "" : " ") + dims_str(g.values[v].shape);
    for (int v : n.outputs)
      if (v >= 0) out += (out.empty() ? "" : " ") + dims_str(g.values[v].shape);
    return in + " -> " + out;
  }

  // A reorder step; with `quant`, a quantizing one (its values multiplied
  // by the scales, rounded and saturated), shown as "Quantize".
  void add_reorder(const std::string& node_name, int from, int to, const QuantScales* quant = nullptr) {
    Step s;
    s.node_name = node_name;
    s.op_type = quant ? "Quantize" : "Reorder";
    s.is_primitive = true;
    dnnl::primitive_attr attr;
    if (quant) attr.set_output_scales(quant->mask, quant->scales);
    auto pd = dnnl::reorder::primitive_desc(engine, prog.tensors[from].md, engine, prog.tensors[to].md, attr);
    s.primitive = dnnl::reorder(pd);
    s.impl = pd.impl_info_str();
    s.shapes = dims_str(prog.tensors[from].dims);
    s.args = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
    prog.steps.push_back(std::move(s));
  }

  void add_copy(const std::string& node_name, int from, int to) {
    Step s;
    s.node_name = node_name;
    s.op_type = "Copy";
    s.impl = "cnnrt:memcpy";
    s.shapes = dims_str(prog.tensors[from].dims);
    const size_t bytes = prog.tensors[to].bytes;
    s.kernel = [bytes](const KernelIO& io) {
      if (bytes) std::memcpy(io.out[0], io.in[0], bytes);
      return ok_status();
    };
    s.kernel_inputs = {from};
    s.kernel_outputs = {to};
    prog.steps.push_back(std::move(s));
  }
};

// ---------------------------------------------------------------- LowerContext

LowerContext::LowerContext(CompileState& state, int node_index) : s_(state), node_(node_index) {}

const Node& LowerContext::node() const { return s_.g.nodes[node_]; }
DType LowerContext::input_dtype(size_t i) const { return s_.g.values[node().inputs[i]].dtype; }
const Dims& LowerContext::input_dims(size_t i) const { return s_.g.values[node().inputs[i]].shape; }
const TensorData* LowerContext::input_constant(size_t i) const {
  return has_input(i) ? s_.g.values[node().inputs[i]].constant.get() : nullptr;
}
DType LowerContext::output_dtype(size_t i) const { return s_.g.values[node().outputs[i]].dtype; }
const Dims& LowerContext::output_dims(size_t i) const { return s_.g.values[node().outputs[i]].shape; }
const dnnl::engine& LowerContext::engine() const { return s_.engine; }
const CompileOptions& LowerContext::options() const { return s_.options; }
const ProgTensor& LowerContext::tensor(int t) const { return s_.prog.tensors[t]; }

Result<dnnl::memory::desc> LowerContext::input_md_stored(size_t i) const {
  const int v = node().inputs[i];
  const int t = s_.value_tensor[v];
  if (t >= 0 && s_.prog.tensors[t].has_md) return s_.prog.tensors[t].md;
  return plain_md(input_dtype(i), input_dims(i));
}

Result<dnnl::memory::desc> LowerContext::input_md(size_t i) const {
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, input_md_stored(i));
  // A float value a bf16 session holds in bfloat16: the same layout in
  // float32 (strides count elements, so only the type changes). Asking
  // input() for it converts once; ops that take bf16 directly use
  // input_md_stored instead.
  if (input_dtype(i) == DType::f32 && md.data_type() == dnnl::memory::data_type::bf16)
    md.data.data_type = dnnl_f32;
  return md;
}

Result<int> LowerContext::input(size_t i, const dnnl::memory::desc& md) { return value_in(node().inputs[i], md); }

const ValueRange* LowerContext::input_range(size_t i) const {
  const Calibration* c = s_.options.calibration.get();
  if (!c || !has_input(i)) return nullptr;
  auto it = c->ranges.find(s_.g.values[node().inputs[i]].name);
  return it == c->ranges.end() ? nullptr : &it->second;
}

static Status check_quantized(DType value, const dnnl::memory::desc& md, const QuantScales& q) {
  if (value != DType::f32) return internal_error("only float32 values are quantized, not ", dtype_name(value));
  if (md.data_type() != dt::s8 && md.data_type() != dt::u8) return internal_error("quantizing into a non-8-bit type");
  if (q.scales.empty()) return internal_error("quantizing without scales");
  return ok_status();
}

Result<int> LowerContext::input_quantized(size_t i, const dnnl::memory::desc& md, const QuantScales& q) {
  CNNRT_RETURN_IF_ERROR(check_quantized(input_dtype(i), md, q));
  const int v = node().inputs[i];
  CNNRT_ASSIGN_OR_RETURN(int t, s_.tensor_of_value(v));
  const ProgTensor& have = s_.prog.tensors[t];
  auto held = s_.held_quantized.find(t);
  if (held != s_.held_quantized.end()) {
    // Produced in 8 bits already: with these scales and type, at most a
    // layout change; otherwise back to float first, then quantized.
    if (q.mask == 0 && q.scales.size() == 1 && q.scales[0] == held->second &&
        have.md.data_type() == md.data_type())
      return value_in(v, md);
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc f32_md, plain_md(DType::f32, have.dims));
    CNNRT_ASSIGN_OR_RETURN(int f, value_in(v, f32_md));
    return convert(v, f, f32_md, md, &q);
  }
  if (!has_value_type(have)) return internal_error("'", have.name, "' is not held as float32 and cannot be quantized");
  return convert(v, t, have.md, md, &q);
}

Result<int> LowerContext::input_as_quantized(size_t i, const dnnl::memory::desc& view_md,
                                             const dnnl::memory::desc& want, const QuantScales& q) {
  CNNRT_RETURN_IF_ERROR(check_quantized(input_dtype(i), want, q));
  return input_viewed_as(i, view_md, want, &q);
}

Result<int> LowerContext::value_in(int v, const dnnl::memory::desc& md) {
  CNNRT_ASSIGN_OR_RETURN(int t, s_.tensor_of_value(v));
  const ProgTensor& have = s_.prog.tensors[t];
  if (have.has_md && have.md == md) return t;
  if (!have.has_md)
    return unsupported("'", have.name, "' of type ", dtype_name(have.dtype), " cannot be handed to a oneDNN primitive");
  auto held = s_.held_quantized.find(t);
  if (held != s_.held_quantized.end() && md.data_type() != have.md.data_type()) {
    // A float value held in 8 bits, wanted in another type: dequantized.
    const QuantScales back{{1.0f / held->second}, 0};
    return convert(v, t, have.md, md, &back);
  }
  return convert(v, t, have.md, md);
}

const ValueRange* LowerContext::quantizable_output_range(size_t i) const {
  if (s_.options.precision != CompileOptions::Precision::int8 || !has_output(i)) return nullptr;
  const int v = node().outputs[i];
  if (s_.value_last_use[v] == INT_MAX || s_.g.values[v].dtype != DType::f32) return nullptr;
  int readers = 0;
  for (const Node& n : s_.g.nodes) {
    for (size_t k = 0; k < n.inputs.size(); ++k)
      if (n.inputs[k] == v) {
        if (k != 0 || !n.def || !n.def->quantizes_input) return nullptr;
        ++readers;
      }
    for (const PostOp& p : n.post_ops)
      if (p.sum_input == v) return nullptr;
  }
  if (readers == 0) return nullptr;
  const Calibration* c = s_.options.calibration.get();
  if (!c) return nullptr;
  auto it = c->ranges.find(s_.g.values[v].name);
  return it == c->ranges.end() ? nullptr : &it->second;
}

bool LowerContext::output_is_sum_addend(size_t i) const {
  return has_output(i) && s_.sum_addend[node().outputs[i]];
}

Result<int> LowerContext::output_quantized(size_t i, const dnnl::memory::desc& md, float scale) {
  if (!quantizable_output_range(i)) return internal_error("output ", i, " cannot be produced in 8 bits");
  if (md.data_type() != dt::s8 && md.data_type() != dt::u8) return internal_error("output_quantized: not 8-bit");
  CNNRT_ASSIGN_OR_RETURN(int t, output(i, md));
  s_.held_quantized[t] = scale;
  return t;
}

Result<int> LowerContext::output_accumulating(size_t i, const dnnl::memory::desc& md) {
  int addend = -1;
  for (const PostOp& p : post_ops())
    if (p.kind == PostOp::Kind::sum) addend = p.sum_input;
  if (addend < 0) return output(i, md);
  CNNRT_ASSIGN_OR_RETURN(int src, value_in(addend, md));
  const int r = s_.prog.root(src);
  // Written in place only where nothing else reads those bytes: not later
  // (the addend's last use is here), and not by this node itself (Conv(x) +
  // x: the convolution would read x while overwriting it).
  bool read_here = false;
  for (int v : node().inputs) {
    if (v < 0) continue;
    if (s_.value_tensor[v] >= 0 && s_.prog.root(s_.value_tensor[v]) == r) read_here = true;
    for (const auto& c : s_.conversions[v])
      if (s_.prog.root(c.tensor) == r) read_here = true;
  }
  if (s_.prog.tensors[r].storage == ProgTensor::Storage::arena && s_.root_last_use[r] <= node_ && !read_here)
    return output_inplace(i, src, md);
  // The addend is still needed later (or is an input or constant, or read
  // by this node): the output starts as a copy of it.
  CNNRT_ASSIGN_OR_RETURN(int dst, output(i, md));
  s_.add_reorder(node().name, src, dst);
  return dst;
}

Result<int> LowerContext::input_as(size_t i, const dnnl::memory::desc& view_md, const dnnl::memory::desc& want) {
  return input_viewed_as(i, view_md, want, nullptr);
}

Result<int> LowerContext::input_viewed_as(size_t i, const dnnl::memory::desc& view_md, const dnnl::memory::desc& want,
                                          const QuantScales* quant) {
  const int v = node().inputs[i];
  CNNRT_ASSIGN_OR_RETURN(int t, input_plain(i));
  if (view_md.get_size() != s_.prog.tensors[t].bytes)
    return internal_error("input ", i, ": a view of ", s_.prog.tensors[t].bytes, " bytes as ", view_md.get_size());
  return convert(v, t, view_md, want, quant);
}

// Value v, whose bytes are in tensor t and read as `from`, in layout `to`
// (quantized with `quant` when given).
Result<int> LowerContext::convert(int v, int t, const dnnl::memory::desc from, const dnnl::memory::desc to,
                                  const QuantScales* quant) {
  const QuantScales q = quant ? *quant : QuantScales();
  for (const auto& c : s_.conversions[v])
    if (c.from == from && c.to == to && c.quant == q) return c.tensor;
  const ProgTensor have = s_.prog.tensors[t];  // a copy: adding tensors below may move the table
  int src = t;
  if (!(have.md == from)) {
    CNNRT_ASSIGN_OR_RETURN(src, view(t, from));
  }
  if (from == to && !quant) {
    s_.conversions[v].push_back({from, to, q, src});
    return src;
  }
  ProgTensor conv;
  conv.name = have.name + (quant ? "@int8_" : "@layout") + std::to_string(s_.conversions[v].size() + 1);
  conv.dtype = have.dtype;
  conv.dims = have.dims;
  conv.has_md = true;
  conv.md = to;
  conv.bytes = to.get_size();
  conv.value = v;
  if (s_.g.values[v].constant) {
    conv.storage = ProgTensor::Storage::constant;
    CNNRT_ASSIGN_OR_RETURN(conv.const_data, s_.weights.get(s_.g.values[v].constant, from, to, s_.engine, quant));
    const int c = s_.add_tensor(std::move(conv));
    s_.conversions[v].push_back({from, to, q, c});
    return c;
  }
  const int c = s_.add_tensor(std::move(conv));
  s_.conversions[v].push_back({from, to, q, c});
  s_.note_use(c, v);
  s_.add_reorder(node().name, src, c, quant);
  return c;
}

// Bytes from the start of a buffer up to the end of the last element md
// addresses. Unlike get_size(), this counts offset0 and custom strides (for
// which get_size() may return 0).
static size_t md_extent_bytes(const dnnl::memory::desc& md) {
  const dnnl_memory_desc_t& c = md.data;
  if (c.format_kind != dnnl_blocked) return md.get_size();
  const auto& b = c.format_desc.blocking;
  int64_t inner[DNNL_MAX_NDIMS];
  for (int k = 0; k < c.ndims; ++k) inner[k] = 1;
  int64_t inner_span = 1;
  for (int j = 0; j < b.inner_nblks; ++j) {
    inner[b.inner_idxs[j]] *= b.inner_blks[j];
    inner_span *= b.inner_blks[j];
  }
  int64_t last = c.offset0;
  for (int k = 0; k < c.ndims; ++k) {
    if (c.padded_dims[k] == 0) return 0;
    last += (c.padded_dims[k] / inner[k] - 1) * b.strides[k];
  }
  return static_cast<size_t>(last + inner_span) * dnnl::memory::data_type_size(md.data_type());
}

Result<int> LowerContext::view(int t, const dnnl::memory::desc& md, size_t byte_offset) {
  const size_t need = md_extent_bytes(md) + byte_offset;
  if (need > s_.prog.tensors[t].bytes)
    return internal_error("a view of '", s_.prog.tensors[t].name, "' needs ", need, " bytes, it has ",
                          s_.prog.tensors[t].bytes);
  ProgTensor w;
  w.name = s_.prog.tensors[t].name + "@view";
  w.dtype = s_.prog.tensors[t].dtype;
  w.dims = md.dims();
  w.has_md = true;
  w.md = md;
  w.bytes = md.get_size();
  w.storage = ProgTensor::Storage::view;
  w.base = t;
  w.view_offset = byte_offset;
  w.value = s_.prog.tensors[t].value;
  return s_.add_tensor(std::move(w));
}

const ConcatChain* LowerContext::concat_chain() const {
  const int c = s_.concat_chains.chain_of_node[node_];
  return c < 0 ? nullptr : &s_.concat_chains.chains[c];
}

size_t LowerContext::concat_chain_inputs_in_buffer() const { return s_.concat_chains.inputs_in_buffer[node_]; }

Result<int> LowerContext::concat_chain_buffer(const dnnl::memory::desc& md) {
  const int c = s_.concat_chains.chain_of_node[node_];
  if (c < 0) return internal_error("not a member of a concat chain");
  const ConcatChain& chain = s_.concat_chains.chains[c];
  int& buffer = s_.chain_buffer[c];
  if (buffer >= 0) {
    if (!(s_.prog.tensors[buffer].md == md)) return internal_error("a concat chain's members disagree on its layout");
    return buffer;
  }
  if (chain.members.front() != node_) return internal_error("a concat chain's member lowered before its first");
  ProgTensor t;
  t.name = node().name + ":chain";
  t.dtype = DType::f32;
  t.dims = md.dims();
  t.has_md = true;
  t.md = md;
  t.bytes = md.get_size();
  buffer = s_.add_tensor(std::move(t));
  // Later members copy into it while earlier members' values are still
  // read: nothing may run in place over it before the last of those reads.
  for (int m : chain.members)
    for (int v : s_.g.nodes[m].outputs)
      if (v >= 0) s_.root_last_use[buffer] = std::max(s_.root_last_use[buffer], s_.value_last_use[v]);
  return buffer;
}

int LowerContext::constant(TensorPtr data, const dnnl::memory::desc& md) {
  ProgTensor c;
  c.name = node().name + ":constant";
  c.dtype = data->dtype;
  c.dims = data->dims;
  c.has_md = true;
  c.md = md;
  c.bytes = md.get_size();
  c.storage = ProgTensor::Storage::constant;
  c.const_data = std::shared_ptr<const void>(data, data->data());
  return s_.add_tensor(std::move(c));
}

int LowerContext::constant_plain(TensorPtr data) {
  auto md = plain_md(data->dtype, data->dims);
  if (md.ok()) return constant(data, md.value());
  ProgTensor c;
  c.name = node().name + ":constant";
  c.dtype = data->dtype;
  c.dims = data->dims;
  c.bytes = data->bytes;
  c.storage = ProgTensor::Storage::constant;
  c.const_data = std::shared_ptr<const void>(data, data->data());
  return s_.add_tensor(std::move(c));
}

Result<int> LowerContext::input_plain(size_t i) {
  const int v = node().inputs[i];
  CNNRT_ASSIGN_OR_RETURN(int t, s_.tensor_of_value(v));
  if (!s_.prog.tensors[t].has_md) return t;
  if (is_plain(s_.prog.tensors[t].md) && has_value_type(s_.prog.tensors[t])) return t;
  CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(input_dtype(i), input_dims(i)));
  return input(i, md);
}

Result<int> LowerContext::output(size_t i, const dnnl::memory::desc& md) {
  const int v = node().outputs[i];
  const Value& val = s_.g.values[v];
  const dnnl::memory::dims expect = val.shape.empty() ? dnnl::memory::dims{1} : val.shape;
  dt type;
  const bool bf16_ok = s_.options.precision == CompileOptions::Precision::bf16 && val.dtype == DType::f32 &&
                       md.data_type() == dt::bf16;
  // int8: a float value held quantized (output_quantized records the scale).
  const bool int8_ok = s_.options.precision == CompileOptions::Precision::int8 && val.dtype == DType::f32 &&
                       (md.data_type() == dt::u8 || md.data_type() == dt::s8);
  if (md.dims() != expect || !to_dnnl_type(val.dtype, &type) || (md.data_type() != type && !bf16_ok && !int8_ok))
    return internal_error("output ", i, " layout does not match its inferred shape ", dims_str(val.shape), " and type ",
                          dtype_name(val.dtype));
  ProgTensor t;
  t.name = val.name;
  t.dtype = val.dtype;
  t.dims = val.shape;
  t.has_md = true;
  t.md = md;
  t.bytes = md.get_size();
  t.value = v;
  place_in_chain(v, &t);
  const int id = s_.add_tensor(std::move(t));
  s_.value_tensor[v] = id;
  s_.note_use(id, v);
  return id;
}

void LowerContext::place_in_chain(int v, ProgTensor* t) {
  const ChainSlot& slot = s_.concat_chains.slot_of_value[v];
  if (slot.chain < 0 || s_.chain_buffer[slot.chain] < 0) return;
  // The slice in the chain's layout: the producer must want exactly it.
  auto slice = ChannelSlices{s_.concat_chains.chains[slot.chain].blocks_of_16}.layout(t->dims);
  if (!slice.ok() || !(slice.value() == t->md)) return;
  t->storage = ProgTensor::Storage::view;
  t->base = s_.chain_buffer[slot.chain];
  t->view_offset = ChannelSlices::offset(t->dims, slot.channel);
  s_.placed_in_chain[v] = true;
}

bool LowerContext::input_placed_in_chain(size_t i) const {
  if (!has_input(i)) return false;
  const int v = node().inputs[i];
  const int chain = s_.concat_chains.chain_of_node[node_];
  return chain >= 0 && s_.placed_in_chain[v] && s_.concat_chains.slot_of_value[v].chain == chain;
}

Result<int> LowerContext::output_plain(size_t i) {
  const int v = node().outputs[i];
  const Value& val = s_.g.values[v];
  dt type;
  if (to_dnnl_type(val.dtype, &type) && val.shape.size() <= DNNL_MAX_NDIMS) {
    CNNRT_ASSIGN_OR_RETURN(dnnl::memory::desc md, plain_md(val.dtype, val.shape));
    return output(i, md);
  }
  ProgTensor t;
  t.name = val.name;
  t.dtype = val.dtype;
  t.dims = val.shape;
  CNNRT_ASSIGN_OR_RETURN(t.bytes, checked_bytes(val.shape, val.dtype, "output '" + val.name + "'"));
  t.value = v;
  const int id = s_.add_tensor(std::move(t));
  s_.value_tensor[v] = id;
  s_.note_use(id, v);
  return id;
}

Result<int> LowerContext::output_inplace(size_t i, int in_tensor, const dnnl::memory::desc& md) {
  const int r = s_.prog.root(in_tensor);
  const ProgTensor& in = s_.prog.tensors[in_tensor];
  const bool may_share = s_.prog.tensors[r].storage == ProgTensor::Storage::arena &&
                         s_.root_last_use[r] <= node_ && md.get_size() <= in.bytes;
  if (!may_share) return output(i, md);
  CNNRT_ASSIGN_OR_RETURN(int id, output(i, md));
  // Written into its concat chain's buffer instead (place_in_chain): that
  // saves the member's copy, running in place saves nothing more.
  if (s_.placed_in_chain[node().outputs[i]]) return id;
  ProgTensor& t = s_.prog.tensors[id];
  t.storage = ProgTensor::Storage::view;
  t.base = in_tensor;
  t.view_offset = 0;
  s_.note_use(id, t.value);
  return id;
}

Result<int> LowerContext::output_view(size_t i, int in_tensor) {
  const ProgTensor& in = s_.prog.tensors[in_tensor];
  if (in.has_md && !is_plain(in.md)) return internal_error("output_view needs a row-major input");
  const int v = node().outputs[i];
  const Value& val = s_.g.values[v];
  CNNRT_ASSIGN_OR_RETURN(size_t bytes, checked_bytes(val.shape, val.dtype, "output '" + val.name + "'"));
  if (bytes != in.bytes || val.dtype != in.dtype)
    return internal_error("output_view of ", dims_str(in.dims), " as ", dims_str(val.shape), " changes the size");
  ProgTensor t;
  t.name = val.name;
  t.dtype = val.dtype;
  t.dims = val.shape;
  t.bytes = bytes;
  t.value = v;
  t.storage = ProgTensor::Storage::view;
  t.base = in_tensor;
  dt type;
  if (to_dnnl_type(val.dtype, &type) && val.shape.size() <= DNNL_MAX_NDIMS) {
    CNNRT_ASSIGN_OR_RETURN(t.md, plain_md(val.dtype, val.shape));
    t.has_md = true;
  }
  const int id = s_.add_tensor(std::move(t));
  s_.value_tensor[v] = id;
  s_.note_use(id, v);
  return id;
}

Result<int> LowerContext::output_alias(size_t i, int in_tensor) {
  const ProgTensor in = s_.prog.tensors[in_tensor];  // a copy: add_tensor below may move the table
  const int v = node().outputs[i];
  const Value& val = s_.g.values[v];
  if (val.dtype != in.dtype || val.shape != in.dims)
    return internal_error("output_alias of ", dtype_name(in.dtype), " ", dims_str(in.dims), " as ",
                          dtype_name(val.dtype), " ", dims_str(val.shape));
  ProgTensor t;
  t.name = val.name;
  t.dtype = val.dtype;
  t.dims = val.shape;
  t.bytes = in.bytes;
  t.has_md = in.has_md;
  t.md = in.md;
  t.value = v;
  t.storage = ProgTensor::Storage::view;
  t.base = in_tensor;
  const int id = s_.add_tensor(std::move(t));
  s_.value_tensor[v] = id;
  s_.note_use(id, v);
  return id;
}

int LowerContext::scratchpad(const dnnl::memory::desc& md) {
  if (md.get_size() == 0) return -1;
  ProgTensor t;
  t.name = node().name + ":scratchpad";
  t.dtype = DType::u8;
  t.dims = {static_cast<int64_t>(md.get_size())};
  t.has_md = true;
  t.md = md;
  t.bytes = md.get_size();
  return s_.add_tensor(std::move(t));
}

dnnl::primitive_attr LowerContext::make_attr(dnnl::post_ops ops) const {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (!post_ops().empty()) {
    for (const PostOp& p : post_ops()) {
      if (p.kind == PostOp::Kind::sum)
        ops.append_sum(1.0f);
      else
        ops.append_eltwise(p.scale, static_cast<dnnl::algorithm>(p.algorithm), p.alpha, p.beta);
    }
  }
  if (ops.len() > 0) attr.set_post_ops(ops);
  return attr;
}

void LowerContext::add_primitive(const dnnl::primitive& p, const dnnl::primitive_desc_base& pd,
                                 std::vector<std::pair<int, int>> args, double flops) {
  Step s;
  s.node_name = node().name;
  s.op_type = node().op_type;
  s.impl = pd.impl_info_str();
  s.shapes = s_.shapes_of(node());
  s.flops = flops;
  s.is_primitive = true;
  s.primitive = p;
  for (auto& a : args)
    if (a.second >= 0) s.args.push_back(a);
  s_.prog.steps.push_back(std::move(s));
}

void LowerContext::add_kernel(const std::string& impl, Kernel k, std::vector<int> inputs, std::vector<int> outputs,
                              double flops) {
  Step s;
  s.node_name = node().name;
  s.op_type = node().op_type;
  s.impl = "cnnrt:" + impl;
  s.shapes = s_.shapes_of(node());
  s.flops = flops;
  s.kernel = std::move(k);
  s.kernel_inputs = std::move(inputs);
  s.kernel_outputs = std::move(outputs);
  s_.prog.steps.push_back(std::move(s));
}

// ---------------------------------------------------------------- compile_graph

namespace {

Status lower_node(CompileState& st, int n) {
  const Node& node = st.g.nodes[n];
  if (!node.def || !node.def->lower)
    return unsupported(node_context(node), "operator has no implementation");
  st.current_node = n;
  LowerContext ctx(st, n);
  Status s;
  try {
    s = node.def->lower(ctx);
  } catch (const dnnl::error& e) {
    s = unsupported("oneDNN refused it: ", e.what());
  } catch (const std::bad_alloc&) {
    s = out_of_memory("out of memory");
  }
  if (!s.ok()) return s.with_prefix(node_context(node));
  for (size_t i = 0; i < node.outputs.size(); ++i)
    if (node.outputs[i] >= 0 && st.value_tensor[node.outputs[i]] < 0)
      return internal_error(node_context(node), "lowering produced no tensor for output ", i);
  return ok_status();
}

// Nodes touching less than this (inputs, weights and outputs) run on one
// thread: splitting them costs an OpenMP fork and join (a few microseconds
// on an idle machine, far more when its cores are busy) for a few
// microseconds of work. LeNet's layers are all below it; a ResNet or VGG
// layer (weights alone are hundreds of KiB) is far above.
constexpr size_t kSerialNodeBytes = 64 << 10;

bool is_small(const Graph& g, const Node& n) {
  size_t bytes = 0;
  for (const std::vector<int>* list : {&n.inputs, &n.outputs})
    for (int v : *list) {
      if (v < 0) continue;
      size_t b = 0;
      if (!fits_bytes(g.values[v].shape, g.values[v].dtype, &b)) return false;
      bytes += b;
    }
  return bytes < kSerialNodeBytes;
}

// Requested outputs must be row-major and live in the arena (not in the
// caller's input buffer or in the model's constants).
Status materialize_outputs(CompileState& st, const std::vector<int>& outputs) {
  for (int v : outputs) {
    CNNRT_ASSIGN_OR_RETURN(int t, st.tensor_of_value(v));
    const ProgTensor have = st.prog.tensors[t];  // a copy: add_tensor below may move the table
    const bool in_arena = st.prog.tensors[st.prog.root(t)].storage == ProgTensor::Storage::arena;
    const bool plain = !have.has_md || (is_plain(have.md) && has_value_type(have));
    if (in_arena && plain) {
      st.prog.output_tensors.push_back(t);
      continue;
    }
    ProgTensor out;
    out.name = have.name;
    out.dtype = have.dtype;
    out.dims = have.dims;
    out.value = v;
    if (have.has_md) {
      CNNRT_ASSIGN_OR_RETURN(out.md, plain_md(have.dtype, have.dims));
      out.has_md = true;
      out.bytes = out.md.get_size();
    } else {
      out.bytes = have.bytes;
    }
    const int o = st.add_tensor(std::move(out));
    if (have.has_md)
      st.add_reorder("output:" + have.name, t, o);
    else
      st.add_copy("output:" + have.name, t, o);
    st.prog.output_tensors.push_back(o);
  }
  return ok_status();
}

void plan_arena(Program& prog) {
  const int nsteps = static_cast<int>(prog.steps.size());
  std::vector<int> first(prog.tensors.size(), INT_MAX), last(prog.tensors.size(), -1);
  auto touch = [&](int t, int s) {
    const int r = prog.root(t);
    first[r] = std::min(first[r], s);
    last[r] = std::max(last[r], s);
  };
  for (int s = 0; s < nsteps; ++s) {
    const Step& step = prog.steps[s];
    for (auto& a : step.args) touch(a.second, s);
    for (int t : step.kernel_inputs) touch(t, s);
    for (int t : step.kernel_outputs) touch(t, s);
  }
  for (int t : prog.output_tensors) {
    touch(t, nsteps);  // read by the caller after the last step
  }
  std::vector<PlannedBuffer> buffers;
  for (size_t t = 0; t < prog.tensors.size(); ++t) {
    ProgTensor& pt = prog.tensors[t];
    if (pt.storage != ProgTensor::Storage::arena || last[t] < 0) continue;
    pt.buffer = static_cast<int>(buffers.size());
    buffers.push_back({pt.name, pt.bytes, first[t] == INT_MAX ? last[t] : first[t], last[t], 0});
  }
  prog.plan = plan_memory(std::move(buffers));
}

}  // namespace

Result<Program> compile_graph(const Graph& graph, const std::vector<int>& outputs, const dnnl::engine& engine,
                              WeightCache& weights, const CompileOptions& requested) {
  CompileOptions options = requested;
  if (options.conv_layout == CompileOptions::ConvLayout::automatic)
    options.conv_layout = choose_conv_layout(graph, options.precision);
  CompileState st(graph, engine, weights, options);
  const size_t nv = graph.values.size();
  st.value_tensor.assign(nv, -1);
  st.value_last_use.assign(nv, -1);
  st.sum_addend.assign(nv, false);
  st.conversions.assign(nv, {});
  st.concat_chains = find_concat_chains(graph);
  st.chain_buffer.assign(st.concat_chains.chains.size(), -1);
  st.placed_in_chain.assign(nv, false);
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    for (int v : graph.nodes[n].inputs)
      if (v >= 0) st.value_last_use[v] = static_cast<int>(n);
    for (const PostOp& p : graph.nodes[n].post_ops)
      if (p.sum_input >= 0) {
        st.value_last_use[p.sum_input] = static_cast<int>(n);
        st.sum_addend[p.sum_input] = true;
      }
  }
  for (int v : outputs) st.value_last_use[v] = INT_MAX;

  for (size_t i = 0; i < graph.inputs.size(); ++i) {
    const Value& val = graph.values[graph.inputs[i]];
    ProgTensor t;
    t.name = val.name;
    t.dtype = val.dtype;
    t.dims = val.shape;
    t.storage = ProgTensor::Storage::input;
    t.input_index = static_cast<int>(i);
    t.value = graph.inputs[i];
    CNNRT_ASSIGN_OR_RETURN(t.bytes, checked_bytes(val.shape, val.dtype, "input '" + val.name + "'"));
    dt type;
    if (to_dnnl_type(val.dtype, &type) && val.shape.size() <= DNNL_MAX_NDIMS) {
      CNNRT_ASSIGN_OR_RETURN(t.md, plain_md(val.dtype, val.shape));
      t.has_md = true;
    }
    const int id = st.add_tensor(std::move(t));
    st.value_tensor[graph.inputs[i]] = id;
    st.prog.input_tensors.push_back(id);
    st.prog.input_dims.push_back(val.shape);
  }

  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    const size_t first_step = st.prog.steps.size();
    if (is_small(graph, graph.nodes[n])) {
      // Created under one thread, oneDNN kernels partition for one thread
      // and run without an OpenMP region.
      ThreadScope serial(1);
      CNNRT_RETURN_IF_ERROR(lower_node(st, static_cast<int>(n)));
      for (size_t s = first_step; s < st.prog.steps.size(); ++s) st.prog.steps[s].serial = true;
    } else {
      CNNRT_RETURN_IF_ERROR(lower_node(st, static_cast<int>(n)));
    }
  }
  try {
    CNNRT_RETURN_IF_ERROR(materialize_outputs(st, outputs));
  } catch (const dnnl::error& e) {
    return internal_error("converting outputs to row-major layout: ", e.what());
  }
  plan_arena(st.prog);
  // Converted weights are filled only now, all at once and in parallel.
  CNNRT_RETURN_IF_ERROR(weights.flush());
  return std::move(st.prog);
}

}  // namespace cnnrt
