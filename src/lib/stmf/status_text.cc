// stmfStatusText: the fixed words for each status value.
#include <libstmf.h>

#include "lib/stmf/api.h"

STMF_API const char* stmfStatusText(int status) {
  switch (status) {
    case STMF_STATUS_SUCCESS:
      return "success";
    case STMF_STATUS_ERROR:
      return "error";
    case STMF_ERROR_BUSY:
      return "resource busy";
    case STMF_ERROR_NOT_FOUND:
      return "not found";
    case STMF_ERROR_MEMBER_NOT_FOUND:
      return "member not found";
    case STMF_ERROR_GROUP_NOT_FOUND:
      return "group not found";
    case STMF_ERROR_PERM:
      return "permission denied";
    case STMF_ERROR_NOMEM:
      return "out of memory";
    case STMF_ERROR_INVALID_ARG:
      return "invalid argument";
    case STMF_ERROR_EXISTS:
      return "already exists";
    case STMF_ERROR_SERVICE_NOT_FOUND:
      return "STMF service not found";
    case STMF_ERROR_SERVICE_ONLINE:
      return "STMF service must be offline";
    case STMF_ERROR_SERVICE_OFFLINE:
      return "STMF service is offline";
    case STMF_ERROR_GROUP_IN_USE:
      return "group is in use by existing view entry";
    case STMF_ERROR_LUN_IN_USE:
      return "LUN already in use";
    case STMF_ERROR_VE_CONFLICT:
      return "view entry exists";
    case STMF_ERROR_CONFIG_NONE:
      return "STMF service is not initialized";
    case STMF_ERROR_SERVICE_DATA_VERSION:
      return "STMF service version incorrect";
    case STMF_ERROR_INVALID_HG:
      return "invalid host group";
    case STMF_ERROR_INVALID_TG:
      return "invalid target group";
    case STMF_ERROR_PROV_DATA_STALE:
      return "provider data is stale";
    case STMF_ERROR_NO_PROP:
      return "property not set";
    case STMF_ERROR_NO_PROP_VAL:
      return "property has no value";
    case STMF_ERROR_MISSING_PROP_VAL:
      return "missing property value";
    case STMF_ERROR_INVALID_BLOCKSIZE:
      return "invalid block size";
    case STMF_ERROR_FILE_ALREADY:
      return "file already in use";
    case STMF_ERROR_INVALID_PROPSIZE:
      return "invalid length";
    case STMF_ERROR_INVALID_PROP:
      return "invalid property";
    case STMF_ERROR_PERSIST_TYPE:
      return "invalid persistence type";
    case STMF_ERROR_TG_ONLINE:
      return "STMF target must be offline";
    case STMF_ERROR_ACCESS_STATE_SET:
      return "cannot modify while in standby mode";
    case STMF_ERROR_NO_PROP_STANDBY:
      return "prop unavailable in standby";
    case STMF_ERROR_POST_MSG_FAILED:
      return "proxy message post failed";
    case STMF_ERROR_DOOR_INSTALLED:
      return "proxy door already installed";
    case STMF_ERROR_FILE_IN_USE:
      return "file in use";
    case STMF_ERROR_INVALID_BLKSIZE:
      return "invalid block size";
    case STMF_ERROR_GUID_IN_USE:
      return "guid in use";
    case STMF_ERROR_META_FILE_NAME:
      return "meta file error";
    case STMF_ERROR_DATA_FILE_NAME:
      return "data file error";
    case STMF_ERROR_SIZE_OUT_OF_RANGE:
      return "invalid size";
    case STMF_ERROR_LU_BUSY:
      return "resource busy";
    case STMF_ERROR_META_CREATION:
      return "could not create meta file";
    case STMF_ERROR_FILE_SIZE_INVALID:
      return "file size invalid";
    case STMF_ERROR_WRITE_CACHE_SET:
      return "could not set write cache";
    default:
      return "unknown error";
  }
}
