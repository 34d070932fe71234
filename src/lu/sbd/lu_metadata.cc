#include "lu/sbd/lu_metadata.h"

#include <cstring>
#include <set>

#include "base/byte_order.h"
#include "base/crc32c.h"

namespace openstmf::lu {
namespace {

constexpr char kMagic[8] = {'O', 'S', 'T', 'M', 'F', '-', 'L', 'U'};
constexpr uint16_t kVersion = 1;
constexpr uint16_t kMustUnderstand = 0x8000;
constexpr size_t kFieldHeader = 6;
constexpr size_t kMaxPayload = 64 * 1024 * 1024;

enum Tag : uint16_t {
  kGuid = 1 | kMustUnderstand,
  kLuSize = 2 | kMustUnderstand,
  kBlockSize = 3 | kMustUnderstand,
  kDataOffset = 4 | kMustUnderstand,
  kAlias = 5,
  kVendor = 6,
  kProduct = 7,
  kRevision = 8,
  kSerial = 9,
  kMgmtUrl = 10,
  kFlags = 11 | kMustUnderstand,
  kPrState = 12 | kMustUnderstand,
  kLease = 13 | kMustUnderstand,
  kCreated = 14,
  kCompanyId = 15,
  kLeaseRetired = 16,  // optional: a reader that ignores it only takes the LU over
};

constexpr uint32_t kWriteProtect = 1;
constexpr uint32_t kWriteCacheDisabled = 2;
constexpr uint32_t kRemovable = 4;
constexpr uint32_t kKnownFlags = kWriteProtect | kWriteCacheDisabled | kRemovable;

Status Corrupt(const std::string& why) { return Status(Code::kCorrupt, "LU metadata: " + why); }

struct StringField {
  const char* name;
  size_t max;
};

Status CheckString(const std::string& s, StringField f) {
  if (s.size() > f.max) {
    return Status(Code::kInvalidArgument,
                  std::string(f.name) + " longer than " + std::to_string(f.max) + " bytes");
  }
  if (s.find('\0') != std::string::npos) {
    return Status(Code::kInvalidArgument, std::string(f.name) + " contains a NUL byte");
  }
  return Status::Ok();
}

constexpr StringField kAliasField{"alias", 255};
constexpr StringField kVendorField{"vendor", 8};
constexpr StringField kProductField{"product", 16};
constexpr StringField kRevisionField{"revision", 4};
constexpr StringField kSerialField{"serial number", 252};
constexpr StringField kUrlField{"management URL", 1024};

class Writer {
 public:
  void Bytes(uint16_t tag, const void* p, size_t n) {
    uint8_t h[kFieldHeader];
    PutBe16(h, tag);
    PutBe32(h + 2, static_cast<uint32_t>(n));
    out_.insert(out_.end(), h, h + kFieldHeader);
    const auto* b = static_cast<const uint8_t*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  void U32(uint16_t tag, uint32_t v) {
    uint8_t b[4];
    PutBe32(b, v);
    Bytes(tag, b, 4);
  }
  void U64(uint16_t tag, uint64_t v) {
    uint8_t b[8];
    PutBe64(b, v);
    Bytes(tag, b, 8);
  }
  void Str(uint16_t tag, const std::string& s) {
    if (!s.empty()) Bytes(tag, s.data(), s.size());
  }
  std::vector<uint8_t>& out() { return out_; }

 private:
  std::vector<uint8_t> out_;
};

// Applies one field to md; the caller has checked the field lies within the payload.
Status ApplyField(uint16_t tag, std::span<const uint8_t> v, LuMetadata* md) {
  auto need = [&](size_t n, const char* what) -> Status {
    if (v.size() != n) {
      return Corrupt(std::string(what) + " field has length " + std::to_string(v.size()) +
                     ", expected " + std::to_string(n));
    }
    return Status::Ok();
  };
  auto str = [&](std::string* s) { s->assign(reinterpret_cast<const char*>(v.data()), v.size()); };
  switch (tag) {
    case kGuid:
      RETURN_IF_ERROR(need(16, "GUID"));
      std::memcpy(md->guid.data(), v.data(), 16);
      return Status::Ok();
    case kLuSize:
      RETURN_IF_ERROR(need(8, "size"));
      md->lu_size = GetBe64(v.data());
      return Status::Ok();
    case kBlockSize:
      RETURN_IF_ERROR(need(4, "block size"));
      md->block_size = GetBe32(v.data());
      return Status::Ok();
    case kDataOffset:
      RETURN_IF_ERROR(need(8, "data offset"));
      md->data_offset = GetBe64(v.data());
      return Status::Ok();
    case kFlags: {
      RETURN_IF_ERROR(need(4, "flags"));
      const uint32_t flags = GetBe32(v.data());
      if ((flags & ~kKnownFlags) != 0) return Corrupt("unknown flags set");
      md->write_protect = (flags & kWriteProtect) != 0;
      md->write_cache_disabled = (flags & kWriteCacheDisabled) != 0;
      md->removable = (flags & kRemovable) != 0;
      return Status::Ok();
    }
    case kLease:
      RETURN_IF_ERROR(need(20, "lease"));
      md->lease.owner_node = GetBe32(v.data());
      md->lease.generation = GetBe64(v.data() + 4);
      md->lease.expires_unix_ms = GetBe64(v.data() + 12);
      return Status::Ok();
    case kLeaseRetired:
      RETURN_IF_ERROR(need(1, "retired lease"));
      if (v[0] > 1) return Corrupt("retired lease flag is neither 0 nor 1");
      md->lease.retired = v[0] == 1;
      return Status::Ok();
    case kCompanyId:
      RETURN_IF_ERROR(need(4, "company id"));
      md->company_id = GetBe32(v.data());
      return Status::Ok();
    case kCreated:
      RETURN_IF_ERROR(need(8, "creation time"));
      md->created_unix_ms = GetBe64(v.data());
      return Status::Ok();
    case kPrState:
      md->pr_state.assign(v.begin(), v.end());
      return Status::Ok();
    case kAlias:
      str(&md->alias);
      return Status::Ok();
    case kVendor:
      str(&md->vendor);
      return Status::Ok();
    case kProduct:
      str(&md->product);
      return Status::Ok();
    case kRevision:
      str(&md->revision);
      return Status::Ok();
    case kSerial:
      str(&md->serial);
      return Status::Ok();
    case kMgmtUrl:
      str(&md->mgmt_url);
      return Status::Ok();
    default:
      if ((tag & kMustUnderstand) != 0) {
        return Corrupt("field " + std::to_string(tag & ~kMustUnderstand) +
                       " is required but not understood (written by a newer version?)");
      }
      return Status::Ok();  // optional field of a newer version
  }
}

}  // namespace

Status ValidateMetadata(const LuMetadata& md) {
  const uint32_t bs = md.block_size;
  if (bs < 512 || bs > 65536 || (bs & (bs - 1)) != 0) {
    return Status(Code::kInvalidArgument,
                  "block size " + std::to_string(bs) + " is not a power of two from 512 to 65536");
  }
  if (md.lu_size == 0 || md.lu_size % bs != 0) {
    return Status(Code::kInvalidArgument, "size " + std::to_string(md.lu_size) +
                                              " is not a positive multiple of the block size");
  }
  if (md.data_offset % 4096 != 0) {
    return Status(Code::kInvalidArgument, "data offset is not 4096-byte aligned");
  }
  if (md.lu_size > UINT64_MAX - md.data_offset) {
    return Status(Code::kInvalidArgument, "size plus data offset overflows");
  }
  if (md.company_id > 0xFFFFFF) {
    return Status(Code::kInvalidArgument, "company id is wider than 24 bits");
  }
  if (md.lease.owner_node > 1) {
    return Status(Code::kInvalidArgument, "lease owner is not node 0 or 1");
  }
  RETURN_IF_ERROR(CheckString(md.alias, kAliasField));
  RETURN_IF_ERROR(CheckString(md.vendor, kVendorField));
  RETURN_IF_ERROR(CheckString(md.product, kProductField));
  RETURN_IF_ERROR(CheckString(md.revision, kRevisionField));
  RETURN_IF_ERROR(CheckString(md.serial, kSerialField));
  RETURN_IF_ERROR(CheckString(md.mgmt_url, kUrlField));
  if (md.pr_state.size() > kMaxPayload / 2) {
    return Status(Code::kInvalidArgument, "reservation state too large");
  }
  return Status::Ok();
}

Result<std::vector<uint8_t>> EncodeMetadata(const LuMetadata& md, uint64_t seq) {
  RETURN_IF_ERROR(ValidateMetadata(md));
  Writer w;
  w.out().resize(kMetadataHeaderSize);
  w.Bytes(kGuid, md.guid.data(), md.guid.size());
  w.U64(kLuSize, md.lu_size);
  w.U32(kBlockSize, md.block_size);
  w.U64(kDataOffset, md.data_offset);
  w.U32(kFlags, (md.write_protect ? kWriteProtect : 0) |
                    (md.write_cache_disabled ? kWriteCacheDisabled : 0) |
                    (md.removable ? kRemovable : 0));
  w.Str(kAlias, md.alias);
  w.Str(kVendor, md.vendor);
  w.Str(kProduct, md.product);
  w.Str(kRevision, md.revision);
  w.Str(kSerial, md.serial);
  w.Str(kMgmtUrl, md.mgmt_url);
  if (!md.pr_state.empty()) w.Bytes(kPrState, md.pr_state.data(), md.pr_state.size());
  uint8_t lease[20];
  PutBe32(lease, md.lease.owner_node);
  PutBe64(lease + 4, md.lease.generation);
  PutBe64(lease + 12, md.lease.expires_unix_ms);
  w.Bytes(kLease, lease, sizeof lease);
  if (md.lease.retired) {
    const uint8_t one = 1;
    w.Bytes(kLeaseRetired, &one, 1);
  }
  w.U64(kCreated, md.created_unix_ms);
  if (md.company_id != 0) w.U32(kCompanyId, md.company_id);

  std::vector<uint8_t>& out = w.out();
  uint8_t* h = out.data();
  std::memcpy(h, kMagic, sizeof kMagic);
  PutBe16(h + 8, kVersion);
  PutBe16(h + 10, kMetadataHeaderSize);
  PutBe32(h + 12, static_cast<uint32_t>(out.size() - kMetadataHeaderSize));
  PutBe64(h + 16, seq);
  PutBe32(h + 24, crc32c::Value(out.data(), out.size()));  // CRC field is still zero here
  return std::move(out);
}

Result<DecodedMetadata> DecodeMetadata(std::span<const uint8_t> bytes) {
  if (bytes.size() < kMetadataHeaderSize) return Corrupt("record shorter than its header");
  const uint8_t* h = bytes.data();
  if (std::memcmp(h, kMagic, sizeof kMagic) != 0) return Corrupt("no metadata record (bad magic)");
  const uint16_t version = GetBe16(h + 8);
  if (version != kVersion) {
    return Corrupt("record version " + std::to_string(version) + " is not supported");
  }
  if (GetBe16(h + 10) != kMetadataHeaderSize) return Corrupt("bad header length");
  const uint32_t payload = GetBe32(h + 12);
  if (payload > kMaxPayload || payload > bytes.size() - kMetadataHeaderSize) {
    return Corrupt("payload length " + std::to_string(payload) + " exceeds the record");
  }
  const size_t total = kMetadataHeaderSize + payload;
  uint8_t head[kMetadataHeaderSize];
  std::memcpy(head, h, sizeof head);
  PutBe32(head + 24, 0);
  uint32_t crc = crc32c::Value(head, sizeof head);
  crc = crc32c::Extend(crc, h + kMetadataHeaderSize, payload);
  if (crc != GetBe32(h + 24)) return Corrupt("checksum mismatch");

  DecodedMetadata out;
  out.seq = GetBe64(h + 16);
  std::set<uint16_t> seen;
  size_t pos = kMetadataHeaderSize;
  while (pos < total) {
    if (total - pos < kFieldHeader) return Corrupt("truncated field header");
    const uint16_t tag = GetBe16(h + pos);
    const uint32_t len = GetBe32(h + pos + 2);
    pos += kFieldHeader;
    if (len > total - pos) return Corrupt("field " + std::to_string(tag) + " overruns the record");
    if (!seen.insert(tag).second) return Corrupt("field " + std::to_string(tag) + " repeated");
    RETURN_IF_ERROR(ApplyField(tag, bytes.subspan(pos, len), &out.metadata));
    pos += len;
  }
  for (uint16_t required : {kGuid, kLuSize, kBlockSize, kDataOffset}) {
    if (seen.count(required) == 0) {
      return Corrupt("required field " + std::to_string(required & ~kMustUnderstand) + " missing");
    }
  }
  Status valid = ValidateMetadata(out.metadata);
  if (!valid.ok()) return Corrupt(valid.message());
  return out;
}

}  // namespace openstmf::lu
