// AveragePool against a naive reference following ONNX Runtime and PyTorch:
// 1-D to 3-D, strides, explicit pads, auto_pad, count_include_pad, ceil_mode
// (including a last window that reaches past the end padding, whose overhang
// is not counted, and one that would start in the padding, which is
// dropped), dilations (opset 19), each opset form, an input in a Conv's
// layout, and the errors a bad AveragePool must give.
#include <doctest/doctest.h>

#include <string>

#include "support/onnx_builder.h"
#include "support/run_model.h"
#include "window_size.h"

using namespace cnnrt::test;

namespace {

struct PoolCase {
  int64_t n = 1, c = 2;
  std::vector<int64_t> in, k, strides, dilations, pads;  // pads: begins then ends
  std::string auto_pad = "NOTSET";
  int64_t ceil_mode = 0, count_include_pad = 0;
  int opset = 19;
};

std::vector<int64_t> spatial_out(const PoolCase& pc, std::vector<int64_t>* pb, std::vector<int64_t>* pe) {
  const size_t r = pc.in.size();
  std::vector<int64_t> out(r);
  pb->assign(r, 0);
  pe->assign(r, 0);
  for (size_t i = 0; i < r; ++i) {
    if (pc.auto_pad == "NOTSET") {  // pads is empty otherwise
      (*pb)[i] = pc.pads[i];
      (*pe)[i] = pc.pads[i + r];
    }
    out[i] = window_out_size(pc.in[i], pc.k[i], pc.strides[i], pc.dilations[i], pc.auto_pad, pc.ceil_mode != 0, (*pb)[i],
                             (*pe)[i]);
  }
  return out;
}

// Window positions p = o*s - pb + j*d. The divisor counts positions inside
// the input, or with count_include_pad those before in + pads_end.
std::vector<float> reference_avgpool(const PoolCase& pc, const std::vector<float>& x, std::vector<int64_t>* ydims) {
  std::vector<int64_t> pb, pe;
  const auto out = spatial_out(pc, &pb, &pe);
  const size_t r = pc.in.size();
  *ydims = {pc.n, pc.c};
  ydims->insert(ydims->end(), out.begin(), out.end());
  int64_t in_plane = 1, out_plane = 1, window = 1;
  for (size_t i = 0; i < r; ++i) {
    in_plane *= pc.in[i];
    out_plane *= out[i];
    window *= pc.k[i];
  }
  std::vector<float> y(static_cast<size_t>(pc.n * pc.c * out_plane));
  std::vector<int64_t> o(r), j(r);
  for (int64_t plane = 0; plane < pc.n * pc.c; ++plane)
    for (int64_t oflat = 0; oflat < out_plane; ++oflat) {
      int64_t rest = oflat;
      for (size_t i = r; i-- > 0;) {
        o[i] = rest % out[i];
        rest /= out[i];
      }
      double sum = 0;
      int64_t count = 0;
      for (int64_t w = 0; w < window; ++w) {
        int64_t wr = w, offset = 0;
        bool inside = true, counted = true;
        for (size_t i = r; i-- > 0;) {
          j[i] = wr % pc.k[i];
          wr /= pc.k[i];
        }
        for (size_t i = 0; i < r; ++i) {
          const int64_t p = o[i] * pc.strides[i] - pb[i] + j[i] * pc.dilations[i];
          if (p < 0 || p >= pc.in[i]) inside = false;
          if (p >= pc.in[i] + pe[i]) counted = false;
          offset = offset * pc.in[i] + p;
        }
        if (inside) sum += x[plane * in_plane + offset];
        if (pc.count_include_pad ? counted : inside) ++count;
      }
      y[plane * out_plane + oflat] = static_cast<float>(sum / static_cast<double>(count));
    }
  return y;
}

ModelBuilder avgpool_model(const PoolCase& pc, const std::vector<int64_t>& xdims, const std::string& name = "pool") {
  std::vector<Attr> attrs = {Attr("kernel_shape", pc.k), Attr("strides", pc.strides)};
  if (pc.opset >= 19) attrs.emplace_back("dilations", pc.dilations);
  if (pc.opset >= 10) attrs.emplace_back("ceil_mode", pc.ceil_mode);
  if (pc.opset >= 7) attrs.emplace_back("count_include_pad", pc.count_include_pad);
  if (pc.auto_pad == "NOTSET")
    attrs.emplace_back("pads", pc.pads);
  else
    attrs.emplace_back("auto_pad", pc.auto_pad);
  ModelBuilder mb(pc.opset);
  mb.input("x", xdims).node("AveragePool", {"x"}, {"y"}, attrs, name).output("y");
  return mb;
}

void check_avgpool(const PoolCase& pc, uint32_t seed) {
  std::vector<int64_t> xdims = {pc.n, pc.c};
  xdims.insert(xdims.end(), pc.in.begin(), pc.in.end());
  const size_t xn = element_count(xdims);
  const auto x = random_floats(xn, seed);
  std::vector<int64_t> ydims;
  const auto want = reference_avgpool(pc, x, &ydims);
  const RunResult r = run_model(avgpool_model(pc, xdims).bytes(), {HostTensor::floats("x", xdims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == ydims);
  CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-5);
}

PoolCase case_2d(std::vector<int64_t> in, std::vector<int64_t> k, std::vector<int64_t> s, std::vector<int64_t> pads) {
  PoolCase pc;
  pc.in = std::move(in);
  pc.k = std::move(k);
  pc.strides = std::move(s);
  pc.dilations = std::vector<int64_t>(pc.in.size(), 1);
  pc.pads = std::move(pads);
  return pc;
}

}  // namespace

TEST_CASE("AveragePool 2-D over strides, pads and count_include_pad") {
  uint32_t seed = 1;
  for (int64_t stride : {1, 2, 3})
    for (int64_t cip : {0, 1})
      for (const auto& pads : std::vector<std::vector<int64_t>>{{0, 0, 0, 0}, {1, 2, 2, 1}, {2, 0, 0, 1}}) {
        PoolCase pc = case_2d({9, 11}, {3, 4}, {stride, stride}, pads);
        pc.n = 2;
        pc.c = 3;
        pc.count_include_pad = cip;
        CAPTURE(stride);
        CAPTURE(cip);
        CAPTURE(pads[0]);
        check_avgpool(pc, seed++);
      }
}

TEST_CASE("AveragePool ceil_mode: partial last windows, overhang not counted, windows starting in the padding dropped") {
  uint32_t seed = 100;
  struct Dim {
    int64_t in, k, s, pb, pe;
  };
  // in, kernel, stride, pads: each reaches past the end in ceil mode.
  const std::vector<Dim> dims = {{6, 3, 2, 0, 0}, {6, 3, 2, 1, 1}, {7, 2, 3, 0, 1}, {6, 4, 3, 1, 1},
                                 {5, 2, 2, 1, 1}, {8, 3, 3, 2, 0}, {10, 5, 4, 2, 2}};
  for (const Dim& h : dims)
    for (int64_t cip : {0, 1}) {
      PoolCase pc = case_2d({h.in, 7}, {h.k, 3}, {h.s, 2}, {h.pb, 1, h.pe, 0});
      pc.ceil_mode = 1;
      pc.count_include_pad = cip;
      CAPTURE(h.in);
      CAPTURE(h.k);
      CAPTURE(h.s);
      CAPTURE(h.pb);
      CAPTURE(h.pe);
      CAPTURE(cip);
      check_avgpool(pc, seed++);
    }
}

TEST_CASE("AveragePool auto_pad SAME_UPPER, SAME_LOWER and VALID") {
  uint32_t seed = 200;
  for (const char* mode : {"SAME_UPPER", "SAME_LOWER", "VALID"})
    for (int64_t stride : {1, 2, 3})
      for (int64_t cip : {0, 1}) {
        PoolCase pc = case_2d({10, 7}, {4, 3}, {stride, stride}, {});
        pc.auto_pad = mode;
        pc.count_include_pad = cip;
        CAPTURE(mode);
        CAPTURE(stride);
        CAPTURE(cip);
        check_avgpool(pc, seed++);
      }
}

TEST_CASE("AveragePool dilations (opset 19) with pads, ceil_mode and count_include_pad") {
  uint32_t seed = 300;
  for (int64_t dil : {2, 3})
    for (int64_t ceil : {0, 1})
      for (int64_t cip : {0, 1}) {
        PoolCase pc = case_2d({11, 9}, {3, 2}, {2, 1}, {1, 1, 2, 0});
        pc.dilations = {dil, 2};
        pc.ceil_mode = ceil;
        pc.count_include_pad = cip;
        CAPTURE(dil);
        CAPTURE(ceil);
        CAPTURE(cip);
        check_avgpool(pc, seed++);
      }
  PoolCase same = case_2d({9, 8}, {3, 2}, {2, 3}, {});
  same.dilations = {2, 3};
  same.auto_pad = "SAME_UPPER";
  same.count_include_pad = 1;
  check_avgpool(same, seed++);
}

TEST_CASE("AveragePool 1-D and 3-D") {
  PoolCase one;
  one.c = 3;
  one.in = {17};
  one.k = {4};
  one.strides = {3};
  one.dilations = {1};
  one.pads = {2, 1};
  for (int64_t cip : {0, 1})
    for (int64_t ceil : {0, 1}) {
      one.count_include_pad = cip;
      one.ceil_mode = ceil;
      check_avgpool(one, 400 + static_cast<uint32_t>(2 * cip + ceil));
    }
  PoolCase three;
  three.n = 2;
  three.in = {5, 6, 7};
  three.k = {2, 3, 2};
  three.strides = {2, 2, 1};
  three.dilations = {1, 1, 1};
  three.pads = {1, 0, 1, 0, 1, 1};
  for (int64_t cip : {0, 1})
    for (int64_t ceil : {0, 1}) {
      three.count_include_pad = cip;
      three.ceil_mode = ceil;
      check_avgpool(three, 410 + static_cast<uint32_t>(2 * cip + ceil));
    }
}

TEST_CASE("AveragePool opset forms: 1 (no count_include_pad), 7, 10 (ceil_mode), 11, 19, 22") {
  uint32_t seed = 500;
  for (int opset : {1, 7, 10, 11, 19, 22}) {
    PoolCase pc = case_2d({8, 9}, {3, 3}, {2, 2}, {1, 1, 1, 1});
    pc.opset = opset;
    pc.count_include_pad = opset >= 7 ? 1 : 0;
    pc.ceil_mode = opset >= 10 ? 1 : 0;
    CAPTURE(opset);
    check_avgpool(pc, seed++);
  }
}

TEST_CASE("AveragePool reads a Conv output in the Conv's layout") {
  const int64_t c = 32;
  const std::vector<float> w = identity_conv_weights(c);
  PoolCase pc = case_2d({9, 8}, {3, 3}, {2, 2}, {1, 1, 1, 1});
  pc.n = 2;
  pc.c = c;
  pc.ceil_mode = 1;
  pc.count_include_pad = 1;
  const std::vector<int64_t> xdims = {2, c, 9, 8};
  const auto x = random_floats(static_cast<size_t>(2 * c * 72), 600);
  std::vector<int64_t> ydims;
  const auto want = reference_avgpool(pc, x, &ydims);
  ModelBuilder mb(19);
  mb.input("x", xdims)
      .initializer("w", {c, c, 1, 1}, w)
      .node("Conv", {"x", "w"}, {"t"})
      .node("AveragePool", {"t"}, {"y"},
            {Attr("kernel_shape", pc.k), Attr("strides", pc.strides), Attr("pads", pc.pads), Attr("ceil_mode", 1),
             Attr("count_include_pad", 1)})
      .output("y");
  const RunResult r = run_model(mb.bytes(), {HostTensor::floats("x", xdims, x)});
  REQUIRE_MESSAGE(r.status == CNNRT_OK, r.error);
  CHECK(r.outputs[0].dims == ydims);
  CHECK(max_abs_diff(r.outputs[0].f, want) < 1e-5);
}

TEST_CASE("AveragePool errors name the node and the problem") {
  const std::string prefix = "<memory>: node 'pool' (AveragePool, domain ai.onnx, opset ";
  SUBCASE("pads as large as the kernel") {
    PoolCase pc = case_2d({5, 5}, {2, 2}, {1, 1}, {0, 2, 0, 0});
    const RunResult r = load_model(avgpool_model(pc, {1, 2, 5, 5}).bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "19): pads (begin [0,2], end [0,0]) must be smaller than the kernel [2,2]");
  }
  SUBCASE("count_include_pad before opset 7") {
    ModelBuilder mb(6);
    mb.input("x", {1, 1, 4, 4})
        .node("AveragePool", {"x"}, {"y"}, {Attr("kernel_shape", std::vector<int64_t>{2, 2}), Attr("count_include_pad", 1)},
              "pool")
        .output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "6): attribute 'count_include_pad' is not valid at this opset");
  }
  SUBCASE("dilations before opset 19") {
    PoolCase pc = case_2d({5, 5}, {2, 2}, {1, 1}, {0, 0, 0, 0});
    pc.opset = 18;
    ModelBuilder mb(18);
    mb.input("x", {1, 1, 5, 5})
        .node("AveragePool", {"x"}, {"y"},
              {Attr("kernel_shape", pc.k), Attr("dilations", std::vector<int64_t>{2, 2})}, "pool")
        .output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "18): attribute 'dilations' is not valid at this opset");
  }
  SUBCASE("missing kernel_shape") {
    ModelBuilder mb(13);
    mb.input("x", {1, 1, 4, 4}).node("AveragePool", {"x"}, {"y"}, {}, "pool").output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "13): attribute 'kernel_shape' is required");
  }
  SUBCASE("bad count_include_pad") {
    PoolCase pc = case_2d({5, 5}, {2, 2}, {1, 1}, {0, 0, 0, 0});
    pc.count_include_pad = 2;
    const RunResult r = load_model(avgpool_model(pc, {1, 2, 5, 5}).bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "19): count_include_pad must be 0 or 1, got 2");
  }
  SUBCASE("rank 2 input") {
    ModelBuilder mb(13);
    mb.input("x", {4, 4})
        .node("AveragePool", {"x"}, {"y"}, {Attr("kernel_shape", std::vector<int64_t>{2})}, "pool")
        .output("y");
    const RunResult r = load_model(mb.bytes());
    CHECK(r.status == CNNRT_INVALID_MODEL);
    CHECK(r.error == prefix + "13): input 0 ('x') must have rank 3 to 5, got shape [4,4]");
  }
}
