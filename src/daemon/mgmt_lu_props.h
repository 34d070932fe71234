// LU properties as stmfadm names them (create-lu -p NAME=VALUE, list-lu -v): the
// checks on their values, the sbd metadata they become, and their text form.
//
//   alias (<=255)  vendor (<=8)  product (<=16)  revision (<=4)  serial (<=252)
//   mgmt-url (<=1024)  guid (32 hex)  oui (6 hex)  blk (512|4096)  size (bytes,
//   K/M/G/T suffix)  data (absolute path)  meta (the same path: the metadata
//   lives in the data file)  wp, wcd, removable ("true"/"false")
//   access_state, host_id: read only
//
// Errors carry the libstmf code in Status::detail(): STMF_ERROR_INVALID_PROP
// (unknown or read-only name, or one that cannot change after creation),
// STMF_ERROR_INVALID_PROPSIZE (too long), STMF_ERROR_INVALID_BLOCKSIZE,
// STMF_ERROR_INVALID_ARG (a bad value), STMF_ERROR_MISSING_PROP_VAL.
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_DAEMON_MGMT_LU_PROPS_H
#define OPENSTMF_DAEMON_MGMT_LU_PROPS_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/config_store.h"
#include "base/status.h"
#include "lu/sbd/lu_metadata.h"
#include "mgmt/message.h"
#include "stmf/logical_unit.h"

namespace openstmf::daemon {

using PropList = std::vector<std::pair<std::string, std::string>>;

// The "props" list of a request, in order; InvalidArgument (INVALID_ARG) when
// an item lacks a name or value.
Result<PropList> PropsField(const mgmt::Message& m);

struct LuCreateRequest {
  std::string data;  // the backing file or device
  std::optional<uint64_t> size;
  uint32_t block_size = 512;
  std::optional<stmf::Guid> guid;
  std::optional<uint32_t> company_id;
  std::string alias, vendor, product, revision, serial, mgmt_url;
  bool write_protect = false;
  bool write_cache_disabled = false;
  bool removable = false;
};

Result<LuCreateRequest> ParseCreateProps(const PropList& props);
// modify-lu: only alias, mgmt-url, wp, wcd and size may change (COMSTAR).
Result<stmf::LuChanges> ParseModifyProps(const PropList& props);
// The changes that would undo `changes` on an LU now described by `md`.
stmf::LuChanges UndoOf(const stmf::LuChanges& changes, const lu::LuMetadata& md);

// Every property's text, as get-lu reports it.
Properties LuPropsText(const lu::LuMetadata& md, const std::string& data_path);
// The persisted "lu" object (ops.h).
ConfigChange LuObject(const lu::LuMetadata& md, const std::string& data_path, bool online);

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_MGMT_LU_PROPS_H
