/** Helpers shared by the end-to-end tests: the CLI as a child process, ffprobe, SRT parsing. */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './stack.ts';

const exec = promisify(execFile);

export interface Probe {
  format: { duration: string };
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
}

export async function probe(path: string): Promise<Probe> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path]);
  return JSON.parse(stdout) as Probe;
}

export interface Cue {
  startS: number;
  endS: number;
  text: string;
}

export function parseSrt(text: string): Cue[] {
  const t = (s: string) => {
    const [h, m, rest] = s.split(':');
    return Number(h) * 3600 + Number(m) * 60 + Number(rest!.replace(',', '.'));
  };
  const cues: Cue[] = [];
  for (const block of text.replace(/\r/g, '').split(/\n\n+/)) {
    const m = /(\d+:\d+:\d+[,.]\d+)\s*-->\s*(\d+:\d+:\d+[,.]\d+)[^\n]*\n([\s\S]*)/.exec(block);
    if (m) cues.push({ startS: t(m[1]!), endS: t(m[2]!), text: m[3]!.trim() });
  }
  return cues;
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'cli', 'bin.mjs'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
