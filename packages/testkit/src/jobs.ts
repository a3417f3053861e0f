import { randomUUID } from 'node:crypto';
import { generateToken } from './http-helpers.js';

/** What Buildkite knows about one job. */
export interface FakeJob {
  readonly id: string;
  /** The job's Agent API token (`BUILDKITE_AGENT_ACCESS_TOKEN`). */
  readonly accessToken: string;
  /** Finished jobs refuse promises with 422. */
  finished: boolean;
  /** The first exit status accepted for the job: binding, never replaced. */
  promisedExitStatus: number | undefined;
}

/** The jobs the fake Agent API knows, by id and by access token. */
export class JobRegistry {
  private readonly byId = new Map<string, FakeJob>();
  private readonly byToken = new Map<string, FakeJob>();

  /** Adds a job with a fresh access token. */
  add(jobId: string = randomUUID()): FakeJob {
    if (typeof jobId !== 'string' || jobId === '') {
      throw new TypeError(`Expected \`jobId\` to be a non-empty string, got ${JSON.stringify(jobId)}.`);
    }
    if (this.byId.has(jobId)) throw new Error(`A job with id ${JSON.stringify(jobId)} already exists.`);
    const job: FakeJob = { id: jobId, accessToken: generateToken(), finished: false, promisedExitStatus: undefined };
    this.byId.set(job.id, job);
    this.byToken.set(job.accessToken, job);
    return job;
  }

  /** The job with this id, if any. */
  find(jobId: string): FakeJob | undefined {
    return this.byId.get(jobId);
  }

  /** The job with this id; throws, naming it, when there is none. */
  get(jobId: string): FakeJob {
    const job = this.byId.get(jobId);
    if (job === undefined) throw new Error(`No job with id ${JSON.stringify(jobId)} on this fake Buildkite.`);
    return job;
  }

  /** The job this access token belongs to, if any. */
  findByToken(token: string): FakeJob | undefined {
    return this.byToken.get(token);
  }
}
