/**
 * Where things live in R2 and what Workflow instances are called: the storage layout, shared by
 * the features that write it (render, agent) and the Durable Object that deletes it (session
 * deletion, user purge). Kept here, at the bottom, so the DO needs nothing from those features.
 *
 * Everything a user owns lives under `u/<userId>/`, so a user's purge finds it by prefix.
 */
import { sha256Hex } from './ids.ts';

/** Where a render's files live (output, captions, poster, chunk parts). */
export const renderPrefix = (userId: string, renderId: string) => `u/${userId}/renders/${renderId}/`;

/**
 * The Workflow instance id of a render: deterministic from user and render id, so a repeated
 * POST finds the instance the first one created instead of starting a second render.
 * (Render ids are the client's; hashing keeps the instance id within the allowed characters.)
 */
export async function renderInstanceId(userId: string, renderId: string): Promise<string> {
  return `${userId}-${(await sha256Hex(`render:${renderId}`)).slice(0, 32)}`;
}

/** What names a media's analyses: its content hash when it has a usable one, else its id. */
export interface AnalysedMediaRef {
  media_id: string;
  r2_key: string;
  content_hash: string | null;
}

export const analysisCacheId = (media: AnalysedMediaRef) =>
  media.content_hash && /^[A-Za-z0-9_-]{8,}$/.test(media.content_hash) ? media.content_hash : `media-${media.media_id}`;

/**
 * Every language's analysis of this media starts with this (session deletion removes them all).
 * The cache lives beside the upload, under its owner's prefix, so purging a user removes the
 * words of their videos too; the engine's own cache still dedupes across users.
 */
export const analysisPrefix = (media: AnalysedMediaRef) => {
  const owner = /^u\/[^/]+\//.exec(media.r2_key)?.[0] ?? 'shared/';
  return `${owner}analysis/${analysisCacheId(media)}.`;
};
