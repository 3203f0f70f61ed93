/** The HTTP recognisers against local servers speaking the OpenAI and Workers AI protocols. */
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiRecognizer } from '../src/asr/openai.ts';
import { workersAiRecognizer } from '../src/asr/workers-ai.ts';

interface Seen {
  path: string;
  auth: string | undefined;
  contentType: string;
  body: Buffer;
}
let server: Server;
let base: string;
const seen: Seen[] = [];
const pcm = join(tmpdir(), `asr-http-${process.pid}.raw`);

async function read(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  await writeFile(pcm, Buffer.alloc(16_000 * 2)); // one second of silence
  server = createServer(async (req, res) => {
    const body = await read(req);
    seen.push({
      path: req.url ?? '',
      auth: req.headers.authorization,
      contentType: req.headers['content-type'] ?? '',
      body,
    });
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/audio/transcriptions') {
      res.end(
        JSON.stringify({
          language: 'english',
          text: 'um hello world',
          words: [
            { word: 'um', start: 0.1, end: 0.3 },
            { word: ' hello', start: 0.32, end: 0.6 },
            { word: 'world', start: 0.61, end: 0.95 },
          ],
        }),
      );
    } else if (req.url?.startsWith('/client/v4/accounts/acc1/ai/run/@cf/openai/whisper-large-v3-turbo')) {
      res.end(
        JSON.stringify({
          success: true,
          result: {
            transcription_info: { language: 'zh' },
            text: '嗯 你好',
            segments: [
              {
                start: 0,
                end: 1,
                text: '嗯 你好',
                words: [
                  { word: '嗯', start: 0, end: 0.2 },
                  { word: '你好', start: 0.3, end: 0.8 },
                ],
              },
            ],
          },
        }),
      );
    } else {
      res.statusCode = 401;
      res.end(JSON.stringify({ success: false, errors: [{ message: 'bad token' }] }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('OpenAI-compatible provider', () => {
  it('posts multipart WAV with word timestamps requested and reads verbose_json', async () => {
    const asr = openAiRecognizer({ baseUrl: `${base}/v1`, apiKey: 'sk-test', model: 'whisper-1' });
    const out = await asr.transcribe(pcm, { language: 'en-US' });
    expect(out.language).toBe('en');
    expect(out.words).toEqual([
      { w: 'um', s: 100, e: 300, conf: 1 },
      { w: 'hello', s: 320, e: 600, conf: 1 },
      { w: 'world', s: 610, e: 950, conf: 1 },
    ]);
    const req = seen.at(-1)!;
    expect(req.auth).toBe('Bearer sk-test');
    expect(req.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const text = req.body.toString('latin1');
    for (const field of ['model', 'response_format', 'timestamp_granularities[]', 'language']) {
      expect(text).toContain(`name="${field}"`);
    }
    expect(text).toContain('verbose_json');
    expect(text).toMatch(/name="file"; filename="audio.wav"\r\nContent-Type: audio\/wav\r\n\r\nRIFF/);
    // 44-byte header + one second of 16 kHz 16-bit PCM.
    expect(text).toContain('WAVEfmt ');
  });

  it('reports a failing endpoint', async () => {
    const asr = openAiRecognizer({ baseUrl: `${base}/nope`, apiKey: '', model: 'm' });
    await expect(asr.transcribe(pcm, { language: 'en' })).rejects.toThrow(/answered 401/);
  });
});

describe('Workers AI provider', () => {
  it('posts base64 audio to whisper-large-v3-turbo and flattens segment words', async () => {
    const asr = workersAiRecognizer({ accountId: 'acc1', apiToken: 'cf-token', baseUrl: `${base}/client/v4` });
    const out = await asr.transcribe(pcm, { language: 'zh' });
    expect(out).toEqual({
      language: 'zh',
      words: [
        { w: '嗯', s: 0, e: 200, conf: 1 },
        { w: '你好', s: 300, e: 800, conf: 1 },
      ],
    });
    const req = seen.at(-1)!;
    expect(req.auth).toBe('Bearer cf-token');
    const body = JSON.parse(req.body.toString('utf8'));
    expect(Buffer.from(body.audio, 'base64').subarray(0, 4).toString()).toBe('RIFF');
    expect(body.language).toBe('zh');
    const bad = workersAiRecognizer({ accountId: 'other', apiToken: 'x', baseUrl: `${base}/client/v4` });
    await expect(bad.transcribe(pcm, { language: 'en' })).rejects.toThrow(/bad token/);
  });
});
