#!/usr/bin/env bash
# Re-resolves requirements.in and requirements-dev.in in a scratch virtualenv and writes the
# exact pins of the whole tree, each with the sha256 of the files pip installs, to
# requirements.lock (what the assistant runs on) and requirements-dev.lock (the test tools and
# what only they need). Run it after changing either .in file. The hashes are of this
# platform's files (Linux x86_64, CPython 3.10 wheels, or the sdist).
# `scripts/lock.sh --keep` resolves with today's pins as constraints: only what a new or changed
# line of the .in files needs is added, every other pin stays as it is.
set -euo pipefail
keep=0
case "${1:-}" in
  --keep) keep=1 ;;
  "") ;;
  *) echo "usage: scripts/lock.sh [--keep]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
python="$(scripts/find-python.sh)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$python" -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install --quiet --upgrade pip
constraints=()
if [ "$keep" = 1 ]; then
  sed -n 's/^\([A-Za-z0-9._-]*==[^ ]*\).*/\1/p' requirements.lock requirements-dev.lock > "$scratch/keep.txt"
  constraints=(-c "$scratch/keep.txt")
fi
"$scratch/venv/bin/pip" install --quiet -r requirements.in -r requirements-dev.in "${constraints[@]}"
"$scratch/venv/bin/pip" freeze --all --exclude-editable | grep -vE '^pip==' > "$scratch/pins.txt"
"$scratch/venv/bin/pip" download --quiet --no-deps -r "$scratch/pins.txt" -d "$scratch/files"
"$scratch/venv/bin/python" scripts/write_locks.py "$scratch/pins.txt" "$scratch/files"
