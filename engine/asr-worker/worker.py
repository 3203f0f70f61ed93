"""The engine's speech worker: faster-whisper (CTranslate2, int8 on the CPU) and Silero voice activity.

The media engine (engine/src/asr/speech-worker.ts) starts one of these per engine and talks to it in
JSON lines over stdin/stdout; stderr is for logs. The model is loaded once at start; requests are
served one at a time, each using every core (CTranslate2's intra-op threads), which is faster than
two half-speed decodes side by side on a 2-core machine.

  -> {"id": 1, "op": "transcribe", "pcm": "/tmp/x.raw", "language": "en", "prompt": null, "hotwords": null}
  <- {"id": 1, "ok": true, "language": "en", "words": [{"w": "Hello,", "s": 120, "e": 480, "p": 0.93}]}
  -> {"id": 2, "op": "vad", "pcm": "/tmp/x.raw", "min_silence_ms": 400, "threshold": 0.5}
  <- {"id": 2, "ok": true, "speech": [{"s": 100, "e": 2300}]}
  <- {"id": 3, "ok": false, "error": "..."}          (a bad request; the worker carries on)

`pcm` is raw s16le, 16 kHz, mono, the format the engine already decodes once per analysis.
Nothing is downloaded: the model directory is local and HF_HUB_OFFLINE is set by the engine.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
from faster_whisper import WhisperModel, __version__ as fw_version
from faster_whisper.vad import VadOptions, get_speech_timestamps

SAMPLE_RATE = 16000

# Whisper writes what it expects to hear next: a prompt full of hesitations keeps "um"/"uh" in the
# transcript (it drops them by default, which would silently break "remove the ums"), and a prompt
# in simplified characters steers Chinese output away from traditional ones.
PROMPTS = {
    "en": "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking.",
    "zh": "嗯，那个，我们今天来聊一聊，就是说，这个视频怎么剪。",
}


def load_pcm(path: str) -> np.ndarray:
    return np.fromfile(path, dtype="<i2").astype(np.float32) / 32768.0


class Worker:
    def __init__(self, model_dir: str, threads: int, beam_size: int) -> None:
        self.model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
        self.beam_size = beam_size
        self._t2s = None

    def to_simplified(self, text: str) -> str:
        if self._t2s is None:
            from opencc import OpenCC  # loaded on first Chinese answer only

            self._t2s = OpenCC("t2s")
        return self._t2s.convert(text)

    def transcribe(self, req: dict) -> dict:
        audio = load_pcm(req["pcm"])
        language = req.get("language") or None
        primary = language.split("-")[0].lower() if language else None
        prompt = req.get("prompt") or PROMPTS.get(primary or "")
        segments, info = self.model.transcribe(
            audio,
            language=primary,
            beam_size=self.beam_size,
            word_timestamps=True,
            # Skip long silences before decoding: Whisper invents text in room tone otherwise.
            vad_filter=True,
            vad_parameters={"min_silence_duration_ms": 700, "speech_pad_ms": 300},
            # Each window decoded on its own: a misheard phrase cannot start a repetition loop.
            condition_on_previous_text=False,
            initial_prompt=prompt,
            hotwords=req.get("hotwords") or None,
        )
        chinese = (primary or info.language) in ("zh", "yue")
        words = []
        for seg in segments:
            for w in seg.words or []:
                text = w.word.strip()
                if not text:
                    continue
                if chinese:
                    text = self.to_simplified(text)
                words.append(
                    {"w": text, "s": round(w.start * 1000), "e": round(w.end * 1000), "p": round(w.probability, 3)}
                )
        return {"language": info.language, "words": words}

    def vad(self, req: dict) -> dict:
        audio = load_pcm(req["pcm"])
        opts = VadOptions(
            threshold=float(req.get("threshold", 0.5)),
            min_speech_duration_ms=int(req.get("min_speech_ms", 100)),
            min_silence_duration_ms=int(req.get("min_silence_ms", 400)),
            # No padding here: the engine decides the margins around every cut.
            speech_pad_ms=0,
        )
        spans = get_speech_timestamps(audio, opts, sampling_rate=SAMPLE_RATE)
        ms = 1000 / SAMPLE_RATE
        return {"speech": [{"s": round(t["start"] * ms), "e": round(t["end"] * ms)} for t in spans]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, help="directory of a CTranslate2 Whisper model")
    parser.add_argument("--name", default="")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--beam-size", type=int, default=5)
    args = parser.parse_args()

    out = sys.stdout
    started = time.monotonic()
    try:
        worker = Worker(args.model, args.threads, args.beam_size)
    except Exception as exc:  # a missing or broken model: say so once, in the protocol, and stop
        out.write(json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n")
        out.flush()
        return 1
    out.write(
        json.dumps(
            {
                "ready": True,
                "model": args.name or os.path.basename(os.path.normpath(args.model)),
                "faster_whisper": fw_version,
                "threads": args.threads,
                "load_ms": round((time.monotonic() - started) * 1000),
            }
        )
        + "\n"
    )
    out.flush()

    for line in sys.stdin:
        if not line.strip():
            continue
        req_id = None
        try:
            req = json.loads(line)
            req_id = req.get("id")
            op = req.get("op")
            if op == "transcribe":
                result = worker.transcribe(req)
            elif op == "vad":
                result = worker.vad(req)
            elif op == "ping":
                result = {}
            else:
                raise ValueError(f"unknown op {op!r}")
            out.write(json.dumps({"id": req_id, "ok": True, **result}, ensure_ascii=False) + "\n")
        except Exception as exc:
            out.write(json.dumps({"id": req_id, "ok": False, "error": f"{type(exc).__name__}: {exc}"}) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
