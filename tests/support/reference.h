// Test support for shape and data-movement ops: row-major multi-index
// helpers for naive references (every element visited by its index, no
// cleverness), and ways to hand an op its input in another element type or
// in the layout a convolution produces, so every lowering path is run.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "support/onnx_builder.h"
#include "support/run_model.h"

namespace cnnrt::test {

using Index = std::vector<int64_t>;

inline int64_t count_of(const Index& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

inline Index strides_for(const Index& dims) {
  Index s(dims.size());
  int64_t stride = 1;
  for (size_t k = dims.size(); k-- > 0;) {
    s[k] = stride;
    stride *= dims[k];
  }
  return s;
}

// Row-major offset of a multi-index.
inline int64_t offset_of(const Index& idx, const Index& dims) {
  int64_t off = 0;
  for (size_t k = 0; k < dims.size(); ++k) off = off * dims[k] + idx[k];
  return off;
}

// Calls f(index) for every multi-index of dims in row-major order.
template <class F>
void for_each_index(const Index& dims, F f) {
  const int64_t n = count_of(dims);
  Index idx(dims.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    f(idx);
    for (size_t k = dims.size(); k-- > 0;) {
      if (++idx[k] < dims[k]) break;
      idx[k] = 0;
    }
  }
}

// An int64 list for attributes (braced lists of ints are ambiguous between
// the int and float list constructors of Attr).
inline std::vector<int64_t> ints(std::initializer_list<int64_t> v) { return std::vector<int64_t>(v); }

// Distinct values 0, 1, 2, ... as floats (exact in float and every type a
// test casts them to, so a wrong index shows as a wrong value).
inline std::vector<float> iota_floats(int64_t n, float start = 0) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[i] = start + static_cast<float>(i);
  return v;
}

// How a test's input reaches the op under test: its element type and
// layout. Values are small integers, exact in every one of these types.
enum class Feed {
  f32,       // float graph input, row-major
  f32_conv,  // float from a 1x1 identity Conv: the layout oneDNN picks (rank 3-5 only)
  i64,       // int64 graph input (plain-loop path)
  i32,       // Cast to int32 (oneDNN s32)
  f16,       // Cast to float16 (oneDNN f16)
  bf16,      // Cast to bfloat16 (oneDNN bf16)
  u8,        // Cast to uint8 (oneDNN u8)
  i16,       // Cast to int16 (no oneDNN type: plain loops)
  f64,       // Cast to double (no oneDNN type: plain loops)
};

const char* feed_name(Feed f);
// Every feed; `with_conv` adds f32_conv (for inputs of rank 3 to 5).
std::vector<Feed> all_feeds(bool with_conv);

// The ONNX element type the op sees for a feed.
int feed_type(Feed f);

// Input values for a feed: 0, 1, 2, ... (modulo 251 where the type needs it).
std::vector<float> feed_values(Feed f, int64_t n);

// Declares graph input `name` for the feed and adds the nodes that turn it
// into the op's input; returns the name the op should read.
std::string feed_input(ModelBuilder& mb, Feed f, const std::string& name, const Index& dims);

// Adds the Cast back to float after the op's output `name` (if the feed
// changed the type) and declares the graph output; returns its name.
std::string feed_output(ModelBuilder& mb, Feed f, const std::string& name);

// The graph input for the feed's values.
HostTensor feed_tensor(Feed f, const std::string& name, const Index& dims, const std::vector<float>& values);

// Builds a model at `opset` whose input "x" (declared `decl_dims`, -1 for
// symbolic dims) reaches the op as the feed says; add_op adds the op
// reading `in` and writing "y" (plus any initializers it needs). Runs it on
// `values` of shape `dims` and returns the result, output 0 as floats.
using AddOp = std::function<void(ModelBuilder& mb, const std::string& in)>;
RunResult run_fed(Feed f, const Index& decl_dims, const Index& dims, const std::vector<float>& values, int opset,
                  const AddOp& add_op);

// What a fed op should give for input values x: the output values, and its
// dims in *out_dims.
using FedReference = std::function<std::vector<float>(const std::vector<float>& x, Index* out_dims)>;

// For ops that pass the values through unchanged and only set the dims.
FedReference same_values(Index out_dims);

// run_fed on the feed's values for `dims` (the input declared as
// `decl_dims`, dims itself when empty), checked against the reference:
// the run succeeds and output 0 has its dims and exactly its values (the
// feed's values are exact in every type).
void check_fed(Feed f, const Index& dims, const Index& decl_dims, int opset, const FedReference& reference,
               const AddOp& add_op);

// check_fed's check of a result run otherwise (several fed inputs).
void check_fed_output(Feed f, const RunResult& r, const Index& want_dims, const std::vector<float>& want);

}  // namespace cnnrt::test
