// stb_image compiled into the fuzz target (instead of Debian's prebuilt
// libstb, which the tools link) so the fuzzer's coverage instrumentation
// and the sanitizers see inside the decoders the tools use.
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
