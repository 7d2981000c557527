#include "common/labels.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

namespace cnnrt_tools {

bool read_labels_file(const std::string& path, std::vector<std::string>* out, std::string* error) {
  std::ifstream f(path);
  if (!f) {
    *error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  out->clear();
  std::string line;
  while (std::getline(f, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out->push_back(line);
  }
  if (f.bad()) {
    *error = "read error";
    return false;
  }
  while (!out->empty() && out->back().empty()) out->pop_back();
  if (out->empty()) {
    *error = "no labels in the file";
    return false;
  }
  return true;
}

bool parse_labels_json(const std::string& text, std::vector<std::string>* out, std::string* error) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array() || j.empty()) {
    *error = "is not a non-empty JSON array of strings";
    return false;
  }
  out->clear();
  for (const auto& x : j) {
    if (!x.is_string()) {
      *error = "holds a non-string entry " + x.dump();
      return false;
    }
    out->push_back(x.get<std::string>());
  }
  return true;
}

}  // namespace cnnrt_tools
