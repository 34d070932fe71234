#include "cli/common/daemon_call.h"

#include "mgmt/client.h"

namespace openstmf::cli {

std::optional<mgmt::Message> CallDaemon(const Context& ctx, const mgmt::Message& request) {
  auto client = mgmt::Client::Open();
  if (!client.ok()) {
    ctx.Error(client.status().message());
    return std::nullopt;
  }
  auto reply = client->Call(request);
  if (!reply.ok()) {
    ctx.Error(reply.status().message());
    return std::nullopt;
  }
  if (mgmt::ReplyStatus(*reply) != 0) {
    std::string error = reply->Text("error");
    if (error.empty()) {
      error = "the request failed (status " + std::to_string(mgmt::ReplyStatus(*reply)) + ")";
    }
    ctx.Error(error);
    return std::nullopt;
  }
  return std::move(reply).value();
}

}  // namespace openstmf::cli
