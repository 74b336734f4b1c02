#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine (Python 3.11 + package registries),
# then run the quality gate: ruff, mypy and pytest (warnings are errors).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e . --group dev

# The report test opens the HTML in Debian's Chromium with the network blocked
# (a test tool's own browser download cannot work offline).
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing and cannot be installed here: install Debian's chromium package" >&2
  fi
fi

.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/pytest "$@"
