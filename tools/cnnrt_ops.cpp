// cnnrt-ops: prints the operators this build of libcnnrt implements, as the
// markdown table the README shows (scripts/update-ops-table.sh puts it
// there; a test checks the README still matches).
//
//   cnnrt-ops            | Operator | Domain | Opsets |  one row per operator
//
// Built on the public C API only (cnnrt_supported_op).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cnnrt.h"

namespace {

struct Row {
  std::string domain, op_type;
  std::vector<std::pair<int, int>> ranges;  // opset ranges, adjacent ones merged
};

std::string ranges_str(const std::vector<std::pair<int, int>>& ranges) {
  std::string s;
  for (const auto& r : ranges) {
    if (!s.empty()) s += ", ";
    s += r.first == r.second ? std::to_string(r.first) : std::to_string(r.first) + "-" + std::to_string(r.second);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cnnrt-ops: the operators this build of cnnrt implements, as a markdown table\n"
               "(operator, domain, and the model opset versions each is implemented for)."};
  app.set_version_flag("--version", std::string(cnnrt_version()));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  size_t count = 0;
  if (cnnrt_supported_op_count(&count) != CNNRT_OK) {
    std::fprintf(stderr, "cnnrt-ops: %s\n", cnnrt_last_error());
    return 1;
  }
  // Entries come sorted by domain, op type and first opset: one row per op,
  // with ranges that continue each other (1-10 then 11-28) shown as one.
  std::vector<Row> rows;
  for (size_t i = 0; i < count; ++i) {
    cnnrt_op_info op;
    if (cnnrt_supported_op(i, &op) != CNNRT_OK) {
      std::fprintf(stderr, "cnnrt-ops: %s\n", cnnrt_last_error());
      return 1;
    }
    if (rows.empty() || rows.back().domain != op.domain || rows.back().op_type != op.op_type)
      rows.push_back(Row{op.domain, op.op_type, {}});
    auto& ranges = rows.back().ranges;
    if (!ranges.empty() && ranges.back().second + 1 >= op.first_opset)
      ranges.back().second = std::max(ranges.back().second, op.last_opset);
    else
      ranges.emplace_back(op.first_opset, op.last_opset);
  }
  std::printf("| Operator | Domain | Opsets |\n|---|---|---|\n");
  for (const Row& r : rows) std::printf("| %s | %s | %s |\n", r.op_type.c_str(), r.domain.c_str(), ranges_str(r.ranges).c_str());
  return 0;
}
