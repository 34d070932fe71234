#include "door/wire.h"

#include <cerrno>

#include "door.h"

namespace openstmf::door {
namespace {

constexpr WireError Bad(const char* reason) { return WireError{EINVAL, reason}; }

WireError ReadHeader(const void* buf, size_t len, WireHeader* h) {
  if (buf == nullptr || len < sizeof(WireHeader)) return Bad("record shorter than a header");
  std::memcpy(h, buf, sizeof *h);
  if (h->magic != kWireMagic) return Bad("bad magic");
  if (h->version != kWireVersion) return Bad("unsupported version");
  return {};
}

// Checks the descriptor words and the length of the record, and locates the parts.
WireError CheckBody(const WireHeader& h, const unsigned char* p, size_t len, bool data_inline,
                    const unsigned char** descs, const unsigned char** data) {
  if (h.n_desc > kMaxDesc) return Bad("too many descriptors");
  const size_t words = sizeof(WireHeader) + size_t{h.n_desc} * sizeof(WireDesc);
  if (data_inline) {
    if (h.data_size > kMaxInline) return Bad("inline data too large");
    if (len != words + h.data_size) return Bad("length does not match header");
    *data = p + words;
  } else {
    if (len != words) return Bad("length does not match header");
    if (h.data_size > kMaxShared) return Bad("shared data too large");
    *data = nullptr;
  }
  *descs = p + sizeof(WireHeader);
  for (uint32_t i = 0; i < h.n_desc; ++i) {
    WireDesc d = DescAt(*descs, i);
    if ((d.attributes & DOOR_DESCRIPTOR) == 0 ||
        (d.attributes & ~uint32_t{DOOR_DESCRIPTOR | DOOR_RELEASE}) != 0) {
      return Bad("bad descriptor attributes");
    }
    if (d.reserved != 0 || d.reserved2 != 0) return Bad("reserved descriptor bits set");
  }
  return {};
}

}  // namespace

WireHeader MakeHeader(MsgType type, uint32_t flags, uint32_t n_desc, uint64_t data_size,
                      uint64_t aux) {
  WireHeader h{};
  h.magic = kWireMagic;
  h.version = kWireVersion;
  h.type = static_cast<uint16_t>(type);
  h.flags = flags;
  h.n_desc = n_desc;
  h.data_size = data_size;
  h.aux = aux;
  return h;
}

WireError DecodeRequest(const void* buf, size_t len, size_t n_fds, Request* out) {
  WireHeader h;
  WireError e = ReadHeader(buf, len, &h);
  if (!e.ok()) return e;
  const auto* p = static_cast<const unsigned char*>(buf);
  const auto type = static_cast<MsgType>(h.type);
  if (type == MsgType::kInfo) {
    if (h.flags != 0 || h.n_desc != 0 || h.data_size != 0 || h.aux != 0) {
      return Bad("malformed info request");
    }
    if (len != sizeof(WireHeader)) return Bad("length does not match header");
    if (n_fds != 0) return Bad("descriptors on an info request");
    *out = Request{};
    out->type = type;
    return {};
  }
  if (type != MsgType::kCall) return Bad("unexpected message type on a call connection");
  if ((h.flags & ~(kFlagArena | kFlagNewArena | kFlagMore)) != 0) return Bad("unknown flags");
  if ((h.flags & kFlagNewArena) && !(h.flags & kFlagArena)) return Bad("new arena without data");
  if (h.aux != 0) return Bad("reserved field set");
  const unsigned char* descs = nullptr;
  const unsigned char* data = nullptr;
  e = CheckBody(h, p, len, (h.flags & kFlagArena) == 0, &descs, &data);
  if (!e.ok()) return e;
  const size_t extra = (h.flags & kFlagNewArena) ? 1 : 0;
  if (n_fds != h.n_desc + extra) return Bad("descriptor count does not match header");
  out->type = type;
  out->flags = h.flags;
  out->n_desc = h.n_desc;
  out->data_size = h.data_size;
  out->descs = descs;
  out->data = data;
  out->first_desc_fd = static_cast<uint32_t>(extra);
  return {};
}

WireError DecodeReply(const void* buf, size_t len, size_t n_fds, Reply* out) {
  WireHeader h;
  WireError e = ReadHeader(buf, len, &h);
  if (!e.ok()) return e;
  const auto* p = static_cast<const unsigned char*>(buf);
  const auto type = static_cast<MsgType>(h.type);
  *out = Reply{};
  out->type = type;
  switch (type) {
    case MsgType::kError:
      if (len != sizeof(WireHeader) || h.flags != 0 || h.n_desc != 0 || h.data_size != 0) {
        return Bad("malformed error reply");
      }
      if (h.aux == 0 || h.aux > 4095) return Bad("bad errno in error reply");
      if (n_fds != 0) return Bad("descriptors on an error reply");
      out->err = static_cast<int>(h.aux);
      return {};
    case MsgType::kInfoReply:
      if (len != sizeof(WireHeader) + sizeof(WireInfo) || h.flags != 0 || h.n_desc != 0 ||
          h.data_size != sizeof(WireInfo) || h.aux != 0) {
        return Bad("malformed info reply");
      }
      if (n_fds != 0) return Bad("descriptors on an info reply");
      out->data_size = h.data_size;
      out->data = p + sizeof(WireHeader);
      return {};
    case MsgType::kOpenReply:
      if (len != sizeof(WireHeader) || h.flags != 0 || h.n_desc != 0 || h.data_size != 0 ||
          h.aux != 0) {
        return Bad("malformed open reply");
      }
      if (n_fds != 1) return Bad("open reply without exactly one descriptor");
      return {};
    case MsgType::kReply:
      break;
    default:
      return Bad("unexpected message type in a reply");
  }
  if ((h.flags & ~(kFlagArena | kFlagMemfd)) != 0) return Bad("unknown flags");
  if ((h.flags & kFlagArena) && (h.flags & kFlagMemfd)) return Bad("arena and memfd both set");
  if (h.aux != 0) return Bad("reserved field set");
  const bool data_inline = (h.flags & (kFlagArena | kFlagMemfd)) == 0;
  e = CheckBody(h, p, len, data_inline, &out->descs, &out->data);
  if (!e.ok()) return e;
  const size_t extra = (h.flags & kFlagMemfd) ? 1 : 0;
  if (n_fds != h.n_desc + extra) return Bad("descriptor count does not match header");
  out->flags = h.flags;
  out->n_desc = h.n_desc;
  out->data_size = h.data_size;
  out->first_desc_fd = static_cast<uint32_t>(extra);
  return {};
}

WireError DecodeControl(const void* buf, size_t len, size_t n_fds, MsgType* type, uint32_t* flags) {
  WireHeader h;
  WireError e = ReadHeader(buf, len, &h);
  if (!e.ok()) return e;
  const auto t = static_cast<MsgType>(h.type);
  const uint32_t allowed = t == MsgType::kConnect ? kFlagMore : 0;
  if (len != sizeof(WireHeader) || (h.flags & ~allowed) != 0 || h.n_desc != 0 || h.data_size != 0 ||
      h.aux != 0) {
    return Bad("malformed control message");
  }
  switch (t) {
    case MsgType::kConnect:
    case MsgType::kRef:
      if (n_fds != 1) return Bad("control message without exactly one descriptor");
      break;
    case MsgType::kOpen:
      if (n_fds != 0) return Bad("descriptors on an open request");
      break;
    default:
      return Bad("unexpected control message type");
  }
  *type = t;
  if (flags != nullptr) *flags = h.flags;
  return {};
}

}  // namespace openstmf::door
