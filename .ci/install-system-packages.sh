#!/usr/bin/env bash
# Installs the Debian packages Livedesk needs (the list: system-packages.txt beside this script).
# Runs as part of `npm install` (package.json's postinstall), from `npm run system-deps`, and from
# .ci/run, so a fresh machine needs nothing typed besides `npm install && npm start`.
#   - Installs only what is missing, so a second run takes a moment and needs no privileges.
#   - Installs as root, or through sudo when sudo works without a password prompt (npm install
#     must never hang on a prompt).
#   - Otherwise stops with the exact command to run.
# LIVEDESK_SKIP_SYSTEM_DEPS=1 skips this step (for systems where you provide Chromium and FFmpeg
# yourself; set CHROMIUM_PATH if Chromium is not /usr/bin/chromium).
set -euo pipefail

say() { echo "system packages: $*"; }
fail() { echo "system packages: $*" >&2; exit 1; }

if [ "${LIVEDESK_SKIP_SYSTEM_DEPS:-}" = "1" ]; then
  say "skipped (LIVEDESK_SKIP_SYSTEM_DEPS=1)"
  exit 0
fi

list="$(dirname "$0")/system-packages.txt"
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')

installed() {
  if command -v dpkg-query >/dev/null 2>&1; then
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
  else
    case "$1" in
      chromium) [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] ;;
      ffmpeg) command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 ;;
      fonts-*) command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi "${1#fonts-}" ;;
      *) command -v "$1" >/dev/null 2>&1 ;;
    esac
  fi
}

missing=()
for pkg in "${wanted[@]}"; do
  # A Chromium of the user's own choosing stands in for Debian's.
  if [ "$pkg" = chromium ] && [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then continue; fi
  installed "$pkg" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  say "${wanted[*]} present"
  exit 0
fi

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  fail "missing ${missing[*]}. Install them with your system's package manager (Livedesk needs
  Chromium for its tests, FFmpeg for recordings, a CJK font for Chinese screenshots), or set
  LIVEDESK_SKIP_SYSTEM_DEPS=1 (and CHROMIUM_PATH) if you provide them yourself, then run npm install again."
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  fail "missing ${missing[*]}, and installing them needs root. Run this, then npm install again:
    sudo sh -c '$command'"
fi

say "installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
if ! { "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  fail "could not install ${missing[*]} (see apt-get's message above). Run this, then npm install again:
    sudo sh -c '$command'"
fi
for pkg in "${missing[@]}"; do
  installed "$pkg" || fail "$pkg is still missing after apt-get install"
done
say "installed ${missing[*]}"
