/** Beyond this we stop reading a body we are refusing and cancel it (a client sending gigabytes). */
const DRAIN_LIMIT_BYTES = 1024 * 1024 * 1024;

/**
 * Reads and discards what is left of a request body before an error answer. Answering while
 * the client is still sending makes `wrangler dev`'s proxy reset the connection (or answer 500),
 * so the client never sees our 413/415. Costs time, not memory. A locked or used body is left alone.
 */
export async function drainBody(request: Request, limitBytes = DRAIN_LIMIT_BYTES): Promise<void> {
  const body = request.body;
  if (!body || body.locked) return;
  const reader = body.getReader();
  let seen = 0;
  try {
    if (limitBytes <= 0) {
      await reader.cancel('refused');
      return;
    }
    while (seen <= limitBytes) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.length;
    }
    await reader.cancel('refused');
  } catch {
    // the client went away: nothing left to drain
  } finally {
    reader.releaseLock();
  }
}

/** A ChunkSource over a stream reader. */
export const readerSource = (reader: ReadableStreamDefaultReader<Uint8Array>) => async () => {
  const { done, value } = await reader.read();
  return done ? null : value;
};
