/**
 * The long-lived Python speech worker (engine/asr-worker/worker.py): started on first use, model
 * loaded once, JSON lines over stdio, one request at a time (each uses every core). If it dies,
 * the requests in flight fail with a clear SpeechWorkerError and the next request starts a fresh
 * worker; an aborted request kills it (a decode cannot be interrupted otherwise) for the same effect.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SpeechWorkerOptions {
  python: string;
  script: string;
  modelDir: string;
  modelName: string;
  threads: number;
  /** How long loading the model may take before the start counts as failed. */
  startTimeoutMs?: number;
}

export class SpeechWorkerError extends Error {
  override name = 'SpeechWorkerError';
}

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (err: Error) => void;
}

export interface WorkerInfo {
  model: string;
  faster_whisper: string;
  threads: number;
  load_ms: number;
}

export class SpeechWorker {
  private child: ChildProcessWithoutNullStreams | null = null;
  private ready: Promise<WorkerInfo> | null = null;
  private readonly pending = new Map<number, Pending>();
  /** Serialises requests: the worker decodes one at a time, and a queue here keeps aborts local. */
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private stderrTail = '';
  /** Times the worker has been (re)started; tests and /health read it. */
  starts = 0;
  info: WorkerInfo | null = null;

  constructor(private readonly opts: SpeechWorkerOptions) {}

  /** Runs one op; resolves with the worker's answer (without id/ok). */
  request(op: string, payload: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const run = async () => {
      if (signal?.aborted) throw new Error('aborted');
      await this.start();
      const child = this.child;
      if (!child) throw new SpeechWorkerError('the speech worker is not running');
      const id = this.nextId++;
      return await new Promise<Record<string, unknown>>((resolve, reject) => {
        const onAbort = () => {
          this.pending.delete(id);
          reject(new Error('aborted'));
          this.kill(); // the decode in progress cannot be stopped any other way
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const done =
          <T>(fn: (v: T) => void) =>
          (v: T) => {
            signal?.removeEventListener('abort', onAbort);
            fn(v);
          };
        this.pending.set(id, { resolve: done(resolve), reject: done(reject) });
        child.stdin.write(`${JSON.stringify({ id, op, ...payload })}\n`);
      });
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Starts the worker if it is not running; resolves once the model is loaded. */
  start(): Promise<WorkerInfo> {
    this.ready ??= this.spawnWorker();
    return this.ready;
  }

  kill(): void {
    this.child?.kill('SIGKILL');
  }

  /** A request is being served (tests wait for this before killing the worker). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** The running worker's process id (undefined when none runs). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private spawnWorker(): Promise<WorkerInfo> {
    const { python, script, modelDir, modelName, threads } = this.opts;
    this.starts++;
    this.stderrTail = '';
    const child = spawn(python, [script, '--model', modelDir, '--name', modelName, '--threads', String(threads)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Never reach a model hub at run time: the model directory is all there is.
      env: { ...process.env, HF_HUB_OFFLINE: '1', PYTHONUNBUFFERED: '1', OMP_NUM_THREADS: String(threads) },
    });
    this.child = child;
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      this.stderrTail = (this.stderrTail + c).slice(-2000);
    });
    return new Promise<WorkerInfo>((resolve, reject) => {
      const timer = setTimeout(() => {
        fail(new SpeechWorkerError(`the speech worker did not load its model within ${this.startTimeoutMs} ms`));
        child.kill('SIGKILL');
      }, this.startTimeoutMs);
      let started = false;
      const fail = (err: Error) => {
        clearTimeout(timer);
        if (!started) reject(err);
        started = true;
      };
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return; // a stray print from a library; the protocol lines are JSON
        }
        if ('ready' in msg && !started) {
          clearTimeout(timer);
          started = true;
          if (msg.ready === true) {
            this.info = msg as unknown as WorkerInfo;
            resolve(this.info);
          } else reject(new SpeechWorkerError(`the speech worker could not load its model: ${String(msg.error)}`));
          return;
        }
        const waiter = this.pending.get(Number(msg.id));
        if (!waiter) return;
        this.pending.delete(Number(msg.id));
        if (msg.ok === true) {
          const { id: _id, ok: _ok, ...rest } = msg;
          waiter.resolve(rest);
        } else waiter.reject(new SpeechWorkerError(`speech recognition failed: ${String(msg.error)}`));
      });
      child.on('error', (err) => fail(new SpeechWorkerError(`the speech worker could not start: ${err.message}`)));
      child.on('exit', (code, sig) => {
        const why = sig ? `signal ${sig}` : `exit code ${code}`;
        fail(new SpeechWorkerError(`the speech worker stopped while loading (${why}): ${this.stderrTail.trim()}`));
        if (this.child === child) {
          this.child = null;
          this.ready = null; // the next request starts a fresh worker
        }
        for (const [id, waiter] of this.pending) {
          this.pending.delete(id);
          waiter.reject(new SpeechWorkerError(`the speech worker stopped (${why}); it restarts on the next request`));
        }
      });
    });
  }

  private get startTimeoutMs(): number {
    return this.opts.startTimeoutMs ?? 60_000;
  }
}
