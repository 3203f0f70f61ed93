/**
 * What the transcript routes need from storage: the session, its draft, and the cached analysis
 * of every clip on the main track. Clips not analysed yet are listed as pending, with how long
 * their analysis should take, instead of being silently left out.
 */
import { analysisKey } from '../agent/analysis.ts';
import { glossaryHotwords } from '../draft/ops/glossary.ts';
import { mainTrackSources } from '../draft/ops/timeline.ts';
import type { MediaAnalysis } from '../draft/ops/types.ts';
import type { Draft } from '../draft/schema.ts';
import type { MediaRecord } from '../durable/media.ts';
import type { UserClient } from '../durable/user-stub.ts';
import { analysisCostCredits } from '../lib/cost.ts';
import { AnalyseResult } from '../lib/engine-protocol.ts';

/** Whisper base on 2 cores analyses at about 0.1× real time; the estimate errs long. */
const ESTIMATE_RTF = 0.15;
const ESTIMATE_FIXED_MS = 3000;

export interface PendingClip {
  media_id: string;
  name: string;
  /** analysing: started when it was uploaded; needs_request: longer than the free length, analysed on request. */
  status: 'analysing' | 'needs_request';
  estimated_ms: number;
  credits: number;
}

export interface TranscriptSource {
  draft: Draft;
  version: number;
  language: string;
  media: MediaRecord[];
  analysis: Record<string, MediaAnalysis>;
  pending: PendingClip[];
}

export async function loadTranscriptSource(env: Env, user: UserClient, sid: string): Promise<TranscriptSource> {
  const [{ draft, version }, media, session] = await Promise.all([
    user.getDraft(sid),
    user.listMedia(sid),
    user.getSession(sid),
  ]);
  const analysis: Record<string, MediaAnalysis> = {};
  const pending: PendingClip[] = [];
  for (const src of mainTrackSources(draft)) {
    const m = media.find((x) => x.media_id === src);
    if (!m || m.kind === 'image' || m.has_audio === false) continue;
    // The analysis heard with the session's corrections, when "transcribe it again" made one.
    const hotwords = glossaryHotwords(draft.m?.glossary);
    const stored =
      (hotwords ? await env.MEDIA.get(analysisKey(m, session.language, hotwords)) : null) ??
      (await env.MEDIA.get(analysisKey(m, session.language)));
    const parsed = stored ? AnalyseResult.safeParse(await stored.json().catch(() => null)) : null;
    if (parsed?.success) {
      analysis[src] = parsed.data;
      continue;
    }
    const credits = analysisCostCredits(m.duration_ms);
    pending.push({
      media_id: src,
      name: m.name,
      status: credits > 0 ? 'needs_request' : 'analysing',
      estimated_ms: Math.round((m.duration_ms ?? 0) * ESTIMATE_RTF + ESTIMATE_FIXED_MS),
      credits,
    });
  }
  return { draft, version, language: session.language, media, analysis, pending };
}
