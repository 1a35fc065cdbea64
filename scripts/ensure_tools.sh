#!/usr/bin/env bash
# Installs what Ascent needs and the machine lacks: uv always; with --test also PostgreSQL, Redis and
# Chromium from Debian packages (as root directly, otherwise through sudo when it is available).
set -euo pipefail

if ! command -v uv >/dev/null 2>&1; then
  echo "==> installing uv"
  # uv is one self-contained binary: a user install is safe even where the system Python is
  # "externally managed" (Debian's PEP 668 guard), hence the fallback flag.
  python3 -m pip install --quiet --user uv 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages uv 2>/dev/null \
    || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi

if [ "${1:-}" = "--test" ]; then
  missing=()
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
