// Class names: from a text file (one per line) or from a model's
// "cnnrt.labels" metadata (a JSON array of strings).
#pragma once

#include <string>
#include <vector>

namespace cnnrt_tools {

// Reads one label per line ('\r' stripped; trailing empty lines dropped).
bool read_labels_file(const std::string& path, std::vector<std::string>* out, std::string* error);

// Parses the metadata value: a JSON array of strings.
bool parse_labels_json(const std::string& json, std::vector<std::string>* out, std::string* error);

}  // namespace cnnrt_tools
