#!/usr/bin/env bash
# qemu-img copies a 64 MiB random image onto the LU and back: byte-identical.
source "$(dirname "$0")/lib.sh"
start_stmfd --lu "$WORK/lu.img,size=128M"
head -c $((64 << 20)) /dev/urandom >"$WORK/in.img"
qemu-img convert -n -f raw -O raw "$WORK/in.img" "$URL"
qemu-img convert -f raw -O raw "$URL" "$WORK/out.img"
cmp -n $((64 << 20)) "$WORK/in.img" "$WORK/out.img"
# The rest of the LU was never written: it reads as zeros.
cmp -i $((64 << 20)) -n $((64 << 20)) "$WORK/out.img" /dev/zero
echo "PASS: 64 MiB round trip byte-identical"
