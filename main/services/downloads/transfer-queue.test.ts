import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import type { TaskWorker } from '../../lib/worker-tasks';
import type { JobContext } from '../jobs/job-runner';
import type { LibraryDatabase } from '../library/db';
import { migrate } from '../library/migrations/index';
import { DownloadLedger } from './download-ledger';
import type { MediaTasks } from './media-tasks';
import { PER_HOST, TransferProgress, transferAll } from './transfer-queue';

/** A real ledger, a worker that only records what it was asked (each transfer takes a few ms), and the limits. */
async function run(urls: string[], limit: number) {
  const file = join(tempDir(), 'library.sqlite');
  const db = new Database(file);
  migrate(db, file);
  const ledger = new DownloadLedger(db as unknown as LibraryDatabase);
  ledger.plan(urls.map((url, i) => ({ sourceId: 'kinetics', url, target: `part_${i}.tar.gz`, expectedSize: null, sizeIsExact: false, expectedSha256: null })));
  const asked: Array<{ url: string; connections: number }> = [];
  const perHost = new Map<string, number>();
  let mostToOneHost = 0;
  let mostConnections = 0;
  let connections = 0;
  const worker = {
    run: async (_task: 'fetch', input: { url: string; connections: number }) => {
      const host = new URL(input.url).host;
      asked.push({ url: input.url, connections: input.connections });
      perHost.set(host, (perHost.get(host) ?? 0) + input.connections);
      connections += input.connections;
      mostToOneHost = Math.max(mostToOneHost, perHost.get(host) ?? 0);
      mostConnections = Math.max(mostConnections, connections);
      await new Promise((r) => setTimeout(r, 5));
      perHost.set(host, (perHost.get(host) ?? 0) - input.connections);
      connections -= input.connections;
      return { bytes: 1, sha256: 'x', etag: null, lastModified: null, attempts: 1, received: 1, status: 200 };
    },
  } as unknown as TaskWorker<MediaTasks>;
  const context = { jobId: 1, signal: new AbortController().signal, report: () => undefined } as unknown as JobContext;
  const rows = ledger.forSources(['kinetics']);
  const outcome = await transferAll({
    worker,
    ledger,
    rows,
    context,
    limit,
    progress: new TransferProgress(context, 0, rows.length, 0),
    targetOf: (r) => `/tmp/${r.target}`,
    urlOf: (r) => r.url,
    headersFor: () => ({}),
    bandwidth: async () => null,
  });
  db.close();
  return { asked, mostToOneHost, mostConnections, outcome };
}

const on = (host: string, n: number) => Array.from({ length: n }, (_, i) => `http://${host}/part_${i}.tar.gz`);

describe('transferAll: connections, not files, are what the limits count', () => {
  it('one file left gets every connection the limit allows (split into ranges), up to the per-host limit', async () => {
    expect((await run(on('a.example', 1), 4)).asked).toEqual([{ url: 'http://a.example/part_0.tar.gz', connections: 4 }]);
    expect((await run(on('a.example', 1), 16)).asked[0]?.connections).toBe(PER_HOST);
  });

  it('as many files as connections: one each; never more than the limit at once, nor more than PER_HOST to one host', async () => {
    const even = await run([...on('a.example', 2), ...on('b.example', 2)], 4);
    expect(even.asked.map((a) => a.connections)).toEqual([1, 1, 1, 1]);
    const crowd = await run(on('a.example', 10), 8);
    expect(crowd.mostToOneHost).toBeLessThanOrEqual(PER_HOST);
    const mixed = await run([...on('a.example', 1), ...on('b.example', 1)], 8);
    expect(mixed.asked.map((a) => a.connections)).toEqual([4, 4]);
    expect(mixed.mostConnections).toBeLessThanOrEqual(8);
    expect(mixed.outcome).toEqual({ failures: [], diskFull: null });
  });
});
