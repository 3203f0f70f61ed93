import { USER_ID_PATTERN } from '../lib/auth.ts';
import { toBase64Url } from '../lib/ids.ts';

/**
 * Share ids must lead to the owner's Durable Object without auth and without a global table,
 * yet should not publish the user id (it appears in bind links). So a share id is the user id
 * (12 bytes) plus 8 random bytes, sealed with AES-GCM under a key derived from SIGNING_SECRET:
 * base64url(iv ‖ ciphertext ‖ tag), 64 characters. Only the Worker can open it; a forged or
 * altered id fails authentication and is answered 404. The owning object then looks the
 * render up by the whole share id, so ids cannot be enumerated.
 */
const IV_BYTES = 12;

async function shareKey(secret: string): Promise<CryptoKey> {
  const raw = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`share-id:${secret}`));
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

export async function makeShareId(secret: string, userId: string): Promise<string> {
  if (!USER_ID_PATTERN.test(userId)) throw new Error(`not a user id: ${userId}`);
  const hex = userId.slice(2);
  const plain = new Uint8Array(20);
  for (let i = 0; i < 12; i++) plain[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  plain.set(crypto.getRandomValues(new Uint8Array(8)), 12);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await shareKey(secret), plain));
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return toBase64Url(out);
}

/** The owner's user id, or null when the id was not made by this deployment. */
export async function userIdFromShareId(secret: string, shareId: string): Promise<string | null> {
  const bytes = shareId.length <= 128 ? fromBase64Url(shareId) : null;
  if (!bytes || bytes.length !== IV_BYTES + 20 + 16) return null;
  try {
    const plain = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytes.slice(0, IV_BYTES) },
        await shareKey(secret),
        bytes.slice(IV_BYTES),
      ),
    );
    let hex = '';
    for (const b of plain.slice(0, 12)) hex += b.toString(16).padStart(2, '0');
    return `u_${hex}`;
  } catch {
    return null;
  }
}
