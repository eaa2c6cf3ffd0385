import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/fixtures/temp-dir';
import type { LibraryDatabase } from '../library/db';
import { migrate } from '../library/migrations/index';
import { hitsSql, totalSql } from '../search/search-service';
import { ROWS_BY_INDEX_SQL, ROWS_BY_VIEW_SQL, SampleList, viewSliceSql } from './sample-list';

function library() {
  const file = join(tempDir(), 'library.sqlite');
  const db = new Database(file) as LibraryDatabase;
  migrate(db, file);
  new SampleList(
    () => db,
    () => '',
  ).currentFiles(db);
  db.exec('CREATE TEMP TABLE IF NOT EXISTS viewer_view (pos INTEGER PRIMARY KEY, record_id INTEGER NOT NULL)');
  return db;
}

const planOf = (db: LibraryDatabase, sql: string, ...params: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((p) => p.detail).join(' | ');

describe('the list queries', () => {
  it('read a page by (file, index) pairs on records_by_file and each media by its key, never scanning records', () => {
    const db = library();
    const plan = planOf(db, ROWS_BY_INDEX_SQL, '[[1,0]]');
    expect(plan).toMatch(/SEARCH r USING INDEX records_by_file \(file_id=\? AND idx=\?\)/);
    expect(plan).toMatch(/SEARCH m USING (COVERING )?INDEX sqlite_autoindex_media_refs_1 \(source_id=\? AND subdir=\? AND ref=\?\)/);
    expect(plan).toMatch(/SEARCH s USING INTEGER PRIMARY KEY/);
    expect(plan).not.toMatch(/SCAN r\b/);
  });

  it('read a page of a filtered view by position, and build the view a slice of one file at a time', () => {
    const db = library();
    const plan = planOf(db, ROWS_BY_VIEW_SQL, '[1,2]');
    expect(plan).toMatch(/SEARCH v USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(plan).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(plan).not.toMatch(/SCAN (r|v)\b/);
    const slice = planOf(db, viewSliceSql({ status: 'missing', hasSegment: true }), { status: 'missing' }, 1, 0, 10);
    expect(slice).toMatch(/SEARCH r USING INDEX records_by_file \(file_id=\? AND idx>\? AND idx<\?\)/);
  });

  it('search from the full-text index, joining records by rowid', () => {
    const db = library();
    const query = { query: 'kite', from: 0, limit: 50 };
    const hits = planOf(db, hitsSql(query), { match: 'kite', limit: 50, offset: 0 });
    expect(hits).toMatch(/SCAN record_search VIRTUAL TABLE INDEX/);
    expect(hits).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(planOf(db, totalSql(query), { match: 'kite' })).toMatch(/^SCAN record_search VIRTUAL TABLE INDEX \d+:M/);
  });
});
