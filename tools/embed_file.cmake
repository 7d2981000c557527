# Writes a C++ source defining a byte array with a file's contents:
#   cmake -DINPUT=file -DOUTPUT=out.cpp -DSYMBOL=name -P embed_file.cmake
# defines `const unsigned char name[]` and `const size_t name_size`.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# 0xAB, per byte; a line break every 32 bytes keeps the file readable.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by embed_file.cmake; do not edit.
#include <cstddef>
extern const unsigned char ${SYMBOL}[];
extern const size_t ${SYMBOL}_size;
alignas(16) const unsigned char ${SYMBOL}[] = {
${bytes}
};
const size_t ${SYMBOL}_size = ${size};
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
