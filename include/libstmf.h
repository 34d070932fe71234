/*
 * libstmf.h - the COMSTAR management library (libstmf, link with -lstmf).
 *
 * Manages what stmfd exports: logical units, host and target groups, views
 * (which LU a host sees at which LUN through which targets), target ports and the
 * service state. Names, structures, constants and status values follow illumos
 * <libstmf.h>, so code written for Solaris/illumos COMSTAR recompiles.
 *
 * Every function that reaches the daemon is a call through stmfd's management door
 * (<run-dir>/stmfd.door; the run directory is $OPENSTMF_RUN_DIR or /run/openstmf).
 * Return values:
 *   STMF_STATUS_SUCCESS            the call did what it says
 *   STMF_ERROR_SERVICE_NOT_FOUND   stmfd is not running (no management door), as
 *                                  COMSTAR reports a missing STMF service
 *   STMF_ERROR_PERM                the caller is neither root nor in stmfd's admin group
 *   any other STMF_ERROR_*         the daemon's (or the argument check's) answer
 * stmfGetErrorDetail() gives the sentence that explains the last failure.
 *
 * Memory: every list a function returns through a pointer-to-pointer argument is
 * allocated by libstmf and released with stmfFreeMemory(). An luResource handle is
 * released with stmfFreeLuResource().
 *
 * Provider data uses the nvlist_t subset of <libnvpair.h>, which libstmf
 * provides. See docs/libstmf.md.
 *
 * Thread-safety: every function may be called from several threads at once;
 * stmfGetErrorDetail() reports the calling thread's last failure.
 * Valid C (C99 and later) and C++.
 */
#ifndef OPENSTMF_LIBSTMF_H
#define OPENSTMF_LIBSTMF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/param.h>
#include <time.h>

#include "libnvpair.h"
#include "solaris_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* LU, local port and service states. */
#define STMF_LOGICAL_UNIT_OFFLINE 0
#define STMF_LOGICAL_UNIT_OFFLINING 1
#define STMF_LOGICAL_UNIT_ONLINE 2
#define STMF_LOGICAL_UNIT_ONLINING 3
#define STMF_LOGICAL_UNIT_UNREGISTERED 4
#define STMF_TARGET_PORT_OFFLINE 5
#define STMF_TARGET_PORT_OFFLINING 6
#define STMF_TARGET_PORT_ONLINE 7
#define STMF_TARGET_PORT_ONLINING 8
#define STMF_SERVICE_STATE_ONLINE 9
#define STMF_SERVICE_STATE_OFFLINE 10
#define STMF_SERVICE_STATE_ONLINING 11
#define STMF_SERVICE_STATE_OFFLINING 12
#define STMF_SERVICE_STATE_UNKNOWN 13
#define STMF_CONFIG_STATE_NONE 14
#define STMF_CONFIG_STATE_INIT 15
#define STMF_CONFIG_STATE_INIT_DONE 16
#define STMF_CONFIG_STATE_UNKNOWN 17
/* stmfGetStmfProp / stmfSetStmfProp property types ("online" / "offline"). */
#define STMF_DEFAULT_LU_STATE 18
#define STMF_DEFAULT_TARGET_PORT_STATE 19

#define STMF_IDENT_LENGTH 255

/* Status values. */
#define STMF_STATUS_SUCCESS 0x0000
#define STMF_STATUS_ERROR 0x8000
#define STMF_ERROR_BUSY (STMF_STATUS_ERROR | 0x01)
#define STMF_ERROR_NOT_FOUND (STMF_STATUS_ERROR | 0x02)
#define STMF_ERROR_MEMBER_NOT_FOUND (STMF_STATUS_ERROR | 0x03)
#define STMF_ERROR_GROUP_NOT_FOUND (STMF_STATUS_ERROR | 0x04)
#define STMF_ERROR_PERM (STMF_STATUS_ERROR | 0x05)
#define STMF_ERROR_NOMEM (STMF_STATUS_ERROR | 0x06)
#define STMF_ERROR_INVALID_ARG (STMF_STATUS_ERROR | 0x07)
#define STMF_ERROR_EXISTS (STMF_STATUS_ERROR | 0x08)
#define STMF_ERROR_SERVICE_NOT_FOUND (STMF_STATUS_ERROR | 0x09)
#define STMF_ERROR_SERVICE_ONLINE (STMF_STATUS_ERROR | 0x0a)
#define STMF_ERROR_SERVICE_OFFLINE (STMF_STATUS_ERROR | 0x0b)
#define STMF_ERROR_GROUP_IN_USE (STMF_STATUS_ERROR | 0x0c)
#define STMF_ERROR_LUN_IN_USE (STMF_STATUS_ERROR | 0x0d)
#define STMF_ERROR_VE_CONFLICT (STMF_STATUS_ERROR | 0x0e)
#define STMF_ERROR_CONFIG_NONE (STMF_STATUS_ERROR | 0x0f)
#define STMF_ERROR_SERVICE_DATA_VERSION (STMF_STATUS_ERROR | 0x10)
#define STMF_ERROR_INVALID_HG (STMF_STATUS_ERROR | 0x11)
#define STMF_ERROR_INVALID_TG (STMF_STATUS_ERROR | 0x12)
#define STMF_ERROR_PROV_DATA_STALE (STMF_STATUS_ERROR | 0x13)
#define STMF_ERROR_NO_PROP (STMF_STATUS_ERROR | 0x14)
#define STMF_ERROR_NO_PROP_VAL (STMF_STATUS_ERROR | 0x15)
#define STMF_ERROR_MISSING_PROP_VAL (STMF_STATUS_ERROR | 0x16)
#define STMF_ERROR_INVALID_BLOCKSIZE (STMF_STATUS_ERROR | 0x17)
#define STMF_ERROR_FILE_ALREADY (STMF_STATUS_ERROR | 0x18)
#define STMF_ERROR_INVALID_PROPSIZE (STMF_STATUS_ERROR | 0x19)
/* COMSTAR skips 0x1a..0x1f: the values below are as illumos defines them. */
#define STMF_ERROR_INVALID_PROP (STMF_STATUS_ERROR | 0x20)
#define STMF_ERROR_PERSIST_TYPE (STMF_STATUS_ERROR | 0x21)
#define STMF_ERROR_TG_ONLINE (STMF_STATUS_ERROR | 0x22)
#define STMF_ERROR_ACCESS_STATE_SET (STMF_STATUS_ERROR | 0x23)
#define STMF_ERROR_NO_PROP_STANDBY (STMF_STATUS_ERROR | 0x24)
#define STMF_ERROR_POST_MSG_FAILED (STMF_STATUS_ERROR | 0x25)
#define STMF_ERROR_DOOR_INSTALLED (STMF_STATUS_ERROR | 0x26)

/* Failures of stmfCreateLu, stmfImportLu and stmfModifyLu. */
#define STMF_ERROR_FILE_IN_USE (STMF_STATUS_ERROR | 0x100)
#define STMF_ERROR_INVALID_BLKSIZE (STMF_STATUS_ERROR | 0x101)
#define STMF_ERROR_GUID_IN_USE (STMF_STATUS_ERROR | 0x102)
#define STMF_ERROR_META_FILE_NAME (STMF_STATUS_ERROR | 0x103)
#define STMF_ERROR_DATA_FILE_NAME (STMF_STATUS_ERROR | 0x104)
#define STMF_ERROR_SIZE_OUT_OF_RANGE (STMF_STATUS_ERROR | 0x105)
#define STMF_ERROR_LU_BUSY (STMF_STATUS_ERROR | 0x106)
#define STMF_ERROR_META_CREATION (STMF_STATUS_ERROR | 0x107)
#define STMF_ERROR_FILE_SIZE_INVALID (STMF_STATUS_ERROR | 0x108)
#define STMF_ERROR_WRITE_CACHE_SET (STMF_STATUS_ERROR | 0x109)

/* Initiator name types. */
#define STMF_FC_PORT_WWN 1
#define STMF_ISCSI_NAME 2

/* Provider types. */
#define STMF_LU_PROVIDER_TYPE 1
#define STMF_PORT_PROVIDER_TYPE 2

/* LU resource types (stmfCreateLuResource dType). */
#define STMF_DISK 0

/* Persistence methods. */
#define STMF_PERSIST_SMF 1
#define STMF_PERSIST_NONE 2

/* LU access states (STMF_LU_PROP_ACCESS_STATE values). */
#define STMF_ACCESS_ACTIVE "0"
#define STMF_ACCESS_ACTIVE_TO_STANDBY "1"
#define STMF_ACCESS_STANDBY "2"
#define STMF_ACCESS_STANDBY_TO_ACTIVE "3"

/* Disk LU properties (stmfSetLuProp, stmfGetLuProp, stmfModifyLu). */
enum {
  STMF_LU_PROP_ALIAS = 1,           /* up to 255 characters */
  STMF_LU_PROP_BLOCK_SIZE,          /* bytes, a power of two */
  STMF_LU_PROP_COMPANY_ID,          /* OUI, 6 hex digits */
  STMF_LU_PROP_FILENAME,            /* data file or block device */
  STMF_LU_PROP_GUID,                /* 32 hex digits */
  STMF_LU_PROP_META_FILENAME,       /* separate metadata file */
  STMF_LU_PROP_MGMT_URL,            /* management URL */
  STMF_LU_PROP_NEW,                 /* reserved */
  STMF_LU_PROP_SIZE,                /* bytes; k, m, g, t, p, e suffixes accepted */
  STMF_LU_PROP_WRITE_PROTECT,       /* "true" / "false" */
  STMF_LU_PROP_WRITE_CACHE_DISABLE, /* "true" / "false" */
  STMF_LU_PROP_VID,                 /* vendor id, up to 8 characters */
  STMF_LU_PROP_PID,                 /* product id, up to 16 characters */
  STMF_LU_PROP_SERIAL_NUM,          /* up to 252 characters */
  STMF_LU_PROP_ACCESS_STATE,        /* read only: STMF_ACCESS_* */
  STMF_LU_PROP_HOST_ID              /* 8 hex digits */
};

/* Device identifier code sets and name types. */
#define EUI_64_TYPE 2
#define NAA_TYPE 3
#define SCSI_NAME_TYPE 8

#define BINARY_CODE_SET 1
#define ASCII_CODE_SET 2
#define UTF_8_CODE_SET 3

typedef enum _stmfProtocol {
  STMF_PROTOCOL_FIBRE_CHANNEL = 0,
  STMF_PROTOCOL_SCSI = 1,
  STMF_PROTOCOL_SSA = 2,
  STMF_PROTOCOL_IEEE_1394 = 3,
  STMF_PROTOCOL_SRP = 4,
  STMF_PROTOCOL_ISCSI = 5,
  STMF_PROTOCOL_SAS = 6
} stmfProtocol;

typedef struct _stmfGuid {
  uchar_t guid[16];
} stmfGuid;

typedef struct _stmfGuidList {
  uint32_t cnt;
  stmfGuid guid[1];
} stmfGuidList;

typedef struct _stmfState {
  int operationalState; /* STMF_SERVICE_STATE_* */
  int configState;      /* STMF_CONFIG_STATE_* */
} stmfState;

/* A port or initiator name as text ("iqn.…", "eui.…", "wwn.…"), not terminated. */
typedef struct _stmfDevid {
  uint8_t identLength;
  uint8_t ident[STMF_IDENT_LENGTH];
} stmfDevid;

typedef struct _stmfDevidList {
  uint32_t cnt;
  stmfDevid devid[1];
} stmfDevidList;

typedef char stmfGroupName[256];
typedef char stmfProviderName[256];

typedef struct _stmfGroupList {
  uint32_t cnt;
  stmfGroupName name[1];
} stmfGroupList;

typedef struct _stmfProvider {
  int providerType; /* STMF_LU_PROVIDER_TYPE / STMF_PORT_PROVIDER_TYPE */
  stmfProviderName name;
} stmfProvider;

typedef struct _stmfProviderList {
  uint32_t cnt;
  stmfProvider provider[1];
} stmfProviderList;

typedef struct _stmfSession {
  stmfDevid initiator;
  char alias[256];
  time_t creationTime;
} stmfSession;

typedef struct _stmfSessionList {
  uint32_t cnt;
  stmfSession session[1];
} stmfSessionList;

typedef struct _stmfViewEntry {
  boolean_t veIndexValid; /* B_TRUE: veIndex holds a value */
  uint32_t veIndex;
  boolean_t allHosts; /* B_TRUE: every initiator; hostGroup is ignored */
  stmfGroupName hostGroup;
  boolean_t allTargets; /* B_TRUE: every target port; targetGroup is ignored */
  stmfGroupName targetGroup;
  boolean_t luNbrValid; /* B_TRUE: luNbr holds a value */
  uchar_t luNbr[8];     /* SAM LUN: luNbr[0] & 0x3f and luNbr[1] give 0..16383 */
} stmfViewEntry;

typedef struct _stmfViewEntryList {
  uint32_t cnt;
  stmfViewEntry ve[1];
} stmfViewEntryList;

typedef struct _stmfViewEntryProperties {
  stmfGuid associatedLogicalUnitGuid;
  stmfViewEntry viewEntry;
} stmfViewEntryProperties;

typedef struct _stmfGroupProperties {
  uint32_t cnt;
  stmfDevid name[1];
} stmfGroupProperties;

typedef struct _stmfTargetProperties {
  stmfProviderName providerName;
  char alias[256];
  uint16_t status; /* STMF_TARGET_PORT_* */
  stmfProtocol protocol;
  stmfDevid devid;
} stmfTargetProperties;

typedef struct _stmfLogicalUnitProperties {
  char alias[256];
  uchar_t vendor[8];   /* space padded, not terminated */
  uchar_t product[16]; /* space padded, not terminated */
  uchar_t revision[4]; /* space padded, not terminated */
  uint32_t status;     /* STMF_LOGICAL_UNIT_* */
  char providerName[256];
  stmfGuid luid;
} stmfLogicalUnitProperties;

/* A set of LU properties held by libstmf (stmfCreateLuResource, stmfGetLuResource). */
typedef void* luResource;

typedef struct _stmfLogicalUnitProviderProperties {
  char providerName[MAXPATHLEN];
  uint32_t instance;
  uint32_t status;
  uchar_t rsvd[64];
} stmfLogicalUnitProviderProperties;

typedef struct _stmfLocalPortProviderProperties {
  char providerName[MAXPATHLEN];
  uint32_t instance;
  uint32_t status;
  uchar_t rsvd[64];
} stmfLocalPortProviderProperties;

/* Host groups (members are initiator names). */
int stmfCreateHostGroup(stmfGroupName* hostGroupName);
int stmfDeleteHostGroup(stmfGroupName* hostGroupName);
int stmfAddToHostGroup(stmfGroupName* hostGroupName, stmfDevid* name);
int stmfRemoveFromHostGroup(stmfGroupName* hostGroupName, stmfDevid* initiatorName);
int stmfGetHostGroupList(stmfGroupList** initiatorGroupList);
int stmfGetHostGroupMembers(stmfGroupName* hostGroupName, stmfGroupProperties** groupProperties);

/* Target groups (members are local target port names; the port must be offline). */
int stmfCreateTargetGroup(stmfGroupName* targetGroupName);
int stmfDeleteTargetGroup(stmfGroupName* targetGroupName);
int stmfAddToTargetGroup(stmfGroupName* targetGroupName, stmfDevid* targetName);
int stmfRemoveFromTargetGroup(stmfGroupName* targetGroupName, stmfDevid* targetName);
int stmfGetTargetGroupList(stmfGroupList** targetGroupList);
int stmfGetTargetGroupMembers(stmfGroupName* targetGroupName,
                              stmfGroupProperties** groupProperties);

/* Views. stmfAddViewEntry fills in veIndex and luNbr (and sets their Valid flags)
 * when it chose them; stmfValidateView does the same without adding anything. */
int stmfAddViewEntry(stmfGuid* lu, stmfViewEntry* viewEntry);
int stmfRemoveViewEntry(stmfGuid* lu, uint32_t viewEntryIndex);
int stmfGetViewEntryList(stmfGuid* lu, stmfViewEntryList** viewEntryList);
int stmfValidateView(stmfViewEntry* viewEntry);

/* Logical units. An luResource keeps the properties in the caller's process until
 * stmfCreateLu sends them; stmfGetLuResource fetches an existing LU's properties.
 * stmfGetLuProp copies a property as text into prop (*propLen bytes); when it does
 * not fit it sets *propLen to the size needed and returns STMF_ERROR_INVALID_ARG;
 * a property without a value is STMF_ERROR_NO_PROP. */
int stmfCreateLuResource(uint16_t dType, luResource* hdl);
int stmfFreeLuResource(luResource hdl);
int stmfSetLuProp(luResource hdl, uint32_t propType, const char* propVal);
int stmfGetLuProp(luResource hdl, uint32_t propType, char* prop, size_t* propLen);
int stmfCreateLu(luResource hdl, stmfGuid* luGuid);
int stmfGetLuResource(stmfGuid* luGuid, luResource* hdl);
int stmfImportLu(uint16_t dType, char* fname, stmfGuid* luGuid);
int stmfModifyLu(stmfGuid* luGuid, uint32_t prop, const char* propVal);
int stmfModifyLuByFname(uint16_t dType, const char* fname, uint32_t prop, const char* propVal);
int stmfDeleteLu(stmfGuid* luGuid); /* the LU's view entries are kept */
int stmfGetLogicalUnitList(stmfGuidList** logicalUnitList);
int stmfGetLogicalUnitProperties(stmfGuid* logicalUnit,
                                 stmfLogicalUnitProperties* logicalUnitProps);
int stmfOnlineLogicalUnit(stmfGuid* logicalUnit);
int stmfOfflineLogicalUnit(stmfGuid* logicalUnit);
/* Defaults for new LUs; only STMF_LU_PROP_MGMT_URL is a global property. */
int stmfGetGlobalLuProp(uint16_t dType, uint32_t prop, char* propVal, size_t* propLen);
int stmfSetGlobalLuProp(uint16_t dType, uint32_t propType, const char* propVal);

/* Target ports and their sessions. */
int stmfGetTargetList(stmfDevidList** targetList);
int stmfGetTargetProperties(stmfDevid* target, stmfTargetProperties* targetProps);
int stmfOnlineTarget(stmfDevid* devid);
int stmfOfflineTarget(stmfDevid* devid);
int stmfGetSessionList(stmfDevid* target, stmfSessionList** sessionList);
int stmfDevidFromIscsiName(char* iscsiName, stmfDevid* devid);
int stmfDevidFromWwn(uchar_t wwn[8], stmfDevid* devid);

/* Providers. */
int stmfGetLocalPortProviderList(stmfProviderList** localPortProviderList);
int stmfGetLocalPortProviderProperties(stmfProviderName* providerName,
                                       stmfLocalPortProviderProperties* providerProperties);
int stmfGetLogicalUnitProviderList(stmfProviderList** logicalUnitProviderList);
int stmfGetLogicalUnitProviderProperties(stmfProviderName* providerName,
                                         stmfLogicalUnitProviderProperties* providerProperties);

/* Provider data: a provider's private configuration, kept by stmfd. The Prot
 * variants carry a token: a set whose *setToken is not the current one fails with
 * STMF_ERROR_PROV_DATA_STALE; on success *setToken is the new token. The list
 * stmfGetProviderData returns is released with nvlist_free(). */
int stmfGetProviderData(char* providerName, nvlist_t** nvl, int providerType);
int stmfGetProviderDataProt(char* providerName, nvlist_t** nvl, int providerType,
                            uint64_t* setToken);
int stmfSetProviderData(char* providerName, nvlist_t* nvl, int providerType);
int stmfSetProviderDataProt(char* providerName, nvlist_t* nvl, int providerType,
                            uint64_t* setToken);
int stmfClearProviderData(char* providerName, int providerType);

/* The service. */
int stmfGetState(stmfState* state);
int stmfOnline(void);
int stmfOffline(void);
int stmfLoadConfig(void);
int stmfGetPersistMethod(uint8_t* persistType, boolean_t serviceState);
int stmfSetPersistMethod(uint8_t persistType, boolean_t serviceSet);
int stmfGetStmfProp(uint8_t propType, char* propVal, size_t* propLen);
int stmfSetStmfProp(uint8_t propType, char* propVal);
int stmfLoadStmfProps(void);

/* ALUA and the STMF proxy service (the two nodes of an ALUA pair; see
 * docs/ha.md). stmfSetAluaState: node must be 0 or 1 when enabling
 * (STMF_ERROR_INVALID_ARG otherwise) and is ignored when disabling; enabling
 * again re-initialises the pair after a peer failure. stmfInitProxyDoor installs
 * doorFd, a door created by the caller, as stmfd's proxy door and returns in
 * *hdl the handle for stmfPostProxyMsg and stmfDestroyProxyDoor
 * (STMF_ERROR_DOOR_INSTALLED when one is in place). stmfd calls that door with
 * each message for the peer (data_ptr/data_size, no descriptors) and expects a
 * uint32_t result, 0 on success; non-zero results are logged. */
int stmfSetAluaState(boolean_t alua_enabled, uint32_t node);
int stmfGetAluaState(boolean_t* enabled, uint32_t* node);
int stmfInitProxyDoor(int* hdl, int fd);
int stmfPostProxyMsg(int hdl, void* buf, uint32_t buflen);
void stmfDestroyProxyDoor(int hdl);
int stmfLuStandby(stmfGuid* luGuid);

/* Memory. */
void stmfFreeMemory(void* memory);

/* openstmf extensions (not in COMSTAR). */
/* The sentence explaining the calling thread's last failed libstmf call (the
 * daemon's own words when it answered, e.g. `host group "hg1" not found`), or ""
 * after a success. Valid until the thread's next libstmf call. */
const char* stmfGetErrorDetail(void);
/* A short fixed description of a status value ("not found", "permission denied"). */
const char* stmfStatusText(int status);

#ifdef __cplusplus
}
#endif

#endif /* OPENSTMF_LIBSTMF_H */
