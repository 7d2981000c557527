// How the tools report errors: an exit code and a message that names the
// file and the problem. Exit codes: 0 success, 1 any error, 2 bad usage.
#pragma once

#include <string>

namespace cnnrt_tools {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

struct Failure {
  int code = 0;  // 0: no failure
  std::string message;
  explicit operator bool() const { return code != 0; }
};

inline Failure error(const std::string& message) { return {kExitError, message}; }
inline Failure usage(const std::string& message) { return {kExitUsage, message}; }

}  // namespace cnnrt_tools
