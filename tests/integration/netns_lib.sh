# Two-node topologies for the ALUA pair tests (sourced after lib.sh, whose EXIT
# trap runs ns_cleanup through NS_CLEANUP). Creates, with names unique to this run:
#   NS_A, NS_B   the two nodes; NS_I the initiator; NS_LAN a bridge between them
#   front network 10.200.0.0/24: A .1, B .2, I .100 (initiators reach both nodes)
#   back link     10.201.0.0/24: A .1, B .2 (the peer link; cut it with back_link down)
set -euo pipefail
NS_TAG=$$
NS_A=ostmf-a-$NS_TAG
NS_B=ostmf-b-$NS_TAG
NS_I=ostmf-i-$NS_TAG
NS_LAN=ostmf-lan-$NS_TAG
A_FRONT=10.200.0.1
B_FRONT=10.200.0.2
I_FRONT=10.200.0.100
A_BACK=10.201.0.1
B_BACK=10.201.0.2

ns_cleanup() {
  for ns in "$NS_A" "$NS_B" "$NS_I" "$NS_LAN"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
}

# in_ns NS CMD...: runs CMD inside namespace NS.
in_ns() {
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

# front_port NS IFACE ADDR: a veth from NS to the LAN bridge.
front_port() {
  local ns=$1 ifc=$2 addr=$3
  ip link add "$ifc" netns "$ns" type veth peer name "${ifc}p" netns "$NS_LAN"
  ip -n "$ns" addr add "$addr/24" dev "$ifc"
  ip -n "$ns" link set "$ifc" up
  ip -n "$NS_LAN" link set "${ifc}p" master br0 up
}

ns_setup() {
  for ns in "$NS_A" "$NS_B" "$NS_I" "$NS_LAN"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  ip -n "$NS_LAN" link add br0 type bridge
  ip -n "$NS_LAN" link set br0 up
  front_port "$NS_A" fa0 "$A_FRONT"
  front_port "$NS_B" fb0 "$B_FRONT"
  front_port "$NS_I" fi0 "$I_FRONT"
  ip link add ba0 netns "$NS_A" type veth peer name bb0 netns "$NS_B"
  ip -n "$NS_A" addr add "$A_BACK/24" dev ba0
  ip -n "$NS_B" addr add "$B_BACK/24" dev bb0
  ip -n "$NS_A" link set ba0 up
  ip -n "$NS_B" link set bb0 up
}

# back_link up|down: brings the peer link between the nodes up or down.
back_link() {
  ip -n "$NS_A" link set ba0 "$1"
  ip -n "$NS_B" link set bb0 "$1"
}

# wait_log FILE PATTERN [COUNT] [SECONDS]: waits until PATTERN appears COUNT times.
wait_log() {
  local file=$1 pattern=$2 count=${3:-1} secs=${4:-20}
  for _ in $(seq $((secs * 20))); do
    if [[ $(grep -c -- "$pattern" "$file" 2>/dev/null || true) -ge $count ]]; then
      return 0
    fi
    sleep 0.05
  done
  echo "timed out waiting for \"$pattern\" (x$count) in $file:" >&2
  cat "$file" >&2
  return 1
}
