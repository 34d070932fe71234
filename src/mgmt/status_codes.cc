#include "mgmt/status_codes.h"

namespace openstmf::mgmt {

uint32_t StatusToStmf(const Status& s) {
  switch (s.code()) {
    case Code::kOk:
      return kStmfStatusSuccess;
    case Code::kInvalidArgument:
      return kStmfErrorInvalidArg;
    case Code::kNotFound:
      return kStmfErrorNotFound;
    case Code::kAlreadyExists:
      return kStmfErrorExists;
    case Code::kPermissionDenied:
      return kStmfErrorPerm;
    case Code::kResourceExhausted:
      return kStmfErrorNomem;
    case Code::kUnavailable:
      return kStmfErrorBusy;
    case Code::kIoError:
    case Code::kCorrupt:
    case Code::kInternal:
      return kStmfStatusError;
  }
  return kStmfStatusError;
}

}  // namespace openstmf::mgmt
