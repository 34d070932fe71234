#!/usr/bin/env bash
# compare_tgt.sh: stmfd against tgtd (Debian `tgt`) on this machine, in one run.
#
# Both targets serve a file-backed LU of the same size, filled with the same random
# data through iSCSI first (so neither reads holes), over 127.0.0.1. The script prints
# each figure for both targets and the ratio stmfd / tgtd, the loopback TCP ceiling
# measured with iperf3 in the same run, and stmfd's peak RSS.
#
# Usage: bench/compare_tgt.sh [BUILD_DIR] [SECONDS_PER_RUN]   (as root; needs tgt, iperf3,
# libiscsi-bin, qemu-utils from deps/debian-packages.txt)
set -euo pipefail
build=${1:-build}
secs=${2:-10}
stmfd_bin=$(cd "$build" && pwd)/bin/stmfd
[ -x "$stmfd_bin" ] || { echo "no stmfd in $build/bin (make build first)" >&2; exit 1; }
for tool in tgtd tgtadm iperf3 iscsi-perf qemu-img; do
  command -v "$tool" >/dev/null || { echo "missing $tool (tools/install-deps.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/openstmf-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}

size_mib=1024
echo "== preparing ${size_mib} MiB of random data"
head -c $((size_mib << 20)) /dev/urandom >"$work/data.raw"

# Two ceilings: iperf3's defaults (128 KiB writes), the figure the project's goal was
# set against, and 1 MiB writes, closer to what the kernel's loopback can carry.
iperf_gbit() {  # extra iperf3 client flags
  local port
  port=$(free_port)
  iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 &
  pids+=($!)
  sleep 0.5
  iperf3 -c 127.0.0.1 -p "$port" -t 5 "$@" -f g 2>/dev/null | awk '/receiver/ {print $(NF-2)}'
}
echo "== loopback TCP ceiling (iperf3, one stream, 5 s each)"
ceiling=$(iperf_gbit)
ceiling_1m=$(iperf_gbit -l 1M)
echo "iperf3: ${ceiling} Gbit/s with default writes, ${ceiling_1m} Gbit/s with 1 MiB writes"

echo "== starting tgtd"
tport=$(free_port)
cport=$((20000 + RANDOM % 20000))
truncate -s $((size_mib << 20)) "$work/tgt.img"
tgtd -f --iscsi portal=127.0.0.1:"$tport" --control-port "$cport" >"$work/tgtd.log" 2>&1 &
pids+=($!)
wait_port "$tport"
tgtadm -C "$cport" --lld iscsi --op new --mode target --tid 1 -T iqn.2026-11.org.openstmf:bench-tgt
tgtadm -C "$cport" --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$work/tgt.img"
tgtadm -C "$cport" --lld iscsi --op bind --mode target --tid 1 -I ALL
tgt_url="iscsi://127.0.0.1:$tport/iqn.2026-11.org.openstmf:bench-tgt/1"

echo "== starting stmfd"
sport=$(free_port)
"$stmfd_bin" --state-dir "$work/state" --run-dir "$work/run" --listen 127.0.0.1:"$sport" \
  --target iqn.2026-11.org.openstmf:bench --lu "$work/stmf.img,size=${size_mib}M" \
  >"$work/stmfd.log" 2>&1 &
stmfd_pid=$!
pids+=($stmfd_pid)
wait_port "$sport"
stmf_url="iscsi://127.0.0.1:$sport/iqn.2026-11.org.openstmf:bench/0"

echo "== filling both LUs with the same data"
qemu-img convert -n -f raw -O raw "$work/data.raw" "$tgt_url"
qemu-img convert -n -f raw -O raw "$work/data.raw" "$stmf_url"
rm -f "$work/data.raw"

# iscsi-perf prints a running line and ends with "iops average N (M MB/s)".
perf_iops() {
  timeout $((secs + 20)) iscsi-perf -m 32 -b 8 -r -t "$secs" "$1" 2>&1 | tr '\r' '\n' |
    awk '/^iops average/ {v=$3} END {print v+0}'
}
# qemu-img bench prints "Run completed in S seconds."; rate = count / S.
qemu_rate() {  # url depth size count [-w]
  local out
  out=$(qemu-img bench -f raw -d "$2" -s "$3" -c "$4" ${5:-} "$1" 2>&1)
  awk -v n="$4" '/Run completed in/ {print n / $4}' <<<"$out"
}

declare -A r
echo "== iscsi-perf -m 32 -b 8 -r (4 KiB random read, ${secs} s each)"
r[perf_tgt]=$(perf_iops "$tgt_url")
r[perf_stmf]=$(perf_iops "$stmf_url")
echo "== qemu-img bench -d 32 -s 4096 (read, write)"
r[q4r_tgt]=$(qemu_rate "$tgt_url" 32 4096 200000)
r[q4r_stmf]=$(qemu_rate "$stmf_url" 32 4096 200000)
r[q4w_tgt]=$(qemu_rate "$tgt_url" 32 4096 200000 -w)
r[q4w_stmf]=$(qemu_rate "$stmf_url" 32 4096 200000 -w)
echo "== qemu-img bench -d 16 -s 131072 (read, write)"
r[q128r_tgt]=$(qemu_rate "$tgt_url" 16 131072 40000)
r[q128r_stmf]=$(qemu_rate "$stmf_url" 16 131072 40000)
r[q128w_tgt]=$(qemu_rate "$tgt_url" 16 131072 20000 -w)
r[q128w_stmf]=$(qemu_rate "$stmf_url" 16 131072 20000 -w)
rss_kib=$(awk '/VmHWM/ {print $2}' /proc/"$stmfd_pid"/status)

echo
printf '%-40s %14s %14s %8s\n' "benchmark" "tgtd" "stmfd" "ratio"
row() {  # label tgt stmf unit-divisor unit
  awk -v l="$1" -v a="$2" -v b="$3" -v d="$4" -v u="$5" 'BEGIN {
    printf "%-40s %12.1f%-2s %12.1f%-2s %7.2fx\n", l, a / d, u, b / d, u, (a > 0 ? b / a : 0) }'
}
row "iscsi-perf 4 KiB random read (IOPS)" "${r[perf_tgt]}" "${r[perf_stmf]}" 1000 k
row "qemu-img 4 KiB read QD32 (IOPS)" "${r[q4r_tgt]}" "${r[q4r_stmf]}" 1000 k
row "qemu-img 4 KiB write QD32 (IOPS)" "${r[q4w_tgt]}" "${r[q4w_stmf]}" 1000 k
row "qemu-img 128 KiB read QD16 (MB/s)" "$(awk -v x="${r[q128r_tgt]}" 'BEGIN{print x*131072/1e6}')" \
  "$(awk -v x="${r[q128r_stmf]}" 'BEGIN{print x*131072/1e6}')" 1 ""
row "qemu-img 128 KiB write QD16 (MB/s)" "$(awk -v x="${r[q128w_tgt]}" 'BEGIN{print x*131072/1e6}')" \
  "$(awk -v x="${r[q128w_stmf]}" 'BEGIN{print x*131072/1e6}')" 1 ""
for c in "$ceiling" "$ceiling_1m"; do
  awk -v c="$c" -v a="${r[q128r_tgt]}" -v b="${r[q128r_stmf]}" 'BEGIN {
    cb = c * 1e9 / 8
    if (cb > 0) printf "128 KiB read vs iperf3 ceiling of %.2f GB/s: tgtd %.0f%%, stmfd %.0f%%\n",
      cb / 1e9, a * 131072 / cb * 100, b * 131072 / cb * 100 }'
done
echo "stmfd peak RSS: $((rss_kib / 1024)) MiB"
