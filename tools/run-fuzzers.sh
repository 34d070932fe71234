#!/usr/bin/env bash
# Runs every libFuzzer binary of a fuzz build for a while, starting from its seed
# corpus (tests/fuzz/corpus/<name>/) and writing new inputs to a scratch copy.
# Usage: run-fuzzers.sh BUILD_DIR CORPUS_ROOT SECONDS
set -euo pipefail
build=$1 corpus_root=$2 seconds=$3
shopt -s nullglob
fuzzers=("$build"/bin/fuzz/*)
[ ${#fuzzers[@]} -gt 0 ] || { echo "no fuzzers in $build/bin/fuzz"; exit 1; }
for f in "${fuzzers[@]}"; do
  name=$(basename "$f")
  work=$(mktemp -d)
  cp -r "$corpus_root/${name%_fuzzer}/." "$work/" 2>/dev/null || true
  echo "== $name for ${seconds}s"
  "$f" -max_total_time="$seconds" -print_final_stats=1 "$work"
  rm -rf "$work"
done
