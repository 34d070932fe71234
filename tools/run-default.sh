#!/usr/bin/env bash
# `make run`: starts stmfd in the foreground on its embedded default — a sparse
# 1 GiB file LU in the state directory (created on first start, reused after),
# exported as iqn.2026-11.org.openstmf:default on 127.0.0.1:3260.
# Usage: run-default.sh BUILD_DIR STATE_DIR RUN_DIR
# The libdoor demo stays available as "$BUILD_DIR/bin/doordemo".
set -euo pipefail
build=$1
state=$2
run=$3
target=iqn.2026-11.org.openstmf:default
portal=127.0.0.1:3260
cat <<EOT
== stmfd: the openstmf target daemon (Ctrl-C stops it)
   state directory: $state   run directory: $run
   LU:  $state/default-lu.img (sparse, 1 GiB)
   URL: iscsi://$portal/$target/0

Try it from another terminal:
  iscsi-ls iscsi://$portal/
  iscsi-inq iscsi://$portal/$target/0
  iscsi-readcapacity16 iscsi://$portal/$target/0
  qemu-img info iscsi://$portal/$target/0

Manage it (the tools find this daemon through $run):
  OPENSTMF_RUN_DIR=$run $build/bin/stmfadm list-lu -v
  OPENSTMF_RUN_DIR=$run $build/bin/itadm list-target -v

EOT
exec "$build/bin/stmfd" --foreground --state-dir "$state" --run-dir "$run" --listen "$portal"
