// ONNX ModelProto -> Graph. Validates everything the runtime will rely on
// (names, types, shapes, opsets, topological order) without onnx::checker,
// which rejects valid models from newer exporters; every message names the
// file and, where there is one, the node.
#include "loaders/onnx_loader.h"

#include <fcntl.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <onnx/onnx_pb.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <queue>
#include <set>

#include "loaders/onnx_stream_parse.h"
#include "loaders/onnx_tensor.h"
#include "loaders/regular_file.h"
#include "runtime/op_registry.h"

namespace cnnrt {
namespace {

// Files larger than protobuf can parse (2 GiB) must use external data.
constexpr size_t kMaxModelBytes = static_cast<size_t>(INT_MAX);

struct LoadState {
  Graph g;
  ExternalDataRoot root;
  std::map<std::string, int64_t> opsets;  // domain ("" for ai.onnx) -> version
  // Per initializer: its raw_data when the file parse read it out of the
  // message (loaders/onnx_stream_parse.h); empty otherwise.
  std::vector<RawBytes> large_raw;
};

std::string normalize_domain(const std::string& d) { return d == "ai.onnx" ? std::string() : d; }

Status decode_attribute(const onnx::AttributeProto& a, const ExternalDataRoot& root, Attribute* out) {
  using A = onnx::AttributeProto;
  A::AttributeType type = a.type();
  // Models from old exporters may leave `type` unset; infer it from the field present.
  if (type == A::UNDEFINED) {
    if (a.has_f()) type = A::FLOAT;
    else if (a.has_i()) type = A::INT;
    else if (a.has_s()) type = A::STRING;
    else if (a.has_t()) type = A::TENSOR;
    else if (a.has_g()) type = A::GRAPH;
    else if (a.floats_size()) type = A::FLOATS;
    else if (a.ints_size()) type = A::INTS;
    else if (a.strings_size()) type = A::STRINGS;
  }
  switch (type) {
    case A::FLOAT: out->kind = Attribute::Kind::f; out->f = a.f(); break;
    case A::INT: out->kind = Attribute::Kind::i; out->i = a.i(); break;
    case A::STRING: out->kind = Attribute::Kind::s; out->s = a.s(); break;
    case A::FLOATS:
      out->kind = Attribute::Kind::floats;
      out->floats.assign(a.floats().begin(), a.floats().end());
      break;
    case A::INTS:
      out->kind = Attribute::Kind::ints;
      out->ints.assign(a.ints().begin(), a.ints().end());
      break;
    case A::STRINGS:
      out->kind = Attribute::Kind::strings;
      out->strings.assign(a.strings().begin(), a.strings().end());
      break;
    case A::TENSOR: {
      out->kind = Attribute::Kind::t;
      auto t = decode_tensor(a.t(), root);
      if (!t.ok()) return t.status().with_prefix(cat("attribute '", a.name(), "': "));
      out->t = t.value();
      break;
    }
    case A::GRAPH:
    case A::GRAPHS: out->kind = Attribute::Kind::graph; break;
    default: out->kind = Attribute::Kind::other; break;
  }
  return ok_status();
}

// Declared type of a graph input: element type and dims (-1 where symbolic
// or absent, with the symbol kept).
Status decode_value_info(const onnx::ValueInfoProto& vi, Value* v) {
  if (!vi.type().has_tensor_type())
    return unsupported("graph input '", vi.name(), "' is not a tensor (sequences and maps are not supported)");
  const auto& tt = vi.type().tensor_type();
  if (!dtype_is_known(tt.elem_type()))
    return unsupported("graph input '", vi.name(), "' has unsupported element type ",
                       dtype_name(static_cast<DType>(tt.elem_type())));
  v->dtype = static_cast<DType>(tt.elem_type());
  if (!tt.has_shape())
    return unsupported("graph input '", vi.name(), "' declares no shape; its rank must be known");
  v->has_shape = true;
  for (const auto& d : tt.shape().dim()) {
    if (d.has_dim_value()) {
      if (d.dim_value() < 0)
        return invalid_model("graph input '", vi.name(), "' has negative dimension ", d.dim_value());
      v->shape.push_back(d.dim_value());
      v->dim_params.emplace_back();
    } else {
      v->shape.push_back(kUnknownDim);
      v->dim_params.push_back(d.has_dim_param() ? d.dim_param() : std::string());
    }
  }
  bool all_known = true;
  for (int64_t d : v->shape) all_known = all_known && d >= 0;
  if (all_known) {
    auto bytes = checked_bytes(v->shape, v->dtype, cat("graph input '", vi.name(), "'"));
    if (!bytes.ok()) return bytes.status();
  }
  return ok_status();
}

Status read_opsets(const onnx::ModelProto& m, LoadState& st) {
  for (const auto& o : m.opset_import()) {
    const std::string domain = normalize_domain(o.domain());
    if (o.version() < 1) return invalid_model("opset_import for domain ", domain_display(domain), " has version ", o.version());
    st.opsets[domain] = o.version();
  }
  // IR version 1 and 2 models have no opset_import and mean opset 1.
  if (m.opset_import_size() == 0 && m.ir_version() < 3) st.opsets[""] = 1;
  auto it = st.opsets.find("");
  if (it != st.opsets.end() && it->second > kNewestOpset)
    return unsupported("the model needs ai.onnx opset ", it->second, ", newer than the newest this build knows (",
                       kNewestOpset, ")");
  return ok_status();
}

Status read_initializers(onnx::GraphProto& gp, LoadState& st) {
  for (int i = 0; i < gp.initializer_size(); ++i) {
    onnx::TensorProto& init = *gp.mutable_initializer(i);
    if (init.name().empty()) return invalid_model("an initializer has no name");
    if (st.g.find_value(init.name()) >= 0) return invalid_model("initializer '", init.name(), "' is defined twice");
    const bool read_out = static_cast<size_t>(i) < st.large_raw.size() && st.large_raw[i].data;
    auto t = read_out ? decode_tensor_with_raw(init, std::move(st.large_raw[i]), st.root)
                      : decode_tensor_taking(init, st.root);
    if (!t.ok()) return t.status().with_prefix("initializer: ");
    Value v;
    v.name = init.name();
    v.dtype = t.value()->dtype;
    v.shape = t.value()->dims;
    v.has_shape = true;
    v.constant = t.value();
    st.g.add_value(std::move(v));
  }
  if (gp.sparse_initializer_size() > 0) return unsupported("sparse initializers are not supported");
  return ok_status();
}

Status read_inputs(const onnx::GraphProto& gp, LoadState& st) {
  std::set<std::string> seen;
  for (const auto& in : gp.input()) {
    if (!seen.insert(in.name()).second) return invalid_model("graph input '", in.name(), "' is listed twice");
    // IR version 3 lists initializers as inputs too: those are constants.
    if (st.g.find_value(in.name()) >= 0) continue;
    if (in.name().empty()) return invalid_model("a graph input has no name");
    Value v;
    v.name = in.name();
    CNNRT_RETURN_IF_ERROR(decode_value_info(in, &v));
    st.g.inputs.push_back(st.g.add_value(std::move(v)));
  }
  return ok_status();
}

Status read_nodes(const onnx::GraphProto& gp, LoadState& st) {
  const OpRegistry& registry = op_registry();
  // First pass: create every node's outputs so inputs can refer to any of
  // them (the nodes may not be in topological order).
  std::vector<Node> nodes(gp.node_size());
  for (int i = 0; i < gp.node_size(); ++i) {
    const auto& np = gp.node(i);
    Node& n = nodes[i];
    n.op_type = np.op_type();
    n.domain = normalize_domain(np.domain());
    n.name = np.name().empty() ? cat(np.op_type(), "#", i) : np.name();
    auto op = st.opsets.find(n.domain);
    if (op == st.opsets.end())
      return invalid_model("node '", n.name, "' (", n.op_type, ") uses domain ", domain_display(n.domain),
                           ", which the model does not import");
    n.opset = static_cast<int>(std::min<int64_t>(op->second, INT_MAX));
    for (const auto& out : np.output()) {
      if (out.empty()) {
        n.outputs.push_back(-1);
        continue;
      }
      if (st.g.find_value(out) >= 0)
        return invalid_model("node '", n.name, "' (", n.op_type, ") output '", out,
                             "' has the same name as another value (outputs must be unique)");
      Value v;
      v.name = out;
      n.outputs.push_back(st.g.add_value(std::move(v)));
    }
  }
  for (int i = 0; i < gp.node_size(); ++i) {
    const auto& np = gp.node(i);
    Node& n = nodes[i];
    for (int k = 0; k < np.input_size(); ++k) {
      const std::string& in = np.input(k);
      if (in.empty()) {
        n.inputs.push_back(-1);
        continue;
      }
      const int v = st.g.find_value(in);
      if (v < 0)
        return invalid_model("node '", n.name, "' (", n.op_type, ") input ", k, " '", in,
                             "' is not produced by any node, initializer or graph input");
      n.inputs.push_back(v);
    }
    for (const auto& a : np.attribute()) {
      Attribute attr;
      Status s = decode_attribute(a, st.root, &attr);
      if (!s.ok()) return s.with_prefix(node_context(n));
      n.attrs.set(a.name(), std::move(attr));
    }
    n.def = registry.find(n.domain, n.op_type, n.opset);
    if (!n.def) {
      if (registry.knows(n.domain, n.op_type))
        return unsupported("operator '", n.op_type, "' version for opset ", n.opset, " (domain ",
                           domain_display(n.domain), ") is not supported at node '", n.name,
                           "'; supported opsets: ", registry.versions(n.domain, n.op_type));
      return unsupported("unsupported operator '", n.op_type, "' (domain ", domain_display(n.domain), ", opset ",
                         n.opset, ") at node '", n.name, "'");
    }
  }
  // Topological order (Kahn), stable with respect to file order.
  std::vector<int> producer(st.g.values.size(), -1);
  for (size_t i = 0; i < nodes.size(); ++i)
    for (int v : nodes[i].outputs)
      if (v >= 0) producer[v] = static_cast<int>(i);
  std::vector<int> pending(nodes.size(), 0);
  std::vector<std::vector<int>> users(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    for (int v : nodes[i].inputs)
      if (v >= 0 && producer[v] >= 0) {
        ++pending[i];
        users[producer[v]].push_back(static_cast<int>(i));
      }
  // A min-heap of ready nodes keeps file order wherever the graph allows.
  std::vector<int> order;
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (pending[i] == 0) ready.push(static_cast<int>(i));
  while (!ready.empty()) {
    const int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int u : users[i])
      if (--pending[u] == 0) ready.push(u);
  }
  if (order.size() != nodes.size()) {
    for (size_t i = 0; i < nodes.size(); ++i)
      if (pending[i] > 0) return invalid_model("the graph has a cycle through node '", nodes[i].name, "' (", nodes[i].op_type, ")");
  }
  for (int i : order) st.g.nodes.push_back(std::move(nodes[i]));
  st.g.relink_producers();
  return ok_status();
}

Status read_outputs(const onnx::GraphProto& gp, LoadState& st) {
  if (gp.output_size() == 0) return invalid_model("the graph has no outputs");
  for (const auto& out : gp.output()) {
    const int v = st.g.find_value(out.name());
    if (v < 0) return invalid_model("graph output '", out.name(), "' is not produced by any node, initializer or input");
    st.g.outputs.push_back(v);
  }
  return ok_status();
}

Result<Graph> load_proto(onnx::ModelProto& m, LoadState& st) {
  if (!m.has_graph()) return invalid_model("the model has no graph");
  if (m.ir_version() < 1) return invalid_model("the model has no ir_version");
  st.g.ir_version = m.ir_version();
  st.g.producer = m.producer_name() + (m.producer_version().empty() ? "" : " " + m.producer_version());
  for (const auto& kv : m.metadata_props()) st.g.metadata[kv.key()] = kv.value();
  CNNRT_RETURN_IF_ERROR(read_opsets(m, st));
  auto& gp = *m.mutable_graph();
  CNNRT_RETURN_IF_ERROR(read_initializers(gp, st));
  CNNRT_RETURN_IF_ERROR(read_inputs(gp, st));
  CNNRT_RETURN_IF_ERROR(read_nodes(gp, st));
  CNNRT_RETURN_IF_ERROR(read_outputs(gp, st));
  return std::move(st.g);
}

}  // namespace

namespace {

Result<Graph> load_parsed(onnx::ModelProto& proto, const std::string& source, const std::string& folder,
                          std::vector<RawBytes> large_raw = {}) {
  LoadState st;
  st.root.folder = folder;
  st.large_raw = std::move(large_raw);
  st.g.source = source;
  auto g = load_proto(proto, st);
  if (!g.ok()) return g.status().with_prefix(source + ": ");
  return g;
}

const char kNotAModel[] = ": not a valid ONNX model (protobuf parsing failed; truncated or not an .onnx file)";

}  // namespace

Result<Graph> load_onnx_bytes(const void* data, size_t size, const std::string& source,
                              const std::string& folder) {
  if (!data && size) return invalid_argument("model data is NULL");
  if (size > kMaxModelBytes) return unsupported(source, ": models over 2 GiB must keep their weights as external data");
  // The same field-by-field parse as files get (one copy of large raw_data,
  // into aligned memory), falling back to protobuf's where it declines.
  onnx::ModelProto proto;
  std::vector<RawBytes> large_raw;
  google::protobuf::io::ArrayInputStream stream(data, static_cast<int>(size));
  if (!parse_model_reading_large_raw_data(&stream, size, &proto, &large_raw)) {
    proto.Clear();
    large_raw.clear();
    if (!proto.ParseFromArray(data, static_cast<int>(size))) return invalid_model(source, kNotAModel);
  }
  return load_parsed(proto, source, folder, std::move(large_raw));
}

Result<Graph> load_onnx_file(const std::string& path) {
  // Only a regular file (a FIFO would block, /dev/zero never ends), parsed
  // straight from it (no copy in memory), so loading holds the weights once:
  // large raw_data read straight into the tensors' memory, the rest in the
  // parsed message, then moved into tensors.
  auto file = RegularFile::open(path);
  if (!file.ok()) return file.status().with_prefix(path + ": ");
  if (file.value().size() > kMaxModelBytes)
    return unsupported(path, ": models over 2 GiB must keep their weights as external data");
  onnx::ModelProto proto;
  std::vector<RawBytes> large_raw;
  bool parsed;
  {
    google::protobuf::io::FileInputStream stream(file.value().fd());
    parsed = parse_model_reading_large_raw_data(&stream, file.value().size(), &proto, &large_raw);
    if (stream.GetErrno() != 0) return io_error(path, ": read error: ", std::strerror(stream.GetErrno()));
  }
  if (!parsed) {
    // Something the field-by-field walk does not take: the whole file the
    // ordinary way, which also names the error of a malformed one.
    proto.Clear();
    large_raw.clear();
    if (lseek(file.value().fd(), 0, SEEK_SET) != 0) return io_error(path, ": cannot rewind: ", std::strerror(errno));
    google::protobuf::io::FileInputStream stream(file.value().fd());
    parsed = proto.ParseFromZeroCopyStream(&stream);
    if (stream.GetErrno() != 0) return io_error(path, ": read error: ", std::strerror(stream.GetErrno()));
  }
  if (!parsed) return invalid_model(path, kNotAModel);
  const size_t slash = path.find_last_of('/');
  const std::string folder = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  return load_parsed(proto, path, folder, std::move(large_raw));
}

}  // namespace cnnrt
