#!/usr/bin/env bash
# Fails when any tracked C/C++ file is not clang-format clean (repo .clang-format).
# Usage: check_format.sh SOURCE_DIR
set -u
cd "$1" || exit 1
command -v clang-format >/dev/null || { echo "clang-format not installed"; exit 1; }
files=$(git ls-files '*.h' '*.cc' '*.c' 2>/dev/null)
[ -n "$files" ] || { echo "no tracked sources (not a git checkout?)"; exit 1; }
bad=$(for f in $files; do [ -f "$f" ] && ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1 && echo "$f"; done)
if [ -n "$bad" ]; then
  echo "not clang-format clean (run: make format):"
  echo "$bad"
  exit 1
fi
echo "$(echo "$files" | wc -l) files clang-format clean"
