#!/usr/bin/env bash
# Installs the system packages Livedesk's tests and recordings need, from Debian's packages:
#   chromium  - headless browser for the end-to-end tests (driven by playwright-core; no browser
#               download, which would fail on machines that reach only the package registries)
#   ffmpeg    - call recording and ffprobe checks
# Installs only what is missing, so a second run takes a second. Called by README's set-up and
# by .ci/run. Needs root (or sudo) only when something is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
{ command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; } || missing+=(ffmpeg)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: chromium and ffmpeg are present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages: missing ${missing[*]}; install them with your system's package manager" >&2
  echo "(Livedesk expects /usr/bin/chromium, or set CHROMIUM_PATH, and ffmpeg/ffprobe on PATH)" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "system packages: missing ${missing[*]}; run this script as root" >&2
    exit 1
  fi
fi

echo "system packages: installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v chromium >/dev/null && command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null
echo "system packages: installed ${missing[*]}"
