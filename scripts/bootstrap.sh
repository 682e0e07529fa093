#!/usr/bin/env bash
# Sets up everything the project needs on this machine, idempotently:
#   - .venv with Python 3.10 and the exact pins of requirements.lock, hash-checked (re-installed
#     only when the lock file or the interpreter changed);
#   - with --dev: the test tools of requirements-dev.lock too (pytest, playwright, ruff...);
#   - the project itself, installed in editable mode (gives the `bot` command);
#   - with --browser: Debian's chromium, for the browser tests (Playwright never downloads one),
#     and Debian's nginx, for the tests of the several-instance stack.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1

with_browser=0 with_dev=0
for arg in "$@"; do
  case "$arg" in
    --browser) with_browser=1 ;;
    --dev) with_dev=1 ;;
    *) echo "usage: scripts/bootstrap.sh [--dev] [--browser]" >&2; exit 2 ;;
  esac
done

python="$(scripts/find-python.sh)"

stamp=".venv/.installed-from"
wanted="$("$python" -c 'import sys; print(sys.version)' | head -1) $(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
wanted_dev="$wanted dev $(sha256sum requirements-dev.lock | cut -c1-16)"
installed="$(cat "$stamp" 2>/dev/null || true)"

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
  echo "setup: creating .venv with $python"
  rm -rf .venv
  "$python" -m venv .venv
fi

# pip, minus the machine-wide index warnings some hosts print for every package.
pip_install() {
  .venv/bin/python -m pip install --quiet "$@" 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
  return "${PIPESTATUS[0]}"
}

# The runtime pins are current when the stamp names them (with or without the test tools).
if [ "$installed" != "$wanted" ] && [ "$installed" != "$wanted_dev" ]; then
  echo "setup: installing pinned dependencies (first time: about 2 minutes, 2.7 GB)"
  pip_install 'pip==26.3'   # the same pip everywhere
  pip_install --require-hashes -r requirements.lock
  PYTHONWARNINGS=ignore pip_install --no-deps --no-build-isolation -e .
  .venv/bin/python -m pip check
  echo "$wanted" > "$stamp"
  installed="$wanted"
fi
if [ "$with_dev" = 1 ] && [ "$installed" != "$wanted_dev" ]; then
  echo "setup: installing the pinned test tools"
  pip_install --require-hashes -r requirements.lock -r requirements-dev.lock
  .venv/bin/python -m pip check
  echo "$wanted_dev" > "$stamp"
fi

# Debian packages the tests need, installed as root when missing: chromium (browser tests),
# nginx (the several-instance stack, bot/runtime/nginx.py). `make run` (one Rasa) needs neither.
apt_install() {
  local package="$1" why="$2"
  echo "setup: installing Debian's $package ($why)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  elif sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "setup: $package is missing and this user cannot install it." >&2
    echo "       Ask an administrator to run: apt-get install $package" >&2
    exit 1
  fi
}

if [ "$with_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium "for the browser tests"
fi
if [ "$with_browser" = 1 ] && [ ! -x /usr/sbin/nginx ]; then
  apt_install nginx "for the tests of several Rasa instances behind nginx"
fi
