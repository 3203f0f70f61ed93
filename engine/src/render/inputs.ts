/** Probes every input the draft uses once (kind, audio present, duration) before building the graph. */
import type { RenderRequest } from '../../../src/render/render-request.ts';
import { probe } from '../ffmpeg/run-ffmpeg.ts';
import { PublicError } from '../http/public-error.ts';
import { describeProbe } from '../probe/probe-media.ts';

export interface RenderInput {
  url: string;
  kind: 'video' | 'image' | 'audio';
  hasAudio: boolean;
  durationMs: number | null;
  /** Channels of the first audio stream (a mono voice is copied to both sides, not mixed down 3 dB). */
  audioChannels: number;
}

export async function probeInputs(
  inputs: RenderRequest['inputs'],
  used: string[],
  signal?: AbortSignal,
): Promise<Map<string, RenderInput>> {
  const entries = await Promise.all(
    used.map(async (id) => {
      const { url, kind } = inputs[id];
      const raw = await probe(url, { signal }).catch((err: Error) => {
        if (signal?.aborted) throw err;
        console.warn(`input ${id} probe failed:`, err.message.slice(0, 500));
        throw new PublicError(`input ${id} cannot be read (not a supported audio, video or image format)`);
      });
      const info = describeProbe(raw);
      const audioChannels = raw.streams.find((s) => s.codec_type === 'audio')?.channels ?? 0;
      return [id, { url, kind, hasAudio: info.has_audio, durationMs: info.duration_ms, audioChannels }] as const;
    }),
  );
  return new Map(entries);
}
