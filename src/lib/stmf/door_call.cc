#include "lib/stmf/door_call.h"

#include <libstmf.h>

#include "mgmt/client.h"

namespace openstmf::libstmf {
namespace {

// Like errno: one slot per thread, so concurrent callers never see each other's
// explanations.
std::string& DetailSlot() {
  thread_local std::string detail;
  return detail;
}

int TransportStatus(const Status& s) {
  switch (s.code()) {
    case Code::kUnavailable:
      return STMF_ERROR_SERVICE_NOT_FOUND;
    case Code::kPermissionDenied:
      return STMF_ERROR_PERM;
    case Code::kResourceExhausted:
      return STMF_ERROR_NOMEM;
    default:
      return STMF_STATUS_ERROR;
  }
}

}  // namespace

int Fail(int status, std::string detail) {
  DetailSlot() = std::move(detail);
  return status;
}

void ClearDetail() { DetailSlot().clear(); }

const char* Detail() { return DetailSlot().c_str(); }

int Call(const mgmt::Message& request, mgmt::Message* reply) {
  auto client = mgmt::Client::Open();
  if (!client.ok()) return Fail(TransportStatus(client.status()), client.status().message());
  auto r = client->Call(request);
  if (!r.ok()) return Fail(TransportStatus(r.status()), r.status().message());
  uint32_t status = mgmt::ReplyStatus(*r);
  if (status != STMF_STATUS_SUCCESS) {
    std::string error = r->Text("error");
    if (error.empty()) error = stmfStatusText(static_cast<int>(status));
    return Fail(static_cast<int>(status), std::move(error));
  }
  *reply = std::move(*r);
  return STMF_STATUS_SUCCESS;
}

int CallSimple(const mgmt::Message& request) {
  mgmt::Message reply;
  return Call(request, &reply);
}

}  // namespace openstmf::libstmf
