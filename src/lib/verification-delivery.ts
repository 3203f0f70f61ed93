/**
 * Delivers an email verification link. No mail service is assumed (the service runs offline):
 * by default the link is logged as one JSON line for the operator (or a log shipper) to send;
 * with REGISTRATION_WEBHOOK_URL it is POSTed there instead (a mailer, a chat hook), signed like
 * render webhooks, through the outbound guard (public addresses only).
 */
import { AppError, ErrorCode } from './errors.ts';
import { hmacHex } from './ids.ts';
import { fetchOutbound } from './outbound-url.ts';

export interface VerificationMessage {
  user_id: string;
  email: string;
  verify_url: string;
  expires_at: number;
}

export async function deliverVerification(env: Env, msg: VerificationMessage): Promise<'log' | 'webhook'> {
  const hook = env.REGISTRATION_WEBHOOK_URL;
  if (!hook) {
    console.log(JSON.stringify({ level: 'info', msg: 'email verification', ...msg }));
    return 'log';
  }
  const body = JSON.stringify({ event: 'registration.verify_email', data: msg });
  let status = 0;
  try {
    const res = await fetchOutbound('REGISTRATION_WEBHOOK_URL', hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': await hmacHex(env.SIGNING_SECRET, body) },
      body,
      signal: AbortSignal.timeout(15_000),
      allowPrivate: env.ALLOW_PRIVATE_OUTBOUND === '1',
    });
    await res.body?.cancel();
    status = res.status;
  } catch {
    // Refused or unreachable: the operator's log says which; the user learns only that it failed.
  }
  // The link itself is not logged here: with a webhook configured, the log is not the channel.
  console.log(JSON.stringify({ level: 'info', msg: 'email verification sent', user_id: msg.user_id, status }));
  if (status < 200 || status >= 300) {
    throw new AppError(ErrorCode.INTERNAL, 'The verification link could not be sent; try again later');
  }
  return 'webhook';
}
