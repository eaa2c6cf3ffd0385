import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/fixtures/temp-dir';
import { AnnotationStore } from '../../annotations/annotation-store';
import type { LibraryDatabase } from '../db';
import { assertMigrationOrder, LATEST_SCHEMA_VERSION, migrate, migrations } from './index';

describe('migrations', () => {
  it('are numbered in increasing steps', () => {
    expect(() => assertMigrationOrder(migrations)).not.toThrow();
    expect(() => assertMigrationOrder([...migrations, { version: 5, name: 'late', up: () => undefined }])).toThrow(/does not come after/);
  });

  it('0010 creates the job queue, and the runnable-jobs query uses its index', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    db.prepare("INSERT INTO jobs (kind, state, created_at, updated_at) VALUES ('library.measure', 'queued', 1, 1)").run();
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE state = 'queued' AND (retry_after IS NULL OR retry_after <= ?) ORDER BY id LIMIT ?")
      .all(0, 1) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX jobs_by_state/);
    db.close();
  });

  it('runs all pending steps in one transaction: a failing step leaves the database as it was', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    const failing = [
      ...migrations,
      {
        version: LATEST_SCHEMA_VERSION + 10,
        name: 'broken',
        up: (d: Database.Database) => {
          d.exec('CREATE TABLE half_done (x)');
          throw new Error('step failed');
        },
      },
    ];
    expect(() => migrate(db, file, failing)).toThrow(/step failed/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('jobs', 'half_done')").pluck().get()).toBe(0);
    db.close();
  });

  it("0050 keeps every annotation version and marks none as a job's own; a job's clean-up then touches only its own", () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 50),
    );
    const insert = db.prepare(
      `INSERT INTO annotation_files (subset_id, repo_path, sha256, size, origin, state, started_at) VALUES (?, 'x.json', 'aa', 1, 'folder', ?, 1)`,
    );
    insert.run('caption_webvid', 'current');
    insert.run('vqa_webvid_qa', 'ingesting');
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT subset_id, state, job_id FROM annotation_files ORDER BY id').all()).toEqual([
      { subset_id: 'caption_webvid', state: 'current', job_id: null },
      { subset_id: 'vqa_webvid_qa', state: 'ingesting', job_id: null },
    ]);
    const store = new AnnotationStore(db as LibraryDatabase);
    expect(store.abandonUnfinished(7)).toBe(0);
    expect(store.abandonUnfinished()).toBe(1);
    db.close();
  });

  it('0060 keeps every record with its id and flag, keeps the flag rule, and drops the per-row cost of checking it', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 60),
    );
    db.prepare(
      `INSERT INTO annotation_files (id, subset_id, repo_path, sha256, size, origin, state, started_at) VALUES (1, 'caption_webvid', 'x.json', 'aa', 1, 'folder', 'current', 1)`,
    ).run();
    const add = db.prepare(
      'INSERT INTO records (id, file_id, idx, ref, raw_ref, start_s, end_s, flag, rec_offset, rec_length) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    add.run(5, 0, 'a/1.mp4', null, 1.5, 3, null, 1, 10);
    add.run(9, 1, null, '42', null, null, 'bad-ref-type', 11, 20);
    const before = db.prepare('SELECT * FROM records ORDER BY id').all();
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT * FROM records ORDER BY id').all()).toEqual(before);
    // The same rule as before: NULL or one of the known flags.
    expect(() => add.run(10, 2, 'b.mp4', null, null, null, 'made-up', 0, 1)).toThrow(/CHECK constraint/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM records WHERE file_id = ? AND idx >= ? ORDER BY idx').all(1, 0) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX records_by_file/);
    db.close();
  });

  it('0070 adds the download ledger: one row per source and target, known states only, looked up by source through its index', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 70),
    );
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    const add = db.prepare("INSERT INTO downloads (source_id, url, target, state, updated_at) VALUES ('coco', 'http://x/a.zip', 'a.zip', ?, 1)");
    add.run('queued');
    expect(() => add.run('queued')).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO downloads (source_id, url, target, state, updated_at) VALUES ('coco', 'u', 'b.zip', 'half-done', 1)").run()).toThrow(
      /CHECK/,
    );
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM downloads WHERE source_id IN (SELECT value FROM json_each(\'["coco"]\')) ORDER BY id')
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_downloads_1 \(source_id=\?\)/);
    db.close();
  });

  it('0080 keeps every job with its id and state, adds paused and the lease columns, and keeps the runnable query on its index', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 80),
    );
    const add = db.prepare(
      "INSERT INTO jobs (id, kind, params_json, state, attempts, message, created_at, updated_at) VALUES (?, 'media.get', '{\"sources\":[\"coco\"]}', ?, 2, 'm', 5, 6)",
    );
    add.run(3, 'running');
    add.run(8, 'failed');
    const before = db.prepare('SELECT id, kind, params_json, state, attempts, message, created_at, updated_at FROM jobs ORDER BY id').all();
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT id, kind, params_json, state, attempts, message, created_at, updated_at FROM jobs ORDER BY id').all()).toEqual(before);
    expect(db.prepare('SELECT owner, heartbeat_at, control FROM jobs WHERE id = 3').get()).toEqual({ owner: null, heartbeat_at: null, control: null });
    add.run(9, 'paused');
    expect(() => add.run(10, 'sleeping')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE jobs SET control = 'stop' WHERE id = 3").run()).toThrow(/CHECK/);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE state = 'queued' AND (retry_after IS NULL OR retry_after <= ?) ORDER BY id LIMIT ?")
      .all(0, 1) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX jobs_by_state/);
    db.close();
  });

  it('0090 keeps every ledger row as an archive in downloads/, and takes clips placed under the root', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 90),
    );
    db.prepare("INSERT INTO downloads (source_id, url, target, state, bytes, updated_at) VALUES ('coco', 'http://x/a.zip', 'a.zip', 'done', 7, 1)").run();
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT target, state, bytes, place FROM downloads').all()).toEqual([{ target: 'a.zip', state: 'done', bytes: 7, place: 'downloads' }]);
    const add = db.prepare("INSERT INTO downloads (source_id, url, target, state, place, updated_at) VALUES ('webvid', 'http://x/1.mp4', ?, 'queued', ?, 1)");
    add.run('000001_000050/1.mp4', 'root');
    expect(() => add.run('000001_000050/2.mp4', 'elsewhere')).toThrow(/CHECK/);
    db.close();
  });
  it('0100 adds a full-text index holding no copy of the text, folding case and accents, and where each version stands in it', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 100),
    );
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    db.prepare('INSERT INTO record_search (rowid, body, subset, source) VALUES (?, ?, ?, ?)').run(5, 'Un CAFÉ noir', 'k61', 'k62');
    expect(db.prepare('SELECT rowid FROM record_search WHERE record_search MATCH ?').pluck().all('"cafe"')).toEqual([5]);
    // contentless: the text is not kept, and a row can be deleted by rowid alone
    expect(db.prepare('SELECT body FROM record_search WHERE rowid = 5').pluck().get()).toBeNull();
    db.prepare('DELETE FROM record_search WHERE rowid = 5').run();
    expect(db.prepare('SELECT count(*) FROM record_search WHERE record_search MATCH ?').pluck().get('"cafe"')).toBe(0);
    expect(() => db.prepare('INSERT INTO search_files (file_id, complete, updated_at) VALUES (1, 2, 0)').run()).toThrow(/CHECK/);
    db.close();
  });

  it('0110 keeps one row per M3IT task with its findings, and refuses a verdict it does not know', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 110),
    );
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    const add = db.prepare("INSERT OR REPLACE INTO m3it_tasks (task, records, verdict, report, decoded_at) VALUES ('vqa-v2', ?, ?, '{}', 1)");
    add.run(10, 'ok');
    add.run(12, 'mismatch');
    expect(db.prepare('SELECT task, records, verdict FROM m3it_tasks').all()).toEqual([{ task: 'vqa-v2', records: 12, verdict: 'mismatch' }]);
    expect(() => add.run(1, 'probably')).toThrow(/CHECK/);
    db.close();
  });

  it('0120 keeps one sha256 per file path with the size and mtime it was taken at, and refuses one that is not a sha256', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 120),
    );
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    const add = db.prepare('INSERT OR REPLACE INTO file_hashes (path, size, mtime_ms, sha256, hashed_at) VALUES (?, ?, ?, ?, 1)');
    add.run('/m/a.mp4', 10, 5.5, 'a'.repeat(64));
    add.run('/m/a.mp4', 11, 6.5, 'b'.repeat(64));
    expect(db.prepare('SELECT path, size, sha256 FROM file_hashes').all()).toEqual([{ path: '/m/a.mp4', size: 11, sha256: 'b'.repeat(64) }]);
    expect(() => add.run('/m/b.mp4', 1, 1, 'short')).toThrow(/CHECK/);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT size, mtime_ms, sha256 FROM file_hashes WHERE path = ?').all('/m/a.mp4') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/PRIMARY KEY/);
    db.close();
  });

  it('0130 keeps one relink proposal per media ref, refuses a rule or state it does not know, and pages proposals by its index', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 130),
    );
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    const add = db.prepare(
      `INSERT INTO relink_proposals (media_id, source_id, ref, target, rule, candidates, ambiguous, chosen, accepted, state, updated_at)
       VALUES (?, 'coco', 'a.jpg', '/lib/media/coco/a.jpg', ?, '["/share/a.jpg"]', 0, '/share/a.jpg', 1, ?, 1)`,
    );
    add.run(1, 'name', 'proposed');
    expect(() => add.run(1, 'name', 'proposed')).toThrow(/UNIQUE/);
    expect(() => add.run(2, 'guess', 'proposed')).toThrow(/CHECK/);
    expect(() => add.run(3, 'name', 'maybe')).toThrow(/CHECK/);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM relink_proposals WHERE state = 'proposed' AND id > ? ORDER BY id LIMIT 100").all(0) as Array<{
      detail: string;
    }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/relink_by_state/);
    db.close();
  });

  it('0140 keeps one planned clip per source and ref with its state, and refuses a state it does not know', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      migrations.filter((m) => m.version < 140),
    );
    expect(migrate(db, file)).toBe(LATEST_SCHEMA_VERSION);
    const add = db.prepare("INSERT INTO clip_plan (source_id, ref, video, start_s, end_s, state, updated_at) VALUES ('youcook2', ?, 'v', 1, 2, ?, 1)");
    add.run('training/101/v/split_0.mp4', 'planned');
    expect(() => add.run('training/101/v/split_0.mp4', 'planned')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => add.run('training/101/v/split_1.mp4', 'half-cut')).toThrow(/CHECK/);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT ref FROM clip_plan WHERE source_id = ? AND state = 'planned'").all('youcook2') as Array<{
      detail: string;
    }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/PRIMARY KEY|USING/);
    db.close();
  });
});
