/**
 * Checks a parsed render request beyond its schema; returns the first problem as "field:
 * message". The checks are the Worker's (src/draft/checks.ts): a draft the Worker accepted is
 * refused here only if the request was not made by the Worker.
 */
import { renderProblem } from '../../../src/draft/checks.ts';
import type { RenderRequest } from '../../../src/render/render-request.ts';

export function validateRender(req: RenderRequest): string | null {
  return renderProblem(req.draft, (mediaId) => req.inputs[mediaId]?.kind);
}
