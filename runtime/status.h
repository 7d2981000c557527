// Status and Result: how every internal function reports failure.
//
// The runtime never lets an exception reach the C API. Internally, functions
// that can fail return a Status (or a Result<T> carrying a value or a Status);
// the message says what failed and why, and each layer that knows more context
// (node name, op type, file) prefixes it on the way up.
#pragma once

#include <sstream>
#include <string>
#include <utility>
#include <variant>

namespace cnnrt {

// Mirrors cnnrt_status in the public header (same numeric values).
enum class StatusCode {
  ok = 0,
  invalid_argument = 1,  // the caller passed something wrong
  invalid_model = 2,     // the model file is malformed or inconsistent
  unsupported = 3,       // valid ONNX that this runtime does not implement
  io_error = 4,          // a file could not be read
  out_of_memory = 5,     // an allocation failed or a size limit was exceeded
  internal = 6,          // a bug in cnnrt or an unexpected oneDNN failure
};

// Concatenates anything streamable into one string; used to build messages.
template <class... Args>
std::string cat(const Args&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::ok; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Adds context in front of the message ("node 'x' (Conv): " + message).
  Status with_prefix(const std::string& prefix) const& {
    return ok() ? *this : Status(code_, prefix + message_);
  }

 private:
  StatusCode code_ = StatusCode::ok;
  std::string message_;
};

inline Status ok_status() { return Status(); }

template <class... Args>
Status invalid_argument(const Args&... args) {
  return Status(StatusCode::invalid_argument, cat(args...));
}
template <class... Args>
Status invalid_model(const Args&... args) {
  return Status(StatusCode::invalid_model, cat(args...));
}
template <class... Args>
Status unsupported(const Args&... args) {
  return Status(StatusCode::unsupported, cat(args...));
}
template <class... Args>
Status io_error(const Args&... args) {
  return Status(StatusCode::io_error, cat(args...));
}
template <class... Args>
Status out_of_memory(const Args&... args) {
  return Status(StatusCode::out_of_memory, cat(args...));
}
template <class... Args>
Status internal_error(const Args&... args) {
  return Status(StatusCode::internal, cat(args...));
}

// A value or the Status that explains why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace cnnrt

#define CNNRT_CONCAT_INNER(a, b) a##b
#define CNNRT_CONCAT(a, b) CNNRT_CONCAT_INNER(a, b)

// Returns early from the enclosing function if `expr` (a Status) failed.
#define CNNRT_RETURN_IF_ERROR(expr)                   \
  do {                                                \
    ::cnnrt::Status cnnrt_status_tmp_ = (expr);       \
    if (!cnnrt_status_tmp_.ok()) return cnnrt_status_tmp_; \
  } while (0)

// Declares or assigns `lhs` from a Result, returning its Status on failure.
#define CNNRT_ASSIGN_OR_RETURN(lhs, expr) \
  CNNRT_ASSIGN_OR_RETURN_IMPL(CNNRT_CONCAT(cnnrt_result_, __LINE__), lhs, expr)
#define CNNRT_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
