#!/usr/bin/env bash
# compare_proxy.sh: the ALUA pair's proxied path against its direct path, with
# tgtd beside them, in one run.
#
# Two stmfd nodes in network namespaces share one file-backed LU (as the HA
# tests set them up: tests/integration/pair_lib.sh); node 0 owns it, node 1 runs
# in active-nonoptimized mode and proxies every command to node 0. An initiator
# in a third namespace measures 4 KiB random reads and writes through node 0
# (direct) and node 1 (proxied), and through tgtd serving a file of the same
# size from node 0's namespace. Prints IOPS, proxied / direct, and stmfd / tgtd.
# Each figure is the median of ROUNDS runs, the three targets taking turns in
# every round, so a slow moment of a shared machine does not decide a ratio.
#
# Each node's stmfd and stmfproxy share the CPUs in $CPUS (default 0: stmfd
# --cpus and stmfproxy -c, as docs/ha.md advises), so that their hand-offs are
# context switches rather than wake-ups on another CPU; CPUS= (empty) lets the
# scheduler place them. The direct path runs with the same placement.
#
# Usage: [CPUS=LIST] bench/compare_proxy.sh [BUILD_DIR] [SECONDS_PER_RUN] [ROUNDS]   (as root)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
secs=${2:-5}
rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
export STMFD=$build/bin/stmfd STMFPROXY=$build/bin/stmfproxy ALUAADM=$build/bin/aluaadm
for tool in tgtd tgtadm iscsi-perf qemu-img; do
  command -v "$tool" >/dev/null || { echo "missing $tool (tools/install-deps.sh)" >&2; exit 1; }
done
source "$here/../tests/integration/lib.sh"
source "$here/../tests/integration/netns_lib.sh"
source "$here/../tests/integration/pair_lib.sh"
trap 'pair_cleanup; cleanup' EXIT
size_mib=256
PAIR_LU_SIZE=${size_mib}M
ns_setup
cpus=${CPUS-0}
cpu_args=()
if [[ -n $cpus ]]; then
  cpu_args=(--cpus "$cpus")
  PAIR_PROXY_ARGS=(-c "$cpus")
fi
echo "== starting the pair (active-nonoptimized; stmfd and stmfproxy on CPUs ${cpus:-any}) and tgtd"
pair_start --alua-mode active-nonoptimized "${cpu_args[@]}"
truncate -s $((size_mib << 20)) "$WORK/tgt.img"
ip netns exec "$NS_A" tgtd -f --iscsi portal="$A_FRONT:3261" --control-port 3262 \
  >"$WORK/tgtd.log" 2>&1 &
for _ in $(seq 100); do
  in_ns "$NS_A" tgtadm -C 3262 --op show --mode sys >/dev/null 2>&1 && break
  sleep 0.1
done
in_ns "$NS_A" tgtadm -C 3262 --lld iscsi --op new --mode target --tid 1 \
  -T iqn.2026-11.org.openstmf:bench-tgt
in_ns "$NS_A" tgtadm -C 3262 --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 \
  -b "$WORK/tgt.img"
in_ns "$NS_A" tgtadm -C 3262 --lld iscsi --op bind --mode target --tid 1 -I ALL
tgt_url=iscsi://$A_FRONT:3261/iqn.2026-11.org.openstmf:bench-tgt/1

echo "== filling the LUs with the same random data"
head -c $((size_mib << 20)) /dev/urandom >"$WORK/data.raw"
in_ns "$NS_I" qemu-img convert -n -f raw -O raw "$WORK/data.raw" "$URL_A"
in_ns "$NS_I" qemu-img convert -n -f raw -O raw "$WORK/data.raw" "$tgt_url"
rm -f "$WORK/data.raw"

perf_iops() {  # URL [QD]: 4 KiB random read (QD32 unless given), iscsi-perf's average
  in_ns "$NS_I" timeout $((secs + 20)) iscsi-perf -m "${2:-32}" -b 8 -r -t "$secs" "$1" 2>&1 |
    tr '\r' '\n' | awk '/^iops average/ {v=$3} END {print v+0}'
}
qemu_rate() {  # URL COUNT [-w]: 4 KiB QD32 operations per second
  local out
  out=$(in_ns "$NS_I" qemu-img bench -f raw -d 32 -s 4096 -c "$2" ${3:-} "$1" 2>&1)
  awk -v n="$2" '/Run completed in/ {print n / $4}' <<<"$out"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
declare -A r
# measure NAME COMMAND...: appends one run's figure to r[NAME].
measure() {
  local name=$1
  shift
  r[$name]="${r[$name]:-} $("$@")"
}
for round in $(seq "$rounds"); do
  echo "== round $round of $rounds: iscsi-perf 4 KiB random read QD32 and QD128 (${secs} s each)"
  measure rd_direct perf_iops "$URL_A"
  measure rd_proxy perf_iops "$URL_B"
  measure rd_tgt perf_iops "$tgt_url"
  # A deeper queue lets the proxy service carry more commands per door call.
  measure rd128_direct perf_iops "$URL_A" 128
  measure rd128_proxy perf_iops "$URL_B" 128
  measure rd128_tgt perf_iops "$tgt_url" 128
  echo "== round $round of $rounds: qemu-img bench 4 KiB write QD32"
  measure wr_direct qemu_rate "$URL_A" 100000 -w
  measure wr_proxy qemu_rate "$URL_B" 100000 -w
  measure wr_tgt qemu_rate "$tgt_url" 100000 -w
done
for k in "${!r[@]}"; do r[$k]=$(median <<<"${r[$k]}"); done

echo
printf '%-34s %10s %10s %10s %9s %9s\n' "benchmark (IOPS)" "direct" "proxied" "tgtd" \
  "prox/dir" "dir/tgtd"
row() {
  awk -v l="$1" -v d="$2" -v p="$3" -v t="$4" 'BEGIN {
    printf "%-34s %9.1fk %9.1fk %9.1fk %8.0f%% %8.2fx\n", l, d / 1000, p / 1000, t / 1000,
      (d > 0 ? p / d * 100 : 0), (t > 0 ? d / t : 0) }'
}
row "4 KiB random read QD32" "${r[rd_direct]}" "${r[rd_proxy]}" "${r[rd_tgt]}"
row "4 KiB random read QD128" "${r[rd128_direct]}" "${r[rd128_proxy]}" "${r[rd128_tgt]}"
row "4 KiB write QD32" "${r[wr_direct]}" "${r[wr_proxy]}" "${r[wr_tgt]}"
echo "stmfd and stmfproxy on CPUs ${cpus:-any} (CPUS=$cpus); tgtd on any"
echo "goal: the proxied path reaches at least 50% of the direct path"
