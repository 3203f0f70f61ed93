/** The planner interface: a chat message in, edit-operation calls (or a question) out. */
import type { MediaInfo } from '../../draft/ops/types.ts';
import type { Draft } from '../../draft/schema.ts';

export interface PlanCall {
  name: string;
  args: Record<string, unknown>;
}

export interface Plan {
  calls: PlanCall[];
  /** Asked instead of acting: an unclear request changes nothing. */
  clarify?: string;
  /** Things said to the user alongside the calls (e.g. "those clips are already on the timeline"). */
  notes?: string[];
  /** "What would you cut?": run the edits on a copy and describe them; change nothing. */
  dryRun?: boolean;
  /** "ok, do it": these calls are the proposal computed on this draft version (agent/dry-run.ts). */
  confirms?: number;
}

export interface PlanInput {
  text: string;
  /** Session language (BCP-47); replies use it. */
  language: string;
  draft: Draft;
  media: readonly MediaInfo[];
  /** The edits a previous dry run proposed, if any. */
  proposal?: { calls: PlanCall[]; version: number } | null;
}

export interface Planner {
  readonly name: string;
  plan(input: PlanInput): Promise<Plan>;
}
