#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 supports 3.8-3.10; we pin 3.10).
# Order: $PYTHON if set, python3.10 on PATH, pyenv's 3.10 versions, common system paths.
# Exits 1 with instructions when none is found.
set -uo pipefail

is_py310() {
  [ -n "$1" ] && "$1" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1
}

if [ -n "${PYTHON:-}" ]; then
  if is_py310 "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python 3.10 interpreter." >&2
  exit 1
fi

candidates=()
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
# pyenv's python3.10 shim only answers with PYENV_VERSION set, so look at its versions directly.
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
if command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root)"; fi
for dir in $(ls -d "$pyenv_root"/versions/3.10* 2>/dev/null | sort -rV); do
  candidates+=("$dir/bin/python3.10")
done
candidates+=(/usr/local/bin/python3.10 /usr/bin/python3.10 /opt/python3.10/bin/python3.10)

for candidate in "${candidates[@]}"; do
  if is_py310 "$candidate"; then echo "$candidate"; exit 0; fi
done

cat >&2 <<'MSG'
No Python 3.10 interpreter was found (Rasa 3.6 runs on Python 3.8-3.10; this project pins 3.10).
Install one, then run the command again:
  - with pyenv:   pyenv install 3.10
  - on Debian:    apt-get install python3.10 python3.10-venv   (where the release offers it)
Or point to an existing one:  PYTHON=/path/to/python3.10 make run
MSG
exit 1
