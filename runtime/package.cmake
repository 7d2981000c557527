# Packaging, included at the end of the top-level CMakeLists.txt:
#  - what the shared library exports (the C API only);
#  - `cmake --install build --prefix P`: libcnnrt.so.MAJOR (SONAME) and
#    libcnnrt.a, cnnrt.h, the CMake package (find_package(cnnrt) ->
#    cnnrt::cnnrt, COMPONENTS static -> cnnrt::cnnrt_static), cnnrt.pc, the
#    tools and the Python binding.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The header's version macros are what applications compile against; the
# package version and SONAME come from project(). They must agree.
file(STRINGS ${PROJECT_SOURCE_DIR}/runtime/include/cnnrt.h _cnnrt_version_lines
     REGEX "^#define CNNRT_VERSION_(MAJOR|MINOR|PATCH) [0-9]+")
set(_cnnrt_header_version "")
foreach(part MAJOR MINOR PATCH)
  string(REGEX MATCH "CNNRT_VERSION_${part} ([0-9]+)" _ "${_cnnrt_version_lines}")
  list(APPEND _cnnrt_header_version ${CMAKE_MATCH_1})
endforeach()
list(JOIN _cnnrt_header_version "." _cnnrt_header_version)
if(NOT _cnnrt_header_version STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "cnnrt.h says version ${_cnnrt_header_version}, project() says ${PROJECT_VERSION}")
endif()

# Only cnnrt_* leaves the shared library (hidden visibility does not cover
# the standard library's template instantiations; the version script does).
set(_cnnrt_map ${CMAKE_CURRENT_LIST_DIR}/cnnrt.map)
target_link_options(cnnrt PRIVATE "LINKER:--version-script=${_cnnrt_map}")
set_property(TARGET cnnrt APPEND PROPERTY LINK_DEPENDS ${_cnnrt_map})

# --- Libraries and header ---
install(TARGETS cnnrt EXPORT cnnrtTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS cnnrt_static EXPORT cnnrtStaticTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/runtime/include/cnnrt.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# --- CMake package ---
set(_cnnrt_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/cnnrt)
install(EXPORT cnnrtTargets NAMESPACE cnnrt:: DESTINATION ${_cnnrt_cmakedir})
install(EXPORT cnnrtStaticTargets NAMESPACE cnnrt:: DESTINATION ${_cnnrt_cmakedir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/cnnrtConfig.cmake.in
  ${CMAKE_BINARY_DIR}/package/cnnrtConfig.cmake INSTALL_DESTINATION ${_cnnrt_cmakedir})
# The SONAME carries the major version, so the package promises the same.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/package/cnnrtConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/package/cnnrtConfig.cmake ${CMAKE_BINARY_DIR}/package/cnnrtConfigVersion.cmake
  DESTINATION ${_cnnrt_cmakedir})

# --- pkg-config ---
# Relocatable: paths relative to the .pc file's folder, so
# `cmake --install --prefix P` works for any P.
function(_cnnrt_relative_to_prefix out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "\${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()
set(_cnnrt_pcdir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${_cnnrt_pcdir}")
  message(FATAL_ERROR "CMAKE_INSTALL_LIBDIR must be relative to the prefix for the relocatable cnnrt.pc")
endif()
file(RELATIVE_PATH CNNRT_PC_PREFIX_FROM_PCDIR /p/${_cnnrt_pcdir} /p)
string(REGEX REPLACE "/$" "" CNNRT_PC_PREFIX_FROM_PCDIR "${CNNRT_PC_PREFIX_FROM_PCDIR}")
_cnnrt_relative_to_prefix(CNNRT_PC_LIBDIR ${CMAKE_INSTALL_LIBDIR})
_cnnrt_relative_to_prefix(CNNRT_PC_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR})
# What a static link needs besides libcnnrt.a (the shared library records
# its own dependencies): oneDNN and onnx_proto (no .pc files of their own),
# protobuf (has one), OpenMP and the C++ runtime.
pkg_check_modules(_CNNRT_PC_PROTOBUF QUIET protobuf)
set(CNNRT_PC_REQUIRES_PRIVATE "")
set(_cnnrt_protobuf_libs "")
if(_CNNRT_PC_PROTOBUF_FOUND)
  set(CNNRT_PC_REQUIRES_PRIVATE protobuf)
else()
  set(_cnnrt_protobuf_libs " -L$<TARGET_LINKER_FILE_DIR:protobuf::libprotobuf> -lprotobuf")
endif()
set(_cnnrt_omp_libs "")
foreach(lib IN LISTS OpenMP_CXX_LIB_NAMES)
  string(APPEND _cnnrt_omp_libs " -l${lib}")
endforeach()
set(CNNRT_PC_LIBS_PRIVATE
    "-L$<TARGET_LINKER_FILE_DIR:DNNL::dnnl> -ldnnl -L$<TARGET_LINKER_FILE_DIR:onnx_proto> -lonnx_proto${_cnnrt_protobuf_libs}${_cnnrt_omp_libs} -lstdc++ -lm")
configure_file(${CMAKE_CURRENT_LIST_DIR}/cnnrt.pc.in ${CMAKE_BINARY_DIR}/package/cnnrt.pc.configured @ONLY)
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/package/cnnrt.pc INPUT ${CMAKE_BINARY_DIR}/package/cnnrt.pc.configured)
install(FILES ${CMAKE_BINARY_DIR}/package/cnnrt.pc DESTINATION ${_cnnrt_pcdir})

# --- Tools: every executable defined in tools/, found installed libcnnrt ---
if(CNNRT_BUILD_TOOLS)
  get_property(_cnnrt_tool_targets DIRECTORY ${PROJECT_SOURCE_DIR}/tools PROPERTY BUILDSYSTEM_TARGETS)
  foreach(t IN LISTS _cnnrt_tool_targets)
    get_target_property(_type ${t} TYPE)
    if(_type STREQUAL "EXECUTABLE")
      set_target_properties(${t} PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
      install(TARGETS ${t} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    endif()
  endforeach()
endif()

# --- Python binding (tools/python/cnnrt) ---
# Debian's python3 reads <prefix>/lib/python3/dist-packages for prefix /usr;
# other prefixes add this folder to PYTHONPATH.
set(CNNRT_INSTALL_PYTHONDIR "lib/python3/dist-packages" CACHE STRING
    "Where `cmake --install` puts the Python package cnnrt (relative to the prefix)")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/tools/python/cnnrt DESTINATION ${CNNRT_INSTALL_PYTHONDIR}
  PATTERN __pycache__ EXCLUDE)
# The installed package finds the installed library by this relative path.
if(IS_ABSOLUTE "${CNNRT_INSTALL_PYTHONDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  message(FATAL_ERROR "CNNRT_INSTALL_PYTHONDIR and CMAKE_INSTALL_LIBDIR must be relative to the prefix")
endif()
file(RELATIVE_PATH _cnnrt_py_to_lib /p/${CNNRT_INSTALL_PYTHONDIR}/cnnrt /p/${CMAKE_INSTALL_LIBDIR})
string(REGEX REPLACE "/$" "" _cnnrt_py_to_lib "${_cnnrt_py_to_lib}")
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/package/_installed.py CONTENT
"# Generated by runtime/package.cmake, installed with the package: where the
# installed library is, relative to this folder.
LIBRARY = \"${_cnnrt_py_to_lib}/$<TARGET_SONAME_FILE_NAME:cnnrt>\"
")
install(FILES ${CMAKE_BINARY_DIR}/package/_installed.py DESTINATION ${CNNRT_INSTALL_PYTHONDIR}/cnnrt)
