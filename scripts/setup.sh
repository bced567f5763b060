#!/usr/bin/env bash
# scripts/setup.sh — set-up on a fresh Debian 12 machine; safe to run again.
#   bash scripts/setup.sh           Qt libs for offscreen tests + .venv with the project and its test extras
#   bash scripts/setup.sh --gui     + X11/xcb libs (a real window), Xvfb, xauth, imagemagick, x11-apps (screenshots)
#   bash scripts/setup.sh --build   + what PyInstaller needs, and the project's "build" extra
# Adapted from the measured notes in shared/notes/fresh-machine.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_TEST="libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3"
APT_GUI="libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 xvfb xauth x11-apps imagemagick"
APT_BUILD="binutils"
EXTRAS=${EXTRAS:-test}
want=$APT_TEST
for arg in "$@"; do
  case $arg in
    --gui) want="$want $APT_GUI" ;;
    --build) want="$want $APT_BUILD"; EXTRAS="$EXTRAS,build" ;;
    *) echo "usage: $0 [--gui] [--build]" >&2; exit 2 ;;
  esac
done

# A Python >= 3.11 that can make a venv. `python3.12` may be a pyenv shim that only prints an error: run it.
py_ok() { "$1" -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for c in python3.11 python3.12 python3.13 python3; do py_ok "$c" && { PY=$c; break; }; done
fi
if [ -z "$PY" ]; then PY=python3; want="$want python3 python3-venv"; fi   # bookworm's python3 is 3.11
# Debian's own interpreter keeps libpython3.X.so in a separate package; PyInstaller needs it.
if [[ " $* " == *" --build "* ]] && [ "$("$PY" -c 'import sys; print(sys.base_prefix)' 2>/dev/null || echo /usr)" = /usr ]; then
  want="$want libpython$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo 3.11)"
fi

if command -v dpkg-query >/dev/null; then
  missing=""
  for p in $want; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    echo "setup: apt-get install$missing" >&2
    $SUDO apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
  fi
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
# pip takes ~5 s even when nothing changed: skip it while pyproject.toml and the extras are unchanged.
stamp=.venv/.setup-$(echo "$EXTRAS" | tr ',' '-')
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q -e ".[$EXTRAS]"
  touch "$stamp"
fi
echo "setup: ready ($(.venv/bin/python -V), extras: $EXTRAS)" >&2
