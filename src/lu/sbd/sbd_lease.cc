#include "lu/sbd/sbd_lu.h"

namespace openstmf::lu {

Status SbdStore::Reload() {
  if (!store_) return Status::Ok();
  ASSIGN_OR_RETURN(MetadataStore fresh, MetadataStore::Open(fd_.get()));
  if (fresh.metadata().guid != md_.guid) {
    return Status(Code::kCorrupt, path_ + ": the metadata now names another LU");
  }
  store_.emplace(std::move(fresh));
  md_ = store_->metadata();
  return Status::Ok();
}

Result<SbdStore::LeaseView> SbdStore::ReadLease() const {
  if (!store_) return LeaseView{md_.lease, 0};
  ASSIGN_OR_RETURN(MetadataStore now, MetadataStore::Open(fd_.get()));
  return LeaseView{now.metadata().lease, now.seq()};
}

Status SbdStore::WriteLease(const OwnershipLease& lease) {
  LuMetadata md = md_;
  md.lease = lease;
  if (store_) RETURN_IF_ERROR(store_->Update(md, false));
  md_ = std::move(md);
  return Status::Ok();
}

}  // namespace openstmf::lu
