import { Hono } from 'hono';
import { runCleanupCron } from './durable/cleanup-cron.ts';
import type { AppEnv } from './lib/app-env.ts';
import { apiCors } from './lib/cors.ts';
import { errorResponse } from './lib/envelope.ts';
import { ErrorCode } from './lib/errors.ts';
import { onError } from './lib/on-error.ts';
import { requireSecrets } from './lib/secret-guard.ts';
import { adk, adkDocs } from './routes/adk.ts';
import { auth, authDocs } from './routes/auth.ts';
import { blob, blobDocs } from './routes/blob.ts';
import { chat, chatDocs } from './routes/chat.ts';
import { creditDocs, credits } from './routes/credits.ts';
import { health, healthDocs } from './routes/health.ts';
import { openApiRoute } from './routes/openapi.ts';
import { preview, previewDocs } from './routes/preview.ts';
import { register, registerDocs } from './routes/register.ts';
import { render, renderDocs, renderWebhooks } from './routes/render.ts';
import { sessionDocs, sessions } from './routes/sessions.ts';
import { share, shareDocs } from './routes/share.ts';
import { state, stateDocs } from './routes/state.ts';
import { transcript, transcriptDocs } from './routes/transcript.ts';
import { tus, tusDiscovery, tusDocs } from './routes/tus.ts';
import { uploadDocs, uploads } from './routes/uploads.ts';
import { verifyEmail, verifyEmailDocs } from './routes/verify-email.ts';

export { UserDO } from './durable/user-do.ts';
export { EngineContainer } from './engine-container/engine-container.ts';
export { RenderWorkflow } from './render/render-workflow.ts';

const app = new Hono<AppEnv>();

app.use('*', async (c, next) => {
  const requestId = c.req.header('cf-ray') ?? crypto.randomUUID();
  c.set('requestId', requestId);
  await next();
  c.res.headers.set('x-request-id', requestId);
});

app.use('*', requireSecrets);
app.use('/api/upload-video/*', tusDiscovery);
app.use('*', apiCors);
app.route('/health', health);
app.route('/api/auth', auth);
app.route('/', register);
app.route('/', verifyEmail);
app.route('/api', sessions);
app.route('/api/credits', credits);
app.route('/api/state', state);
app.route('/api/transcript', transcript);
app.route('/api/blob', blob);
app.route('/api/render/proxy/lambda', render);
app.route('/api/preview', preview);
app.route('/s', share);
app.route('/api/upload-video', uploads);
app.route('/api/upload-video', tus);
app.route('/', chat);
app.route('/', adk);
app.route(
  '/openapi.json',
  openApiRoute(
    [
      ...healthDocs,
      ...authDocs,
      ...registerDocs,
      ...verifyEmailDocs,
      ...sessionDocs,
      ...creditDocs,
      ...stateDocs,
      ...transcriptDocs,
      ...blobDocs,
      ...uploadDocs,
      ...tusDocs,
      ...renderDocs,
      ...previewDocs,
      ...shareDocs,
      ...chatDocs,
      ...adkDocs,
    ],
    () => app.routes,
    renderWebhooks,
  ),
);

app.notFound((c) =>
  errorResponse(ErrorCode.NOT_FOUND, `No route for ${c.req.method} ${new URL(c.req.url).pathname}: see /openapi.json`),
);
app.onError(onError);

/** Cron (wrangler.toml): revoke expired tokens and purge long-expired users, walking only the cleanup index. */
async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const report = await runCleanupCron(env, controller.scheduledTime);
  console.log(JSON.stringify({ level: 'info', cron: controller.cron, cleanup: report }));
}

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
