// Descriptors libdoor keeps for itself (server ends, call connections, epoll
// instances, arenas, a publication's reference) are tracked in one bitmap so that
// a forked child can close all of them without walking any structure: the child
// must not keep the parent's server sockets open (clients would never see the
// parent's hang-ups) and must not share the parent's call connections.
//
// Code that creates or receives such a descriptor holds the fork gate shared from
// the moment it exists until it is tracked, when a leak into a child would change
// behaviour (server ends of references and connections). Thread-safe and
// lock-free.
#ifndef OPENSTMF_DOOR_FD_REGISTRY_H
#define OPENSTMF_DOOR_FD_REGISTRY_H

#include <shared_mutex>

namespace openstmf::door {

// Marks fd as libdoor's own; returns fd.
int Track(int fd);
// Unmarks and closes fd (no-op for -1).
void CloseTracked(int fd);
// In a forked child: closes every tracked descriptor.
void CloseAllTrackedInChild();

// Taken shared around creating-and-tracking, exclusively by the fork prepare handler.
std::shared_mutex& ForkGate();

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_FD_REGISTRY_H
