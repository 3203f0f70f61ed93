/** What a chat turn needs from the outside world; the route wires these to the UserDO, R2, the engine and renders. */

import type { MediaAnalysis, MediaInfo } from '../draft/ops/types.ts';
import type { Draft } from '../draft/schema.ts';
import type { RenderStatusView } from '../render/status-schema.ts';
import type { Proposal } from './dry-run.ts';
import type { Planner } from './planner/types.ts';

export interface MediaRow extends MediaInfo {
  r2_key: string;
  content_hash: string | null;
}

export interface AnalysisAnswer {
  result: MediaAnalysis & { language?: string; asr_provider?: string };
  cached: boolean;
}

export interface RenderHooks {
  start(
    draft: Draft,
    output: { quality?: 'low' | 'medium' | 'high' },
  ): Promise<{ render_id: string; status: string; cost: number }>;
  /** The fields of the poll answer a turn reads. */
  status(
    renderId: string,
  ): Promise<Pick<RenderStatusView, 'render_id' | 'status' | 'progress' | 'url' | 'share_url' | 'error'>>;
}

export interface TurnDeps {
  sessionId: string;
  language: string;
  planner: Planner;
  loadDraft(): Promise<{ draft: Draft; version: number }>;
  listMedia(): Promise<MediaRow[]>;
  /** One transaction; fails (409) when the draft moved past `baseVersion` meanwhile. */
  commit(draft: Draft, op: string, baseVersion: number): Promise<{ version: number }>;
  undo(): Promise<{ draft: Draft; version: number; op: string } | null>;
  redo(): Promise<{ draft: Draft; version: number; op: string } | null>;
  balance(): Promise<{ available: number; frozen: number; total: number }>;
  /** `hotwords`: re-analyse biased toward these words (the session's caption corrections). */
  /** `prefer`: use the analysis biased toward these words when one was made, else the plain one. */
  analyse(
    media: MediaRow,
    opts?: {
      hotwords?: string;
      prefer?: string;
      /** A long file is analysed in parts: called as each finishes. */
      onProgress?: (done: number, total: number) => void | Promise<void>;
    },
  ): Promise<AnalysisAnswer>;
  /** Absent when no render service is wired: export then answers with the REST path to use. */
  render?: RenderHooks;
  appendChat?(entries: { role: 'user' | 'model'; text: string }[]): Promise<void>;
  /** The last dry run's proposal ("ok, do it" applies it); absent: dry runs are not remembered. */
  loadProposal?(): Promise<Proposal | null>;
  saveProposal?(proposal: Proposal | null): Promise<void>;
}

export interface TurnOptions {
  /** docs/api.md: a heartbeat every 10 s while work runs; tests shorten it. */
  heartbeatMs?: number;
  renderPollMs?: number;
  /** How long a chat turn follows a render before handing over the poll URL. */
  renderMaxWaitMs?: number;
}
