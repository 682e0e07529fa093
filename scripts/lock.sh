#!/usr/bin/env bash
# Re-resolves requirements.in and requirements-dev.in in a scratch virtualenv and writes the
# exact pins of the whole tree, each with the sha256 of the files pip installs, to
# requirements.lock (what the assistant runs on) and requirements-dev.lock (the test tools and
# what only they need). Run it after changing either .in file. The hashes are of this
# platform's files (Linux x86_64, CPython 3.10 wheels, or the sdist).
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(scripts/find-python.sh)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$python" -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install --quiet --upgrade pip
"$scratch/venv/bin/pip" install --quiet -r requirements.in -r requirements-dev.in
"$scratch/venv/bin/pip" freeze --all --exclude-editable | grep -vE '^pip==' > "$scratch/pins.txt"
"$scratch/venv/bin/pip" download --quiet --no-deps -r "$scratch/pins.txt" -d "$scratch/files"
"$scratch/venv/bin/python" scripts/write_locks.py "$scratch/pins.txt" "$scratch/files"
