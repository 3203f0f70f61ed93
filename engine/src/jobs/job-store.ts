/** In-memory render jobs. Jobs run independently of the HTTP request that started them. */
import { randomUUID } from 'node:crypto';
import type { JobState } from '../../../src/lib/engine-protocol.ts';

/** Finished jobs are forgotten after this long (the Workflow polls well within it). */
const KEEP_FINISHED_MS = 6 * 60 * 60 * 1000;

export interface Job {
  state: JobState;
  abort: AbortController;
  finishedAt?: number;
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();

  create(): Job {
    this.sweep();
    const job: Job = {
      state: { job_id: `job_${randomUUID()}`, status: 'queued', progress: 0 },
      abort: new AbortController(),
    };
    this.jobs.set(job.state.job_id, job);
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Stops a running job; returns false if it already finished. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job) return false;
    if (isFinished(job.state.status)) return false;
    job.state = { ...job.state, status: 'cancelled', error: 'cancelled' };
    job.finishedAt = Date.now();
    job.abort.abort();
    return true;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs)
      if (job.finishedAt && now - job.finishedAt > KEEP_FINISHED_MS) this.jobs.delete(id);
  }
}

export function isFinished(status: JobState['status']): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}
