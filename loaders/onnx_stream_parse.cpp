#include "loaders/onnx_stream_parse.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <onnx/onnx_pb.h>

#include <climits>
#include <cstring>
#include <string>

namespace cnnrt {
namespace {

using google::protobuf::io::CodedInputStream;
using WireFormat = google::protobuf::internal::WireFormatLite;

void put_varint(uint64_t v, std::string* wire) {
  while (v >= 0x80) {
    wire->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  wire->push_back(static_cast<char>(v));
}

int field_of(uint32_t tag) { return WireFormat::GetTagFieldNumber(tag); }
bool is_length_delimited(uint32_t tag) {
  return WireFormat::GetTagWireType(tag) == WireFormat::WIRETYPE_LENGTH_DELIMITED;
}

// A length prefix that fits in what is left of the enclosing message.
bool read_length(CodedInputStream& in, uint32_t* len) {
  return in.ReadVarint32(len) && static_cast<int64_t>(*len) <= in.BytesUntilLimit();
}

// Appends a length-delimited field (tag, its length `len` already read, and
// its next `len` bytes from `in`) to *wire as it was encoded.
bool copy_bytes_field(CodedInputStream& in, uint32_t tag, uint32_t len, std::string* wire) {
  put_varint(tag, wire);
  put_varint(len, wire);
  const size_t at = wire->size();
  wire->resize(at + len);
  return len == 0 || in.ReadRaw(&(*wire)[at], static_cast<int>(len));
}

// Appends the field `tag` (its value read from `in`) to *wire as it was
// encoded, for a later MergeFromString.
bool copy_field(CodedInputStream& in, uint32_t tag, std::string* wire) {
  if (is_length_delimited(tag)) {
    uint32_t len;
    return read_length(in, &len) && copy_bytes_field(in, tag, len, wire);
  }
  put_varint(tag, wire);
  switch (WireFormat::GetTagWireType(tag)) {
    case WireFormat::WIRETYPE_VARINT: {
      uint64_t v;
      if (!in.ReadVarint64(&v)) return false;
      put_varint(v, wire);
      return true;
    }
    case WireFormat::WIRETYPE_FIXED64: {
      uint64_t v;
      if (!in.ReadLittleEndian64(&v)) return false;
      for (int b = 0; b < 8; ++b) wire->push_back(static_cast<char>(v >> (8 * b)));
      return true;
    }
    case WireFormat::WIRETYPE_FIXED32: {
      uint32_t v;
      if (!in.ReadLittleEndian32(&v)) return false;
      for (int b = 0; b < 4; ++b) wire->push_back(static_cast<char>(v >> (8 * b)));
      return true;
    }
    default:
      return false;  // groups: not in ONNX files
  }
}

// The fields of one message up to the current limit: `special` reads the
// fields it knows (returning 1 if it took the field, 0 if not, -1 on
// failure); every other field is merged into *msg in order at the end.
template <class Message, class Special>
bool walk(CodedInputStream& in, Message* msg, Special special) {
  std::string rest;
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    const int took = special(tag);
    if (took < 0) return false;
    if (took == 0 && !copy_field(in, tag, &rest)) return false;
  }
  // ReadTag also gives 0 for a zero byte, which is no valid tag.
  return in.BytesUntilLimit() == 0 && msg->MergeFromString(rest);
}

// Runs `read` on the length-delimited field's contents.
template <class Read>
int nested(CodedInputStream& in, Read read) {
  uint32_t len;
  if (!read_length(in, &len)) return -1;
  const auto limit = in.PushLimit(static_cast<int>(len));
  if (!read(in)) return -1;
  in.PopLimit(limit);
  return 1;
}

bool walk_tensor(CodedInputStream& in, onnx::TensorProto* t, RawBytes* large) {
  bool raw_seen = false;
  return walk(in, t, [&](uint32_t tag) {
    if (field_of(tag) != onnx::TensorProto::kRawDataFieldNumber || !is_length_delimited(tag)) return 0;
    if (raw_seen) return -1;  // the last would win: left to protobuf
    raw_seen = true;
    uint32_t len;
    if (!read_length(in, &len)) return -1;
    if (len < kLargeRawDataBytes) {
      std::string wire;
      return copy_bytes_field(in, tag, len, &wire) && t->MergeFromString(wire) ? 1 : -1;
    }
    large->data = aligned_bytes(len);
    large->size = len;
    return in.ReadRaw(large->data.get(), static_cast<int>(len)) ? 1 : -1;
  });
}

bool walk_graph(CodedInputStream& in, onnx::GraphProto* g, std::vector<RawBytes>* large) {
  return walk(in, g, [&](uint32_t tag) {
    if (field_of(tag) != onnx::GraphProto::kInitializerFieldNumber || !is_length_delimited(tag)) return 0;
    return nested(in, [&](CodedInputStream& inner) {
      onnx::TensorProto t;
      RawBytes raw;
      if (!walk_tensor(inner, &t, &raw)) return false;
      g->add_initializer()->Swap(&t);
      large->push_back(std::move(raw));
      return true;
    });
  });
}

}  // namespace

bool parse_model_reading_large_raw_data(google::protobuf::io::ZeroCopyInputStream* stream, size_t size,
                                        onnx::ModelProto* model, std::vector<RawBytes>* large) {
  if (size > static_cast<size_t>(INT_MAX)) return false;
  try {
    CodedInputStream in(stream);
    const auto limit = in.PushLimit(static_cast<int>(size));
    const bool ok = walk(in, model, [&](uint32_t tag) {
      if (field_of(tag) != onnx::ModelProto::kGraphFieldNumber || !is_length_delimited(tag)) return 0;
      return nested(in, [&](CodedInputStream& inner) { return walk_graph(inner, model->mutable_graph(), large); });
    });
    in.PopLimit(limit);
    // Every initializer has its entry (the graph may have come in parts).
    return ok && large->size() == static_cast<size_t>(model->graph().initializer_size());
  } catch (const std::bad_alloc&) {
    return false;
  }
}

}  // namespace cnnrt
