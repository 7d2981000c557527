"""Checks that the README guide matches the code it describes.

  check_docs.py api HEADER README...
      every function declared in cnnrt.h has a comment above it and is named
      in the guide, and every cnnrt_* name the guide mentions exists in the
      header (so neither can drift from the other);
  check_docs.py c-examples HEADER_DIR LIBRARY WORK_DIR MODEL README...
      every ```c block compiles as C99 with warnings as errors and links
      against the library; blocks with a main() run on MODEL and exit 0.
"""
import os
import re
import subprocess
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def readmes(paths):
    found = [p for p in paths if os.path.exists(p)]
    if not found:
        sys.exit(f"none of {paths} exists")
    return found


def header_functions(header):
    """(name, has_comment) for each CNNRT_API declaration. Declarations
    grouped on consecutive lines share the comment above the group."""
    lines = read(header).splitlines()
    result = []
    for i, line in enumerate(lines):
        m = re.match(r"CNNRT_API .*?\b(cnnrt_\w+)\(", line)
        if not m:
            continue
        j = i - 1
        while j >= 0 and (lines[j].startswith("CNNRT_API") or lines[j].startswith(" ")
                          and not lines[j].strip().startswith("*")):
            j -= 1  # earlier declarations of the group and their continuation lines
        result.append((m.group(1), j >= 0 and lines[j].rstrip().endswith("*/")))
    return result


def check_api(header, docs):
    problems = []
    functions = header_functions(header)
    if len(functions) < 10:
        problems.append(f"found only {len(functions)} functions in {header}")
    header_text = read(header)
    declared = set(re.findall(r"\b(cnnrt_\w+)\b", header_text))
    guide = "\n".join(read(p) for p in docs)
    for name, commented in functions:
        if not commented:
            problems.append(f"{name} has no comment above its declaration in {header}")
        if not re.search(r"\b" + name + r"\b", guide):
            problems.append(f"{name} is not mentioned in the guide ({', '.join(docs)})")
    # Names the guide uses must exist; cnnrt::cnnrt_static is a CMake target.
    for name in sorted(set(re.findall(r"(?<!::)\b(cnnrt_[a-z0-9_]+)\b", guide))):
        if name not in declared:
            problems.append(f"the guide mentions {name}, which cnnrt.h does not declare")
    return problems


def check_c_examples(include_dir, library, work, model, docs):
    problems = []
    os.makedirs(work, exist_ok=True)
    blocks = []
    for path in docs:
        for i, block in enumerate(re.findall(r"^```c\n(.*?)^```", read(path), re.S | re.M)):
            blocks.append((f"{os.path.basename(path)}#{i}", block))
    if not blocks:
        problems.append("the guide has no ```c example")
    for label, block in blocks:
        src = os.path.join(work, re.sub(r"\W", "_", label) + ".c")
        exe = src[:-2]
        with open(src, "w") as f:
            f.write(block)
        has_main = re.search(r"\bint main\(", block) is not None
        cmd = ["cc", "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-I", include_dir, src]
        cmd += ["-o", exe, library, "-Wl,-rpath," + os.path.dirname(library)] if has_main else ["-c", "-o", exe + ".o"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            problems.append(f"{label} does not compile:\n{done.stderr}")
            continue
        if has_main:
            done = subprocess.run([exe, model], capture_output=True, text=True, timeout=120)
            print(f"{label}: {done.stdout.strip()} {done.stderr.strip()}")
            if done.returncode != 0:
                problems.append(f"{label} exited with {done.returncode} on {model}: {done.stderr}")
    print(f"{len(blocks)} C examples checked")
    return problems


def main(argv):
    mode = argv[1]
    if mode == "api":
        problems = check_api(argv[2], readmes(argv[3:]))
    elif mode == "c-examples":
        problems = check_c_examples(argv[2], argv[3], argv[4], argv[5], readmes(argv[6:]))
    else:
        sys.exit(f"unknown mode {mode}")
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
