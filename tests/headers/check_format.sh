#!/usr/bin/env bash
# Fails when any tracked C/C++ file is not clang-format clean (repo .clang-format).
# Usage: check_format.sh SOURCE_DIR
set -u
cd "$1" || exit 1
command -v clang-format >/dev/null || { echo "clang-format not installed"; exit 1; }
mapfile -t files < <(git ls-files '*.h' '*.cc' '*.c' 2>/dev/null)
[ ${#files[@]} -gt 0 ] || { echo "no tracked sources (not a git checkout?)"; exit 1; }
out=$(printf '%s\0' "${files[@]}" | xargs -0 -P "$(nproc)" -n 25 clang-format --dry-run -Werror 2>&1)
if [ -n "$out" ]; then
  echo "not clang-format clean (run: make format):"
  echo "$out" | grep -oE '^[^:]+\.(h|cc|c):' | sort -u | tr -d ':'
  exit 1
fi
echo "${#files[@]} files clang-format clean"
