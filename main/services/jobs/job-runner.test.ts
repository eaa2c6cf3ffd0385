import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import type { JobSnapshot } from '../../../shared/api/models';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { LibraryService } from '../library/library-service';
import { jobParamSchemas } from './job-params';
import { type JobBody, JobRunner } from './job-runner';

async function setup(body: JobBody, options: { progressIntervalMs?: number } = {}) {
  const events: JobSnapshot[] = [];
  const runner = new JobRunner({ kinds: { 'library.measure': body }, emit: (s) => events.push(s), ...options });
  const library = new LibraryService({ opened: (db) => runner.attach(db), closing: () => runner.detach() });
  const root = join(tempDir(), 'lib');
  await library.create(root);
  return { runner, library, events, root };
}

describe('JobRunner', () => {
  it('runs a job to the end and keeps its final state in the library', async () => {
    const { runner, library, root } = await setup(async (_p, { report }) => {
      report({ done: 1, total: 2 });
      report({ done: 2, total: 2, message: 'all done' });
      return { status: 'finished' };
    });
    const job = runner.enqueue('library.measure');
    const final = await runner.waitForJob(job.id);
    expect(final).toMatchObject({ state: 'finished', attempts: 1 });
    await library.close();
    await library.open(root);
    expect(runner.get(job.id).state).toBe('finished');
    await library.close();
  });

  it('sends at most ten progress events a second per job, and always the final state', async () => {
    const { runner, library, events } = await setup(async (_p, { report }) => {
      const until = Date.now() + 600;
      let done = 0;
      while (Date.now() < until) {
        report({ done: ++done, total: null });
        await new Promise((r) => setImmediate(r));
      }
      return { status: 'finished' };
    });
    const job = runner.enqueue('library.measure');
    await runner.waitForJob(job.id);
    const running = events.filter((e) => e.id === job.id && e.state === 'running');
    const span = Date.parse(running.at(-1)?.updatedAt ?? '') - Date.parse(running[0]?.updatedAt ?? '');
    // 600 ms of reports → at most 7 windows of 100 ms, plus the 'running' state change itself.
    expect(running.length).toBeLessThanOrEqual(8);
    expect(running.length).toBeGreaterThanOrEqual(3);
    expect(span).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ id: job.id, state: 'finished' });
    await library.close();
  });

  it("keeps running, and finishes, while another program holds the library's write lock through its progress reports", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const { runner, library, root } = await setup(async (_p, { report }) => {
      await new Promise((r) => setTimeout(r, 60));
      for (let i = 1; i <= 5; i++) {
        report({ done: i, total: 5 });
        await new Promise((r) => setTimeout(r, 60));
      }
      await held;
      return { status: 'finished' };
    });
    library.database().pragma('busy_timeout = 20');
    // A second connection, as vc2m beside the app would be, keeps a write transaction open: progress rows cannot be
    // written meanwhile. Before, the SQLITE_BUSY thrown from the progress timer ended the whole engine.
    const job = runner.enqueue('library.measure');
    await new Promise((r) => setTimeout(r, 30));
    const other = new Database(join(root, 'library.sqlite'));
    other.prepare('BEGIN IMMEDIATE').run();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await new Promise((r) => setTimeout(r, 400));
      expect(warn.mock.calls.some(([m]) => /progress of job \d+ not saved: database is locked/.test(String(m)))).toBe(true);
      other.prepare('COMMIT').run();
      release();
      expect(await runner.waitForJob(job.id)).toMatchObject({ state: 'finished', done: 5, total: 5 });
    } finally {
      warn.mockRestore();
      if (other.inTransaction) other.prepare('ROLLBACK').run();
      other.close();
      await library.close();
    }
  });

  it('puts a job that was running when the library closed back in the queue and resumes it on open', async () => {
    let runs = 0;
    const { runner, library, root } = await setup(async (_p, { signal }) => {
      runs++;
      if (runs === 1) await new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      return { status: 'finished' };
    });
    const job = runner.enqueue('library.measure');
    await new Promise((r) => setTimeout(r, 20));
    await library.close();
    await library.open(root);
    expect((await runner.waitForJob(job.id)).state).toBe('finished');
    expect(runs).toBe(2);
    await library.close();
  });

  it('cancels a running job through its abort signal', async () => {
    const { runner, library } = await setup(
      (_p, { signal }) => new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
    );
    const job = runner.enqueue('library.measure');
    await new Promise((r) => setTimeout(r, 20));
    runner.cancel([job.id]);
    expect((await runner.waitForJob(job.id)).state).toBe('cancelled');
    await library.close();
  });

  it('retries after a failure with a pause, and waits as long as a rate limit asks', async () => {
    let attempt = 0;
    const { runner, library } = await setup(async () => {
      attempt++;
      if (attempt === 1) return { status: 'rate-limited', pauseMs: 50 };
      return { status: 'finished', message: `finished on attempt ${attempt}` };
    });
    const job = runner.enqueue('library.measure');
    const final = await runner.waitForJob(job.id);
    expect(final).toMatchObject({ state: 'finished', message: 'finished on attempt 2' });
    await library.close();
  });

  it('reports a thrown error with its message and code', async () => {
    const { runner, library } = await setup(async () => {
      throw new Error('disk full while writing /x/y');
    });
    const job = runner.enqueue('library.measure');
    expect(await runner.waitForJob(job.id)).toMatchObject({ state: 'failed', errorCode: 'INTERNAL', message: 'disk full while writing /x/y' });
    await library.close();
  });

  it('shows a finished job as all done, whatever its last throttled report said', async () => {
    const { runner, library } = await setup(async (_p, { report }) => {
      report({ done: 0, total: 60 });
      report({ done: 45, total: 60 });
      return { status: 'finished' };
    });
    const job = runner.enqueue('library.measure');
    expect(await runner.waitForJob(job.id)).toMatchObject({ state: 'finished', done: 60, total: 60 });
    expect(runner.get(job.id)).toMatchObject({ done: 60, total: 60 });
    await library.close();
  });

  it('runs kinds of one exclusive group one at a time, in queue order, while others still run beside them', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const body =
      (name: string): JobBody =>
      async () => {
        log.push(`start ${name}`);
        if (name === 'import') await gate;
        log.push(`end ${name}`);
        return { status: 'finished' };
      };
    const runner = new JobRunner({
      kinds: { 'annotations.import': body('import'), 'annotations.fetch': body('fetch'), 'verify.run': body('verify') },
      exclusive: { 'annotations.import': 'annotations', 'annotations.fetch': 'annotations' },
      maxConcurrent: 3,
      emit: () => undefined,
    });
    const library = new LibraryService({ opened: (db) => runner.attach(db), closing: () => runner.detach() });
    await library.create(join(tempDir(), 'lib'));
    const first = runner.enqueue('annotations.import');
    const second = runner.enqueue('annotations.fetch');
    const other = runner.enqueue('verify.run');
    expect((await runner.waitForJob(other.id)).state).toBe('finished');
    expect(runner.get(second.id).state).toBe('queued');
    release();
    await runner.waitForJob(second.id);
    expect(runner.get(first.id).state).toBe('finished');
    expect(log.indexOf('start fetch')).toBeGreaterThan(log.indexOf('end import'));
    await library.close();
  });

  it("runs each lane to its own limit: a full lane never holds up another lane's jobs queued behind it", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const runner = new JobRunner({
      kinds: {
        'verify.run': async () => {
          await gate;
          return { status: 'finished' };
        },
        'library.measure': async () => ({ status: 'finished' }),
      },
      lanes: { verify: { kinds: ['verify.run'], limit: 1 } },
      maxConcurrent: 1,
      emit: () => undefined,
    });
    const library = new LibraryService({ opened: (db) => runner.attach(db), closing: () => runner.detach() });
    await library.create(join(tempDir(), 'lib'));
    const first = runner.enqueue('verify.run');
    const second = runner.enqueue('verify.run');
    const measure = runner.enqueue('library.measure');
    // The measure, queued after a verify that must wait, still runs in the default lane.
    expect((await runner.waitForJob(measure.id)).state).toBe('finished');
    expect(runner.get(first.id).state).toBe('running');
    expect(runner.get(second.id).state).toBe('queued');
    release();
    expect((await runner.waitForJob(second.id)).state).toBe('finished');
    await library.close();
  });

  it('checks stored parameters when a job is read back, and fails one that does not fit with the reason', async () => {
    let ran = false;
    const runner = new JobRunner({
      kinds: {
        'export.run': async () => {
          ran = true;
          return { status: 'finished' };
        },
      },
      params: jobParamSchemas,
      emit: () => undefined,
    });
    const library = new LibraryService({ opened: (db) => runner.attach(db), closing: () => runner.detach() });
    await library.create(join(tempDir(), 'lib'));
    // As a row written by another version of the app would be: a level this one does not know.
    const job = runner.enqueue('export.run', { path: '/x', level: 'thorough' });
    expect(await runner.waitForJob(job.id)).toMatchObject({
      state: 'failed',
      errorCode: 'VALIDATION_ERROR',
      message: expect.stringMatching(/^job \d+ \(export.run\) has parameters this version cannot run \(level: .*\); start it again/),
    });
    expect(ran).toBe(false);
    await library.close();
  });

  it('refuses to queue work when no library is open', () => {
    const runner = new JobRunner({ kinds: { 'library.measure': async () => ({ status: 'finished' }) }, emit: () => undefined });
    expect(() => runner.enqueue('library.measure')).toThrow(/open or create a library/);
  });
});
