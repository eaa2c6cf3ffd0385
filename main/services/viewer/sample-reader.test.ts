import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import { migrate } from '../library/migrations/index';
import { SAMPLE_SQL } from './sample-reader';

describe('the sample query', () => {
  it('finds the record by its file and index, and its media by source, subdir and ref, all on indexes', () => {
    const file = join(tempDir(), 'library.sqlite');
    const db = new Database(file);
    migrate(db, file);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${SAMPLE_SQL}`).all('caption_webvid', 'webvid', '', 5) as Array<{ detail: string }>)
      .map((p) => p.detail)
      .join(' | ');
    expect(plan).toMatch(/SEARCH r USING INDEX records_by_file \(file_id=\? AND idx=\?\)/);
    expect(plan).toMatch(/SEARCH m USING (COVERING )?INDEX sqlite_autoindex_media_refs_1 \(source_id=\? AND subdir=\? AND ref=\?\)/);
    expect(plan).toMatch(/SEARCH s USING INTEGER PRIMARY KEY/);
    expect(plan).not.toMatch(/SCAN r\b/);
    db.close();
  });
});
