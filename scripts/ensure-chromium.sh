#!/usr/bin/env bash
# Installs Debian's Chromium for the /docs browser test when it is missing (CI and new machines start without it).
# Idempotent and quick when present. Playwright's own browser download does not work here, so playwright-core drives
# this system binary (executablePath /usr/bin/chromium).
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo -n"; else
  echo "ensure-chromium: $CHROMIUM is missing and this user cannot install packages; install Debian's chromium" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian chromium (one time)..." >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt (e.g. a parallel session) instead of failing on its lock.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium >&2
"$CHROMIUM" --version >&2
