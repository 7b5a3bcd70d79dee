#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter: PATH first, then pyenv's versions, then
# `uv python install 3.10` where uv can download one. Exit 1 with a message when none is found.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }

for candidate in python3.10 python3 python; do
  path=$(command -v "$candidate" 2>/dev/null || true)
  if [ -n "$path" ] && is_310 "$path"; then echo "$path"; exit 0; fi
done

if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for path in $(ls -d "$root"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r); do
    if is_310 "$path"; then echo "$path"; exit 0; fi
  done
fi

if command -v uv >/dev/null 2>&1; then
  if uv python install 3.10 >&2; then
    path=$(uv python find 3.10)
    if is_310 "$path"; then echo "$path"; exit 0; fi
  fi
fi

echo "No Python 3.10 found (Rasa 3.6 needs 3.8-3.10): install one with pyenv or uv, or put python3.10 on PATH." >&2
exit 1
