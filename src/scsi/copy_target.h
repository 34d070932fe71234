// How EXTENDED COPY finds its copy source and destination LUs.
//
// An EXTENDED COPY (LID1) parameter list names each copy source or destination
// (a CSCD, SPC-4 6.3.6) by an identification descriptor target descriptor
// (SPC-4 6.3.6.2): a designator from some LU's Device Identification VPD page.
// The LU running the command resolves a designator that names itself (its NAA
// designator, SPC-4 7.8.6.6); any other designator goes to the
// CopyTargetResolver the framework installs with Lu::set_copy_target_resolver().
// Without a resolver, only the LU itself is reachable.
//
// Contract for implementations: return the LU the designator names, or nullptr
// when this copy manager may not or cannot reach it (the copy then ends with
// COPY ABORTED, COPY TARGET DEVICE NOT REACHABLE). The returned LU must be owned
// by the same event loop as `copy_manager` (the layer is single-threaded per
// loop) and stay alive until the EXTENDED COPY command completes. The framework
// decides access policy (views, host groups); the layer itself checks the
// target's medium, write protection and capacity.
#ifndef OPENSTMF_SCSI_COPY_TARGET_H
#define OPENSTMF_SCSI_COPY_TARGET_H

#include <cstdint>
#include <span>

namespace openstmf::scsi {

class Lu;

// A designator as it appears in an identification descriptor target descriptor
// (SPC-4 7.8.6.1 layout: CODE SET, ASSOCIATION, DESIGNATOR TYPE, DESIGNATOR).
struct CopyDesignator {
  uint8_t code_set = 0;         // 1: binary, 2: ASCII, 3: UTF-8
  uint8_t association = 0;      // 0: logical unit, 1: target port, 2: target device
  uint8_t designator_type = 0;  // 3: NAA, 2: EUI-64, 1: T10 vendor ID, ...
  std::span<const uint8_t> designator;
};

class CopyTargetResolver {
 public:
  virtual ~CopyTargetResolver() = default;
  // The LU `designator` names as seen from `copy_manager`, or nullptr.
  virtual Lu* ResolveCopyTarget(const CopyDesignator& designator, const Lu& copy_manager) = 0;
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_COPY_TARGET_H
