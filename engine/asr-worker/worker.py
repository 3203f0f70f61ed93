"""The engine's speech worker: faster-whisper (CTranslate2, int8 on the CPU) and Silero voice activity.

The media engine (engine/src/asr/speech-worker.ts) starts one of these per engine and talks to it in
JSON lines over stdin/stdout; stderr is for logs. The model is loaded once at start; requests are
served one at a time, each using every core (CTranslate2's intra-op threads), which is faster than
two half-speed decodes side by side on a 2-core machine.

  -> {"id": 1, "op": "transcribe", "pcm": "/tmp/x.raw", "language": "zh", "script": "simplified",
      "prompt": null, "hotwords": null}
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

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel, __version__ as fw_version
from faster_whisper.vad import VadOptions, get_speech_timestamps

SAMPLE_RATE = 16000

# Whisper writes what it expects to hear next. A prompt full of hesitations keeps "um"/"uh" in the
# English transcript (it drops them by default, which would silently break "remove the ums"). For
# Chinese the plain "what follows is Mandarin" prompt works best: a prompt with fillers and topic
# words leaked into the transcript of unclear audio in our tests.
PROMPTS = {
    "en": "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking.",
    "zh": "以下是普通话的句子。",
}


def letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def echoes(text: str, prompt: str) -> bool:
    """A segment made only of pieces of the prompt (one or repeated), and long enough not to be
    a real "Okay, hmm." (12 UTF-8 bytes: four Han characters, or twelve Latin letters)."""
    t, p = letters(text), letters(prompt)
    if len(t.encode("utf-8")) < 12:
        return False
    i = 0
    while i < len(t):
        n = next((n for n in range(len(t) - i, 1, -1) if t[i : i + n] in p), 0)
        if n == 0:
            return False
        i += n
    return True


def load_pcm(path: str) -> np.ndarray:
    return np.fromfile(path, dtype="<i2").astype(np.float32) / 32768.0


class Worker:
    def __init__(self, model_dir: str, threads: int, beam_size: int) -> None:
        self.model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
        self.beam_size = beam_size
        self._converters = {}

    def convert_script(self, text: str, script: str) -> str:
        """Whisper mixes simplified and traditional characters; a session gets the one it asked for."""
        config = "s2t" if script == "traditional" else "t2s"
        if config not in self._converters:
            from opencc import OpenCC  # loaded on the first Chinese answer only

            self._converters[config] = OpenCC(config)
        return self._converters[config].convert(text)

    def decode(self, audio: np.ndarray, language, prompt, hotwords):
        # Whisper falls back to sampling when a window decodes badly (hard audio only; clear speech
        # decodes by beam search alone). Seeding makes the same audio give the same words.
        ctranslate2.set_random_seed(0)
        segments, info = self.model.transcribe(
            audio,
            language=language,
            beam_size=self.beam_size,
            word_timestamps=True,
            # Skip long silences before decoding: Whisper invents text in room tone otherwise.
            vad_filter=True,
            vad_parameters={"min_silence_duration_ms": 700, "speech_pad_ms": 300},
            # Each window decoded on its own: a misheard phrase cannot start a repetition loop.
            condition_on_previous_text=False,
            initial_prompt=prompt,
            hotwords=hotwords,
        )
        return list(segments), info

    def transcribe(self, req: dict) -> dict:
        audio = load_pcm(req["pcm"])
        language = req.get("language") or None
        primary = language.split("-")[0].lower() if language else None
        prompt = req.get("prompt") or PROMPTS.get(primary or "")
        hotwords = req.get("hotwords") or None
        segments, info = self.decode(audio, primary, prompt, hotwords)
        # On audio it cannot make out, Whisper may read its prompt back as the transcript: then
        # decode again without one (no words is better than the prompt's words as captions).
        if prompt and any(echoes(seg.text, prompt) for seg in segments):
            segments, info = self.decode(audio, primary, None, hotwords)
        chinese = (primary or info.language) in ("zh", "yue")
        words = []
        for seg in segments:
            for w in seg.words or []:
                text = w.word.strip()
                if not text:
                    continue
                if chinese:
                    text = self.convert_script(text, req.get("script") or "simplified")
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
