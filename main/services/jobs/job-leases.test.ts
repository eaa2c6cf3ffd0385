import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { migrate } from '../library/migrations/index';
import { type JobBody, JobRunner } from './job-runner';

/** Two processes on one library, as the app and vc2m are: here two runners, each with its own connection. */
const open: Array<{ runner: JobRunner; db: Database.Database }> = [];
function process(file: string, body: JobBody, options: Partial<ConstructorParameters<typeof JobRunner>[0]> = {}) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrate(db, file);
  const runner = new JobRunner({ kinds: { 'media.get': body }, emit: () => undefined, heartbeatMs: 20, ...options });
  runner.attach(db);
  open.push({ runner, db });
  return runner;
}

afterEach(async () => {
  for (const { runner, db } of open.splice(0)) {
    await runner.detach();
    db.close();
  }
});

/** A body that runs until it is aborted, counting its starts: a download that is never finished. */
function endless() {
  const starts: number[] = [];
  const body: JobBody = (_p, { jobId, signal }) => {
    starts.push(jobId);
    return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  };
  return { starts, body };
}

const until = async (test: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('jobs shared by processes', () => {
  it('pauses a running job where it is and resumes it from there', async () => {
    const file = join(tempDir(), 'library.sqlite');
    let runs = 0;
    const body: JobBody = async (_p, { signal }) => {
      runs++;
      if (runs === 1) await new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      return { status: 'finished', message: `run ${runs}` };
    };
    const runner = process(file, body);
    const job = runner.enqueue('media.get');
    await until(() => runs === 1);
    expect(runner.pause([job.id])[0]?.state).toBe('running');
    expect(await runner.waitForJob(job.id)).toMatchObject({ state: 'paused' });
    expect(runner.resume([job.id])[0]?.state).toBe('running');
    expect(await runner.waitForJob(job.id)).toMatchObject({ state: 'finished', message: 'run 2' });
  });

  it('never runs a job another live process holds, and pauses it there when asked from here', async () => {
    const file = join(tempDir(), 'library.sqlite');
    const app = endless();
    const cli = endless();
    const first = process(file, app.body);
    const job = first.enqueue('media.get');
    await until(() => app.starts.length === 1);
    // A second process opening the library: the job is running, its owner alive; it is left alone.
    const second = process(file, cli.body);
    await new Promise((r) => setTimeout(r, 100));
    expect(cli.starts).toEqual([]);
    expect(second.get(job.id).state).toBe('running');
    // Paused from the second process: the owner sees it on its next heartbeat.
    second.pause([job.id]);
    expect(await second.waitForJob(job.id)).toMatchObject({ state: 'paused' });
    expect(first.get(job.id).state).toBe('paused');
    expect(cli.starts).toEqual([]);
  });

  it('takes over a job whose process died (its pid gone) at once, and one whose heartbeat stopped after the lease', async () => {
    const file = join(tempDir(), 'library.sqlite');
    const seed = new Database(file);
    migrate(seed, file);
    const add = seed.prepare("INSERT INTO jobs (kind, state, owner, heartbeat_at, created_at, updated_at) VALUES ('media.get', 'running', ?, ?, 1, 1)");
    const { hostname } = await import('node:os');
    // A pid far above any pid_max: no such process.
    const dead = Number(add.run(`${hostname()}:99999999:abcd`, Date.now()).lastInsertRowid);
    const silent = Number(add.run('another-host:1:abcd', Date.now()).lastInsertRowid);
    seed.close();
    const { starts, body } = endless();
    process(file, body, { leaseMs: 400 });
    await until(() => starts.includes(dead), 300);
    expect(starts).not.toContain(silent);
    await until(() => starts.includes(silent), 3000);
  });

  it("in 'own' mode (vc2m) runs only the jobs it queued or resumed, never the queue the app serves", async () => {
    const file = join(tempDir(), 'library.sqlite');
    const app = endless();
    const appRunner = process(file, app.body);
    const started = appRunner.enqueue('media.get');
    appRunner.pause([started.id]);
    const waiting = await appRunner.waitForJob(started.id);
    expect(waiting.state).toBe('paused');
    const cli = endless();
    const cliRunner = process(file, cli.body, { claim: 'own' });
    // The app closes; a job queued for it waits for it, whatever vc2m does meanwhile.
    await appRunner.detach();
    const db = new Database(file);
    db.prepare("INSERT INTO jobs (kind, state, created_at, updated_at) VALUES ('media.get', 'queued', 1, 1)").run();
    db.close();
    const mine = cliRunner.enqueue('media.get');
    await until(() => cli.starts.includes(mine.id));
    await new Promise((r) => setTimeout(r, 100));
    expect(cli.starts).toEqual([mine.id]);
    // Resumed from vc2m: it runs here.
    cliRunner.resume([waiting.id]);
    await until(() => cli.starts.includes(waiting.id));
  });

  it('hands its running jobs back to the queue when the library closes, for the next process to take at once', async () => {
    const file = join(tempDir(), 'library.sqlite');
    const a = endless();
    const first = process(file, a.body);
    const job = first.enqueue('media.get');
    await until(() => a.starts.length === 1);
    await first.detach();
    const b = endless();
    process(file, b.body);
    await until(() => b.starts.includes(job.id), 500);
  });
});
