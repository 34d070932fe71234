#include "ha/proxy_msg.h"

#include "base/byte_order.h"

namespace openstmf::ha {
namespace {

constexpr uint8_t kVersion = 1;

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out, const size_t* blob_size = nullptr)
      : out_(out), blob_size_(blob_size) {}
  void U8(uint8_t v) { out_.push_back(v); }
  void U16(uint16_t v) {
    uint8_t b[2];
    PutBe16(b, v);
    out_.insert(out_.end(), b, b + 2);
  }
  void U32(uint32_t v) {
    uint8_t b[4];
    PutBe32(b, v);
    out_.insert(out_.end(), b, b + 4);
  }
  void U64(uint64_t v) {
    uint8_t b[8];
    PutBe64(b, v);
    out_.insert(out_.end(), b, b + 8);
  }
  void Raw(const uint8_t* p, size_t n) { out_.insert(out_.end(), p, p + n); }
  void Str(const std::string& s) {
    U16(static_cast<uint16_t>(s.size()));
    Raw(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  void Str(const std::vector<uint8_t>& s) {
    U16(static_cast<uint16_t>(s.size()));
    Raw(s.data(), s.size());
  }
  void Blob(const std::vector<uint8_t>& b) {
    if (blob_size_ != nullptr) {
      U32(static_cast<uint32_t>(*blob_size_));  // the bytes follow as their own piece
      return;
    }
    U32(static_cast<uint32_t>(b.size()));
    Raw(b.data(), b.size());
  }

 private:
  std::vector<uint8_t>& out_;
  const size_t* const blob_size_;
};

class Reader {
 public:
  // With blob_view, a blob is not copied: *blob_view is where it lies in b.
  explicit Reader(std::span<const uint8_t> b, std::span<const uint8_t>* blob_view = nullptr)
      : b_(b), blob_view_(blob_view) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ == b_.size(); }
  size_t pos() const { return pos_; }
  const char* what() const { return what_; }

  uint8_t U8(const char* what) { return Need(1, what) ? b_[pos_++] : 0; }
  uint16_t U16(const char* what) {
    if (!Need(2, what)) return 0;
    uint16_t v = GetBe16(b_.data() + pos_);
    pos_ += 2;
    return v;
  }
  uint32_t U32(const char* what) {
    if (!Need(4, what)) return 0;
    uint32_t v = GetBe32(b_.data() + pos_);
    pos_ += 4;
    return v;
  }
  uint64_t U64(const char* what) {
    if (!Need(8, what)) return 0;
    uint64_t v = GetBe64(b_.data() + pos_);
    pos_ += 8;
    return v;
  }
  template <size_t N>
  void Fixed(std::array<uint8_t, N>& out, const char* what) {
    if (!Need(N, what)) return;
    std::copy(b_.begin() + pos_, b_.begin() + pos_ + N, out.begin());
    pos_ += N;
  }
  std::string Str(const char* what) {
    uint16_t n = U16(what);
    if (!Need(n, what)) return {};
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  std::vector<uint8_t> Bytes16(const char* what, size_t max) {
    uint16_t n = U16(what);
    if (n > max) return Fail(what), std::vector<uint8_t>{};
    return Take(n, what);
  }
  std::vector<uint8_t> Blob(const char* what) {
    uint32_t n = U32(what);
    if (n > kMaxBlob) return Fail(what), std::vector<uint8_t>{};
    if (blob_view_ == nullptr) return Take(n, what);
    if (Need(n, what)) {
      *blob_view_ = b_.subspan(pos_, n);
      pos_ += n;
    }
    return {};
  }

 private:
  std::vector<uint8_t> Take(size_t n, const char* what) {
    if (!Need(n, what)) return {};
    std::vector<uint8_t> v(b_.begin() + pos_, b_.begin() + pos_ + n);
    pos_ += n;
    return v;
  }
  void Fail(const char* what) {
    if (ok_) what_ = what;
    ok_ = false;
  }
  bool Need(size_t n, const char* what) {
    if (!ok_) return false;
    if (b_.size() - pos_ < n) {
      Fail(what);
      return false;
    }
    return true;
  }

  std::span<const uint8_t> b_;
  std::span<const uint8_t>* const blob_view_;
  size_t pos_ = 0;
  bool ok_ = true;
  const char* what_ = "";
};

void EncodeBody(const ProxyMsg& m, Writer& w) {
  switch (m.type) {
    case MsgType::kRegisterProxyPort:
      w.U16(m.rtpid);
      w.Str(m.port);
      break;
    case MsgType::kDeregisterProxyPort:
      w.Str(m.port);
      break;
    case MsgType::kRegisterLun:
    case MsgType::kDeregisterLun:
    case MsgType::kLunActive:
      w.Raw(m.guid.data(), m.guid.size());
      w.Str(m.provider);
      w.Blob(m.data);
      break;
    case MsgType::kScsiCmd:
      w.U64(m.session_id);
      w.Raw(m.guid.data(), m.guid.size());
      w.Str(m.initiator);
      w.Str(m.port);
      w.Raw(m.lun.data(), m.lun.size());
      w.U32(m.expected_length);
      w.U8(m.flags);
      w.U8(m.task_attr);
      w.U8(m.tmf);
      w.Str(m.cdb);
      w.Blob(m.data);
      break;
    case MsgType::kScsiData:
      w.Raw(m.guid.data(), m.guid.size());
      w.U32(m.offset);
      w.U8(m.final ? 1 : 0);
      w.Blob(m.data);
      break;
    case MsgType::kScsiDataXferDone:
      w.U32(m.offset);
      w.U32(m.status);
      break;
    case MsgType::kScsiStatus:
      w.Raw(m.guid.data(), m.guid.size());
      w.U8(m.response);
      w.U8(m.scsi_status);
      w.U8(m.flags);
      w.U32(m.residual);
      w.Str(m.sense);
      w.Blob(m.data);
      break;
    case MsgType::kR2t:
      w.U32(m.offset);
      w.U32(m.length);
      break;
    case MsgType::kStatus:
      w.U8(static_cast<uint8_t>(m.acked_type));
      w.U64(m.acked_msgid);
      w.U32(m.status);
      break;
    case MsgType::kSessionCreate:
    case MsgType::kSessionDestroy:
      w.U64(m.session_id);
      w.Str(m.initiator);
      w.Str(m.alias);
      w.Str(m.port);
      break;
    case MsgType::kEchoRequest:
    case MsgType::kEchoReply:
      w.Blob(m.data);
      break;
  }
}

void DecodeBody(Reader& r, ProxyMsg& m) {
  switch (m.type) {
    case MsgType::kRegisterProxyPort:
      m.rtpid = r.U16("relative port id");
      m.port = r.Str("port name");
      break;
    case MsgType::kDeregisterProxyPort:
      m.port = r.Str("port name");
      break;
    case MsgType::kRegisterLun:
    case MsgType::kDeregisterLun:
    case MsgType::kLunActive:
      r.Fixed(m.guid, "LU GUID");
      m.provider = r.Str("provider name");
      m.data = r.Blob("provider data");
      break;
    case MsgType::kScsiCmd:
      m.session_id = r.U64("session id");
      r.Fixed(m.guid, "LU GUID");
      m.initiator = r.Str("initiator name");
      m.port = r.Str("port name");
      r.Fixed(m.lun, "LUN");
      m.expected_length = r.U32("expected length");
      m.flags = r.U8("flags");
      m.task_attr = r.U8("task attribute");
      m.tmf = r.U8("task management function");
      m.cdb = r.Bytes16("CDB", kMaxCdb);
      m.data = r.Blob("immediate data");
      break;
    case MsgType::kScsiData:
      r.Fixed(m.guid, "LU GUID");
      m.offset = r.U32("data offset");
      m.final = r.U8("final flag") != 0;
      m.data = r.Blob("data");
      break;
    case MsgType::kScsiDataXferDone:
      m.offset = r.U32("data offset");
      m.status = r.U32("status");
      break;
    case MsgType::kScsiStatus:
      r.Fixed(m.guid, "LU GUID");
      m.response = r.U8("response");
      m.scsi_status = r.U8("SCSI status");
      m.flags = r.U8("flags");
      m.residual = r.U32("residual");
      m.sense = r.Bytes16("sense data", kMaxSense);
      m.data = r.Blob("data");
      break;
    case MsgType::kR2t:
      m.offset = r.U32("R2T offset");
      m.length = r.U32("R2T length");
      break;
    case MsgType::kStatus:
      m.acked_type = static_cast<MsgType>(r.U8("acknowledged type"));
      m.acked_msgid = r.U64("acknowledged msgid");
      m.status = r.U32("status");
      break;
    case MsgType::kSessionCreate:
    case MsgType::kSessionDestroy:
      m.session_id = r.U64("session id");
      m.initiator = r.Str("initiator name");
      m.alias = r.Str("initiator alias");
      m.port = r.Str("port name");
      break;
    case MsgType::kEchoRequest:
    case MsgType::kEchoReply:
      m.data = r.Blob("echo data");
      break;
  }
}

Status Bad(const std::string& why) {
  return Status(Code::kInvalidArgument, "malformed proxy message: " + why);
}

// Room for the fields and names of a message, so encoding grows out once.
size_t SizeHint(const ProxyMsg& m) {
  return 96 + m.port.size() + m.provider.size() + m.initiator.size() + m.alias.size() +
         m.cdb.size() + m.sense.size();
}

void EncodeWith(const ProxyMsg& m, Writer& w) {
  w.U8(kVersion);
  w.U8(static_cast<uint8_t>(m.type));
  w.U16(0);
  w.U64(m.msgid);
  EncodeBody(m, w);
}

}  // namespace

const char* MsgTypeName(MsgType t) {
  static constexpr const char* kNames[kMsgTypeCount] = {"REGISTER_PROXY_PORT",
                                                        "DEREGISTER_PROXY_PORT",
                                                        "REGISTER_LUN",
                                                        "DEREGISTER_LUN",
                                                        "SCSI_CMD",
                                                        "SCSI_DATA",
                                                        "SCSI_DATA_XFER_DONE",
                                                        "SCSI_STATUS",
                                                        "R2T",
                                                        "STATUS",
                                                        "SESSION_CREATE",
                                                        "SESSION_DESTROY",
                                                        "ECHO_REQUEST",
                                                        "ECHO_REPLY",
                                                        "LUN_ACTIVE"};
  auto i = static_cast<uint8_t>(t);
  return i < kMsgTypeCount ? kNames[i] : "UNKNOWN";
}

void Encode(const ProxyMsg& m, std::vector<uint8_t>& out) {
  out.reserve(out.size() + SizeHint(m) + m.data.size());
  Writer w(out);
  EncodeWith(m, w);
}

void EncodeHead(const ProxyMsg& m, size_t data_size, std::vector<uint8_t>& out) {
  out.reserve(out.size() + SizeHint(m));
  Writer w(out, &data_size);
  EncodeWith(m, w);
}

std::vector<uint8_t> Encode(const ProxyMsg& m) {
  std::vector<uint8_t> out;
  Encode(m, out);
  return out;
}

namespace {

Result<ProxyMsg> DecodeOne(std::span<const uint8_t> bytes, size_t* consumed,
                           std::span<const uint8_t>* blob_view) {
  Reader r(bytes, blob_view);
  uint8_t version = r.U8("version");
  uint8_t type = r.U8("type");
  uint16_t reserved = r.U16("reserved");
  ProxyMsg m;
  m.msgid = r.U64("msgid");
  if (!r.ok()) return Bad(std::string("truncated in the ") + r.what());
  if (version != kVersion) return Bad("version " + std::to_string(version) + " (expected 1)");
  if (type >= kMsgTypeCount) return Bad("unknown type " + std::to_string(type));
  if (reserved != 0) return Bad("reserved bits set");
  m.type = static_cast<MsgType>(type);
  DecodeBody(r, m);
  if (!r.ok()) {
    return Bad(std::string(MsgTypeName(m.type)) + " truncated or too long in the " + r.what());
  }
  if (m.type == MsgType::kScsiCmd && m.cdb.empty()) return Bad("SCSI_CMD without a CDB");
  if (m.type == MsgType::kStatus && static_cast<uint8_t>(m.acked_type) >= kMsgTypeCount) {
    return Bad("STATUS acknowledges an unknown type");
  }
  *consumed = r.pos();
  return m;
}

// Every message of a batch, each through add(bytes, consumed).
template <typename Add>
Status DecodeEach(std::span<const uint8_t> bytes, Add add) {
  if (bytes.empty()) return Bad("empty batch");
  for (size_t n = 1; !bytes.empty(); ++n) {
    size_t used = 0;
    Status s = add(bytes, &used);
    if (!s.ok()) {
      return Status(s.code(), "message " + std::to_string(n) + " of a batch: " + s.message());
    }
    bytes = bytes.subspan(used);
  }
  return Status::Ok();
}

}  // namespace

Result<ProxyMsg> DecodeNext(std::span<const uint8_t> bytes, size_t* consumed) {
  return DecodeOne(bytes, consumed, nullptr);
}

Result<ProxyMsg> Decode(std::span<const uint8_t> bytes) {
  size_t used = 0;
  ASSIGN_OR_RETURN(ProxyMsg m, DecodeNext(bytes, &used));
  if (used != bytes.size()) return Bad(std::string(MsgTypeName(m.type)) + " has trailing bytes");
  return m;
}

Result<std::vector<ProxyMsg>> DecodeBatch(std::span<const uint8_t> bytes) {
  std::vector<ProxyMsg> out;
  RETURN_IF_ERROR(DecodeEach(bytes, [&](std::span<const uint8_t> b, size_t* used) {
    ASSIGN_OR_RETURN(ProxyMsg m, DecodeOne(b, used, nullptr));
    out.push_back(std::move(m));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<MsgInPlace>> DecodeBatchInPlace(std::span<const uint8_t> bytes) {
  std::vector<MsgInPlace> out;
  RETURN_IF_ERROR(DecodeEach(bytes, [&](std::span<const uint8_t> b, size_t* used) {
    MsgInPlace v;
    ASSIGN_OR_RETURN(v.msg, DecodeOne(b, used, &v.data));
    out.push_back(std::move(v));
    return Status::Ok();
  }));
  return out;
}

}  // namespace openstmf::ha
