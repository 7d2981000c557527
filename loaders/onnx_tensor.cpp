#include "loaders/onnx_tensor.h"
#include "loaders/regular_file.h"

#include <onnx/onnx_pb.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "cnnrt reads ONNX raw_data (little-endian) directly; big-endian hosts need byte swapping"
#endif

namespace cnnrt {
namespace {

std::string tensor_label(const onnx::TensorProto& p) {
  return p.name().empty() ? std::string("tensor") : cat("tensor '", p.name(), "'");
}

// Copies `count` typed elements from a repeated field, converting to the
// tensor's element type. The count must match exactly.
template <class Field, class Convert>
Status copy_repeated(const Field& field, int64_t count, const std::string& label, const char* field_name,
                     Convert convert) {
  if (static_cast<int64_t>(field.size()) != count)
    return invalid_model(label, ": ", field_name, " holds ", field.size(), " values but the shape needs ", count);
  for (int64_t i = 0; i < count; ++i) convert(i, field.Get(static_cast<int>(i)));
  return ok_status();
}

// Resolves an external-data location inside `folder`, refusing anything
// that would leave it (absolute paths, "..", symlinks pointing outside).
Result<std::string> resolve_external_path(const std::string& folder, const std::string& location,
                                          const std::string& label) {
  if (folder.empty())
    return invalid_model(label, ": external data '", location,
                         "' cannot be read for a model loaded from memory (no folder to resolve it against)");
  if (location.empty()) return invalid_model(label, ": external data has no location");
  if (location.find('\0') != std::string::npos)
    return invalid_model(label, ": external data location contains a NUL byte");
  if (location[0] == '/' || location.find('\\') != std::string::npos)
    return invalid_model(label, ": external data location '", location, "' must be a relative path");
  size_t start = 0;
  while (start <= location.size()) {
    size_t end = location.find('/', start);
    if (end == std::string::npos) end = location.size();
    if (location.compare(start, end - start, "..") == 0)
      return invalid_model(label, ": external data location '", location, "' leaves the model's folder");
    start = end + 1;
  }
  const std::string joined = folder + "/" + location;
  char real_folder[PATH_MAX], real_file[PATH_MAX];
  if (!realpath(folder.c_str(), real_folder)) return io_error(label, ": cannot resolve folder '", folder, "'");
  if (!realpath(joined.c_str(), real_file))
    return io_error(label, ": external data file '", joined, "' cannot be opened: ", std::strerror(errno));
  const std::string rf(real_folder), rfile(real_file);
  const std::string inside = rf == "/" ? rf : rf + "/";
  if (rfile.compare(0, inside.size(), inside) != 0)
    return invalid_model(label, ": external data location '", location, "' resolves outside the model's folder");
  return rfile;
}

Result<std::string> read_external(const onnx::TensorProto& p, const ExternalDataRoot& root, size_t bytes,
                                  const std::string& label) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& kv : p.external_data()) {
    char* end = nullptr;
    if (kv.key() == "location") {
      location = kv.value();
    } else if (kv.key() == "offset" || kv.key() == "length") {
      errno = 0;
      const long long v = std::strtoll(kv.value().c_str(), &end, 10);
      if (errno || end == kv.value().c_str() || *end || v < 0)
        return invalid_model(label, ": external data ", kv.key(), " '", kv.value(), "' is not a valid size");
      (kv.key() == "offset" ? offset : length) = v;
    }
  }
  if (length >= 0 && static_cast<uint64_t>(length) != bytes)
    return invalid_model(label, ": external data length ", length, " does not match the shape's ", bytes, " bytes");
  CNNRT_ASSIGN_OR_RETURN(std::string path, resolve_external_path(root.folder, location, label));
  auto file = RegularFile::open(path);
  if (!file.ok()) return file.status().with_prefix(cat(label, ": external data '", path, "': "));
  const uint64_t size = file.value().size();
  if (static_cast<uint64_t>(offset) > size || size - static_cast<uint64_t>(offset) < bytes)
    return invalid_model(label, ": external data '", location, "' has ", size, " bytes; offset ", offset, " + ",
                         bytes, " bytes needed");
  std::string data;
  CNNRT_RETURN_IF_ERROR(
      file.value().read(static_cast<uint64_t>(offset), bytes, &data).with_prefix(cat(label, ": external data '", path, "': ")));
  return data;
}

// The number of values a typed field (float_data, int64_data, ...) holds
// for this dtype must be exactly the shape's element count.
Status check_typed_count(const onnx::TensorProto& p, DType dtype, int64_t count, const std::string& label) {
  int64_t have = 0;
  const char* field = "";
  switch (dtype) {
    case DType::f32: have = p.float_data_size(); field = "float_data"; break;
    case DType::f64: have = p.double_data_size(); field = "double_data"; break;
    case DType::i64: have = p.int64_data_size(); field = "int64_data"; break;
    case DType::u32:
    case DType::u64: have = p.uint64_data_size(); field = "uint64_data"; break;
    default: have = p.int32_data_size(); field = "int32_data"; break;
  }
  if (have != count)
    return invalid_model(label, ": ", field, " holds ", have, " values but the shape needs ", count);
  return ok_status();
}

}  // namespace

Result<TensorPtr> decode_tensor(const onnx::TensorProto& p, const ExternalDataRoot& root) {
  const std::string label = tensor_label(p);
  if (p.has_segment()) return unsupported(label, ": segmented tensors are not supported");
  if (!dtype_is_known(p.data_type()))
    return unsupported(label, ": element type ", dtype_name(static_cast<DType>(p.data_type())),
                       " (", p.data_type(), ") is not supported");
  const DType dtype = static_cast<DType>(p.data_type());
  Dims dims(p.dims().begin(), p.dims().end());
  for (int64_t d : dims)
    if (d < 0) return invalid_model(label, ": negative dimension in shape ", dims_str(dims));
  CNNRT_ASSIGN_OR_RETURN(size_t bytes, checked_bytes(dims, dtype, label));
  const int64_t count = numel(dims);

  // The data's own size is checked against the shape before the tensor is
  // allocated: a few bytes of protobuf declaring a huge shape must not cost
  // gigabytes of memory before the mismatch is noticed.
  const bool external = p.data_location() == onnx::TensorProto_DataLocation_EXTERNAL;
  std::string external_bytes;
  if (external) {
    CNNRT_ASSIGN_OR_RETURN(external_bytes, read_external(p, root, bytes, label));
  } else if (p.has_raw_data()) {
    if (p.raw_data().size() != bytes)
      return invalid_model(label, ": raw_data has ", p.raw_data().size(), " bytes but shape ", dims_str(dims), " of ",
                           dtype_name(dtype), " needs ", bytes);
  } else {
    CNNRT_RETURN_IF_ERROR(check_typed_count(p, dtype, count, label));
  }
  CNNRT_ASSIGN_OR_RETURN(std::shared_ptr<TensorData> t, TensorData::make(dtype, dims, label));
  uint8_t* out = t->mutable_data();

  if (external || p.has_raw_data()) {
    const std::string& raw = external ? external_bytes : p.raw_data();
    if (bytes) std::memcpy(out, raw.data(), bytes);
    return TensorPtr(t);
  }

  switch (dtype) {
    case DType::f32: {
      auto* o = reinterpret_cast<float*>(out);
      CNNRT_RETURN_IF_ERROR(copy_repeated(p.float_data(), count, label, "float_data", [&](int64_t i, float v) { o[i] = v; }));
      break;
    }
    case DType::f64: {
      auto* o = reinterpret_cast<double*>(out);
      CNNRT_RETURN_IF_ERROR(copy_repeated(p.double_data(), count, label, "double_data", [&](int64_t i, double v) { o[i] = v; }));
      break;
    }
    case DType::i64: {
      auto* o = reinterpret_cast<int64_t*>(out);
      CNNRT_RETURN_IF_ERROR(copy_repeated(p.int64_data(), count, label, "int64_data", [&](int64_t i, int64_t v) { o[i] = v; }));
      break;
    }
    case DType::u32:
    case DType::u64: {
      const bool wide = dtype == DType::u64;
      CNNRT_RETURN_IF_ERROR(copy_repeated(p.uint64_data(), count, label, "uint64_data", [&](int64_t i, uint64_t v) {
        if (wide)
          reinterpret_cast<uint64_t*>(out)[i] = v;
        else
          reinterpret_cast<uint32_t*>(out)[i] = static_cast<uint32_t>(v);
      }));
      break;
    }
    default: {
      // int32_data carries every type of 32 bits or fewer (bit patterns for
      // float16 and bfloat16).
      const size_t esize = dtype_size(dtype);
      CNNRT_RETURN_IF_ERROR(copy_repeated(p.int32_data(), count, label, "int32_data", [&](int64_t i, int32_t v) {
        switch (esize) {
          case 1: out[i] = static_cast<uint8_t>(v); break;
          case 2: reinterpret_cast<uint16_t*>(out)[i] = static_cast<uint16_t>(v); break;
          default: reinterpret_cast<int32_t*>(out)[i] = v; break;
        }
      }));
      break;
    }
  }
  return TensorPtr(t);
}

namespace {

// Raw data in `storage` (`size` bytes) as the tensor p describes; p has
// neither segments nor external data and a known dtype.
Result<TensorPtr> adopt_raw(const onnx::TensorProto& p, std::shared_ptr<uint8_t> storage, size_t size) {
  const std::string label = tensor_label(p);
  const DType dtype = static_cast<DType>(p.data_type());
  Dims dims(p.dims().begin(), p.dims().end());
  for (int64_t d : dims)
    if (d < 0) return invalid_model(label, ": negative dimension in shape ", dims_str(dims));
  CNNRT_ASSIGN_OR_RETURN(size_t bytes, checked_bytes(dims, dtype, label));
  if (size != bytes)
    return invalid_model(label, ": raw_data has ", size, " bytes but shape ", dims_str(dims), " of ",
                         dtype_name(dtype), " needs ", bytes);
  auto t = std::make_shared<TensorData>();
  t->dtype = dtype;
  t->dims = std::move(dims);
  t->bytes = bytes;
  t->storage = std::move(storage);
  return TensorPtr(t);
}

bool plain_form(const onnx::TensorProto& p) {
  return !p.has_segment() && dtype_is_known(p.data_type()) &&
         p.data_location() != onnx::TensorProto_DataLocation_EXTERNAL;
}

}  // namespace

Result<TensorPtr> decode_tensor_taking(onnx::TensorProto& p, const ExternalDataRoot& root) {
  if (!p.has_raw_data() || !plain_form(p)) return decode_tensor(p, root);
  auto owner = std::make_shared<std::string>();
  owner->swap(*p.mutable_raw_data());
  // malloc'd string data is 16-byte aligned, enough for every reader here
  // (primitives read weights only through reorders into their own layout).
  const size_t size = owner->size();
  return adopt_raw(p, std::shared_ptr<uint8_t>(owner, reinterpret_cast<uint8_t*>(owner->data())), size);
}

Result<TensorPtr> decode_tensor_with_raw(onnx::TensorProto& p, RawBytes raw, const ExternalDataRoot& root) {
  if (plain_form(p)) return adopt_raw(p, std::move(raw.data), raw.size);
  p.set_raw_data(raw.data.get(), raw.size);
  return decode_tensor(p, root);
}

Result<TensorPtr> decode_tensor_bytes(const void* data, size_t size, std::string* name) {
  onnx::TensorProto proto;
  if (size > static_cast<size_t>(INT_MAX) || !proto.ParseFromArray(data, static_cast<int>(size)))
    return invalid_argument("not a valid serialized ONNX TensorProto");
  if (name) *name = proto.name();
  return decode_tensor(proto, ExternalDataRoot{});
}

}  // namespace cnnrt
