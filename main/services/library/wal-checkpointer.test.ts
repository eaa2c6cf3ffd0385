import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { LibraryService } from './library-service';

// The checkpoint worker is the bundled one (dist/main/checkpoint-worker.js), as the app runs it.
const bundleDir = resolve('dist/main');
const library = new LibraryService({}, { bundleDir });
afterEach(() => library.close());

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return check();
};

describe('WalCheckpointer', () => {
  it("moves what the engine's connection writes into library.sqlite on its own thread, the connection never checkpointing itself", async () => {
    const root = join(tempDir(), 'lib');
    await library.create(root);
    const db = library.database();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(100_000);
    const file = join(root, 'library.sqlite');
    const before = statSync(file).size;
    db.exec('CREATE TABLE filler (x BLOB)');
    const add = db.prepare('INSERT INTO filler VALUES (randomblob(4000))');
    // ~20 MB in 5,000 pages: far below the connection's own threshold, so only the worker can have copied it.
    db.transaction(() => {
      for (let i = 0; i < 5000; i++) add.run();
    })();
    expect(await until(() => statSync(file).size > before + 15_000_000)).toBe(true);
    // And the whole WAL is through: a checkpoint now has nothing left to copy.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
    expect(result?.checkpointed).toBe(result?.log);
  });

  it('stops with the library; a library closed and reopened gets a new one, and closing twice is harmless', async () => {
    const root = join(tempDir(), 'lib');
    await library.create(root);
    await library.close();
    await library.close();
    await library.open(root);
    expect(library.database().pragma('wal_autocheckpoint', { simple: true })).toBe(100_000);
  });

  it('a checkpoint thread that could not start does not hold up closing the library', async () => {
    const broken = new LibraryService({}, { bundleDir: tempDir() }); // no checkpoint-worker.js there
    try {
      await broken.create(join(tempDir(), 'lib'));
      await new Promise((r) => setTimeout(r, 200));
      const closed = await Promise.race([broken.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 3000))]);
      expect(closed).toBe('closed');
    } finally {
      await broken.close();
    }
  });
});
