// Owning wrappers for the C API's handles, so every exit path frees them.
#pragma once

#include "cnnrt.h"

namespace cnnrt_tools {

struct ModelHandle {
  cnnrt_model* p = nullptr;
  ModelHandle() = default;
  ModelHandle(const ModelHandle&) = delete;
  ModelHandle& operator=(const ModelHandle&) = delete;
  ~ModelHandle() { cnnrt_model_destroy(&p); }
};

struct SessionHandle {
  cnnrt_session* p = nullptr;
  SessionHandle() = default;
  SessionHandle(const SessionHandle&) = delete;
  SessionHandle& operator=(const SessionHandle&) = delete;
  ~SessionHandle() { cnnrt_session_destroy(&p); }
};

}  // namespace cnnrt_tools
