/**
 * Limits on JSON bodies, checked on the raw text before JSON.parse: a 5 MB or 100k-deep "draft"
 * is not a draft, and parsing it (then walking it with zod) costs the Worker far more than it
 * costs the sender.
 */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 32;

/** Deepest nesting of objects/arrays in `text` (strings skipped), stopping early past `limit`. */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) {
      if (++depth > limit) return true;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return false;
}
