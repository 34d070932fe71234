#!/usr/bin/env bash
# `make bench`: runs every benchmark of a build and prints their summaries.
# Usage: run-all.sh BUILD_DIR
set -euo pipefail
build=$1
echo "== door_bench: door_call vs AF_UNIX socketpair (medians of 5 runs)"
"$build/bin/door_bench" --benchmark_min_time=0.2
echo
echo "== compare_tgt.sh: stmfd vs tgtd, same machine, same run"
"$(dirname "$0")/compare_tgt.sh" "$build"
echo
echo "== compare_proxy.sh: the ALUA pair's proxied path vs its direct path (and tgtd)"
"$(dirname "$0")/compare_proxy.sh" "$build"
