// Node attributes, decoded from the model once by the loader. Getters check
// the attribute's type and report a mismatch instead of guessing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runtime/status.h"
#include "runtime/tensor.h"

namespace cnnrt {

struct Attribute {
  enum class Kind { f, i, s, t, floats, ints, strings, graph, other };
  Kind kind = Kind::other;
  float f = 0;
  int64_t i = 0;
  std::string s;
  TensorPtr t;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
};

const char* attribute_kind_name(Attribute::Kind k);

class Attributes {
 public:
  void set(const std::string& name, Attribute a) { map_[name] = std::move(a); }
  bool has(const std::string& name) const { return map_.count(name) != 0; }
  const Attribute* find(const std::string& name) const;
  const std::map<std::string, Attribute>& all() const { return map_; }

  Result<int64_t> get_int(const std::string& name, int64_t fallback) const;
  Result<float> get_float(const std::string& name, float fallback) const;
  Result<std::string> get_string(const std::string& name, const std::string& fallback) const;
  Result<std::vector<int64_t>> get_ints(const std::string& name, std::vector<int64_t> fallback) const;
  Result<std::vector<float>> get_floats(const std::string& name, std::vector<float> fallback) const;
  Result<TensorPtr> get_tensor(const std::string& name) const;  // required

 private:
  Result<const Attribute*> typed(const std::string& name, Attribute::Kind kind) const;
  std::map<std::string, Attribute> map_;
};

}  // namespace cnnrt
