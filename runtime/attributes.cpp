#include "runtime/attributes.h"

namespace cnnrt {

const char* attribute_kind_name(Attribute::Kind k) {
  switch (k) {
    case Attribute::Kind::f: return "float";
    case Attribute::Kind::i: return "int";
    case Attribute::Kind::s: return "string";
    case Attribute::Kind::t: return "tensor";
    case Attribute::Kind::floats: return "floats";
    case Attribute::Kind::ints: return "ints";
    case Attribute::Kind::strings: return "strings";
    case Attribute::Kind::graph: return "graph";
    case Attribute::Kind::other: return "unsupported kind";
  }
  return "?";
}

const Attribute* Attributes::find(const std::string& name) const {
  auto it = map_.find(name);
  return it == map_.end() ? nullptr : &it->second;
}

Result<const Attribute*> Attributes::typed(const std::string& name, Attribute::Kind kind) const {
  const Attribute* a = find(name);
  if (a && a->kind != kind)
    return invalid_model("attribute '", name, "' must be of type ", attribute_kind_name(kind), ", got ",
                         attribute_kind_name(a->kind));
  return a;
}

Result<int64_t> Attributes::get_int(const std::string& name, int64_t fallback) const {
  CNNRT_ASSIGN_OR_RETURN(const Attribute* a, typed(name, Attribute::Kind::i));
  return a ? a->i : fallback;
}

Result<float> Attributes::get_float(const std::string& name, float fallback) const {
  CNNRT_ASSIGN_OR_RETURN(const Attribute* a, typed(name, Attribute::Kind::f));
  return a ? a->f : fallback;
}

Result<std::string> Attributes::get_string(const std::string& name, const std::string& fallback) const {
  CNNRT_ASSIGN_OR_RETURN(const Attribute* a, typed(name, Attribute::Kind::s));
  return a ? a->s : fallback;
}

Result<std::vector<int64_t>> Attributes::get_ints(const std::string& name, std::vector<int64_t> fallback) const {
  CNNRT_ASSIGN_OR_RETURN(const Attribute* a, typed(name, Attribute::Kind::ints));
  return a ? a->ints : fallback;
}

Result<std::vector<float>> Attributes::get_floats(const std::string& name, std::vector<float> fallback) const {
  CNNRT_ASSIGN_OR_RETURN(const Attribute* a, typed(name, Attribute::Kind::floats));
  return a ? a->floats : fallback;
}

Result<TensorPtr> Attributes::get_tensor(const std::string& name) const {
  CNNRT_ASSIGN_OR_RETURN(const Attribute* a, typed(name, Attribute::Kind::t));
  if (!a) return invalid_model("required attribute '", name, "' is missing");
  return a->t;
}

}  // namespace cnnrt
