# An ALUA pair for the HA tests (sourced after lib.sh and netns_lib.sh): two
# stmfd nodes in their own network namespaces, each with its own state and run
# directory and address, serving LUs from one shared set of backing files, and
# a stmfproxy beside each, linked over the back network.
#   pair_start [STMFD ARGS...]  starts both nodes (node 0 creates the LU
#                      $SHARED/lu0.img of $PAIR_LU_SIZE, default 64M; node 1
#                      imports it) and both proxies, and
#                      waits until each node reaches the other; PAIR_PROXY_ARGS
#                      adds arguments to both stmfproxy command lines
#   node_start A|B     (re)starts one node's stmfd; node_kill9 A|B kills it
#   node_log A|B       its log file; on_node A|B CMD... runs CMD against its door
#   URL_A, URL_B       the LU through each node; GUID the LU's name
: "${STMFPROXY:?set STMFPROXY}" "${ALUAADM:?set ALUAADM}"
SHARED=$WORK/shared
T=iqn.2026-11.org.openstmf:default
URL_A=iscsi://$A_FRONT/$T/0
URL_B=iscsi://$B_FRONT/$T/0
declare -A NODE_PID NODE_NS NODE_ADDR NODE_NUM
NODE_NS=([A]=$NS_A [B]=$NS_B)
NODE_ADDR=([A]=$A_FRONT [B]=$B_FRONT)
NODE_NUM=([A]=0 [B]=1)
PAIR_ARGS=()
PAIR_PROXY_ARGS=()  # more stmfproxy arguments, for both nodes

node_log() { echo "$WORK/node-$1.log"; }
on_node() {
  local n=$1
  shift
  OPENSTMF_RUN_DIR=$WORK/run-$n "$@"
}

node_start() {
  local n=$1 lu=$SHARED/lu0.img log
  log=$(node_log "$n")
  [[ $n == A && ! -e $lu ]] && lu=$lu,size=${PAIR_LU_SIZE:-64M}
  local before
  before=$(grep -c "stmfd: ready" "$log" 2>/dev/null || true)
  # ip netns exec runs stmfd in its own process, so $! is stmfd's pid.
  ip netns exec "${NODE_NS[$n]}" "$STMFD" --state-dir "$WORK/state-$n" --run-dir "$WORK/run-$n" \
    --listen "${NODE_ADDR[$n]}:3260" --nop-interval 0 --lu "$lu" "${PAIR_ARGS[@]}" \
    >>"$log" 2>&1 &
  NODE_PID[$n]=$!
  wait_log "$log" "stmfd: ready" $((before + 1))
}

node_kill9() {
  kill -9 "${NODE_PID[$1]}"
  wait "${NODE_PID[$1]}" 2>/dev/null || true
  NODE_PID[$1]=
}

pair_start() {
  PAIR_ARGS=("$@")
  mkdir -p "$SHARED" "$WORK/state-A" "$WORK/state-B" "$WORK/run-A" "$WORK/run-B"
  (umask 077 && printf 'pair-secret-for-the-tests\n' >"$WORK/secret")
  node_start A
  node_start B
  in_ns "$NS_B" "$STMFPROXY" -n 1 -s "$WORK/secret" -l 0.0.0.0 -R "$WORK/run-B" \
    "${PAIR_PROXY_ARGS[@]}" \
    >"$WORK/proxy-B.log" 2>&1 &
  in_ns "$NS_A" "$STMFPROXY" -n 0 -s "$WORK/secret" -R "$WORK/run-A" \
    "${PAIR_PROXY_ARGS[@]}" "$B_BACK" \
    >"$WORK/proxy-A.log" 2>&1 &
  wait_log "$(node_log A)" "the peer node is reachable"
  wait_log "$(node_log B)" "the peer node is reachable"
  wait_log "$(node_log B)" "owned by the peer node"
  GUID=$(on_node A "$ALUAADM" list-state | sed -n 's/^LU \([0-9A-F]*\) .*/\1/p' | head -1)
}

# access_of A|B: the LU's access state on that node (aluaadm list-state).
access_of() {
  on_node "$1" "$ALUAADM" list-state | sed -n "s/^LU $GUID : //p"
}

# wait_access A|B STATE [SECONDS]
wait_access() {
  local n=$1 want=$2 secs=${3:-20} got=
  for _ in $(seq $((secs * 20))); do
    got=$(access_of "$n" 2>/dev/null || true)
    [[ $got == "$want" ]] && return 0
    sleep 0.05
  done
  echo "node $n: LU access state is \"$got\", expected \"$want\"" >&2
  return 1
}

pair_cleanup() {
  local rc=$?
  for f in "$WORK"/node-*.log "$WORK"/proxy-*.log; do
    [[ -f $f ]] || continue
    if grep -qE "ERROR: AddressSanitizer|runtime error:|WARNING: ThreadSanitizer" "$f"; then
      grep -E -A30 "ERROR: AddressSanitizer|runtime error:|WARNING: ThreadSanitizer" "$f" >&2
      rc=1
    fi
    if [[ $rc -ne 0 ]]; then
      echo "--- $f (last 30 lines)" >&2
      tail -30 "$f" >&2
    fi
  done
  ns_cleanup
  return $rc
}
