#!/usr/bin/env python3
"""Writes the ONNX backend node tests of the installed (pip) onnx package.

    generate_onnx_data.py OUT_DIR

pip's onnx ships the node test generators (onnx/backend/test/case/node/*.py)
but not the data they make. This runs every generator and writes each case
in the backend test layout (OUT_DIR/node/<case>/model.onnx and
test_data_set_N/{input,output}_N.pb), like onnx's own
`backend-test-tools generate-data`, which writes only the model tests.

The generators draw their inputs from numpy's global random state: it is
seeded, so two runs with the same onnx and numpy write the same bytes.
OUT_DIR/stamp is written last and names the onnx and numpy versions: the
build regenerates the data when it differs (tests/conformance/CMakeLists.txt).
Test data only: nothing here is a dependency of cnnrt itself.
"""
import os
import random
import shutil
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper


def stamp_text():
    return f"onnx {onnx.__version__} numpy {np.__version__}\n"


def serialize(value, type_proto, name):
    """One input or output as the bytes of its .pb file."""
    if type_proto.HasField("sequence_type"):
        return numpy_helper.from_list(value, name).SerializeToString()
    if type_proto.HasField("optional_type"):
        return numpy_helper.from_optional(value, name).SerializeToString()
    if type_proto.HasField("map_type"):
        return numpy_helper.from_dict(value, name).SerializeToString()
    if isinstance(value, TensorProto):
        return value.SerializeToString()
    return numpy_helper.from_array(value, name).SerializeToString()


def write_case(case, out_dir):
    case_dir = os.path.join(out_dir, case.kind, case.name)
    os.makedirs(case_dir)
    with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    graph = case.model.graph
    for i, (inputs, outputs) in enumerate(case.data_sets):
        set_dir = os.path.join(case_dir, f"test_data_set_{i}")
        os.makedirs(set_dir)
        for kind, values, declared in (("input", inputs, graph.input), ("output", outputs, graph.output)):
            for j, value in enumerate(values):
                with open(os.path.join(set_dir, f"{kind}_{j}.pb"), "wb") as f:
                    f.write(serialize(value, declared[j].type, declared[j].name))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    # The generators warn about the overflows and divisions by zero some
    # cases make on purpose.
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    np.random.seed(0)
    random.seed(0)
    import onnx.backend.test.case.node as node_cases

    cases = node_cases.collect_testcases()
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    written = 0
    for case in sorted(cases, key=lambda c: c.name):
        if case.model is None or not case.data_sets:
            continue
        write_case(case, out_dir)
        written += 1
    with open(os.path.join(out_dir, "stamp"), "w") as f:
        f.write(stamp_text())
    print(f"generate_onnx_data: {written} node tests of onnx {onnx.__version__} in {out_dir}")


if __name__ == "__main__":
    main()
