/** Probes every input the draft uses once (kind, audio present, duration) before building the graph. */
import type { RenderRequest } from '../../../src/lib/engine-protocol.ts';
import { probeMedia } from '../probe/probe-media.ts';

export interface RenderInput {
  url: string;
  kind: 'video' | 'image' | 'audio';
  hasAudio: boolean;
  durationMs: number | null;
}

export async function probeInputs(
  inputs: RenderRequest['inputs'],
  used: string[],
  signal?: AbortSignal,
): Promise<Map<string, RenderInput>> {
  const entries = await Promise.all(
    used.map(async (id) => {
      const { url, kind } = inputs[id];
      const info = await probeMedia(url, signal).catch((err: Error) => {
        throw new Error(`input ${id} cannot be read: ${err.message}`);
      });
      return [id, { url, kind, hasAudio: info.has_audio, durationMs: info.duration_ms }] as const;
    }),
  );
  return new Map(entries);
}
