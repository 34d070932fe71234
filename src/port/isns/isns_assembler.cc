#include "port/isns/isns_assembler.h"

#include <string>

namespace openstmf::isns {

Status MessageAssembler::Push(std::span<const uint8_t> bytes) {
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  size_t off = 0;
  Status status;
  while (buffer_.size() - off >= kHeaderSize) {
    auto header = DecodeHeader(std::span(buffer_).subspan(off));
    if (!header.ok()) {
      status = header.status();
      break;
    }
    if (buffer_.size() - off - kHeaderSize < header->length) break;  // wait for the rest
    status = TakePdu(*header, std::span(buffer_).subspan(off + kHeaderSize, header->length));
    if (!status.ok()) break;
    off += kHeaderSize + header->length;
  }
  if (!status.ok()) {
    buffer_.clear();
    partial_.reset();
    return status;
  }
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<ptrdiff_t>(off));
  return Status::Ok();
}

Status MessageAssembler::TakePdu(const Header& header, std::span<const uint8_t> payload) {
  if (!partial_) {
    // RFC 4171 §5.1.5: the first PDU of a message carries the First PDU flag.
    if (!(header.flags & kFlagFirstPdu) || header.sequence_id != 0) {
      return Status(Code::kInvalidArgument,
                    "PDU of transaction " + std::to_string(header.transaction_id) +
                        " does not start a message (flags " + std::to_string(header.flags) +
                        ", sequence " + std::to_string(header.sequence_id) + ")");
    }
    partial_ = Message{header.function, header.flags, header.transaction_id, {}};
    next_sequence_ = 0;
  } else if (header.transaction_id != partial_->transaction_id ||
             header.function != partial_->function || header.sequence_id != next_sequence_ ||
             (header.flags & kFlagFirstPdu)) {
    // RFC 4171 §5.1.7: segments arrive in order, one message at a time over TCP.
    return Status(Code::kInvalidArgument, "PDU out of sequence: transaction " +
                                              std::to_string(header.transaction_id) + " sequence " +
                                              std::to_string(header.sequence_id) + ", expected " +
                                              std::to_string(partial_->transaction_id) + "/" +
                                              std::to_string(next_sequence_));
  }
  if (partial_->payload.size() + payload.size() > kMaxMessage) {
    return Status(Code::kResourceExhausted,
                  "iSNS message larger than " + std::to_string(kMaxMessage) + " bytes");
  }
  partial_->payload.insert(partial_->payload.end(), payload.begin(), payload.end());
  ++next_sequence_;
  if (header.flags & kFlagLastPdu) {
    ready_.push_back(std::move(*partial_));
    partial_.reset();
  }
  return Status::Ok();
}

std::optional<Message> MessageAssembler::Next() {
  if (ready_.empty()) return std::nullopt;
  Message m = std::move(ready_.front());
  ready_.pop_front();
  return m;
}

}  // namespace openstmf::isns
