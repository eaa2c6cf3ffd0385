import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import type { SourceInfo } from '../../../shared/api/models';
import { catalog, sourceById } from '../../../shared/catalog/index';
import { resolveUserPath } from '../../lib/user-path';
import type { LibraryDatabase } from '../library/db';
import type { LibraryService } from '../library/library-service';

/** Where each media source lives: the library's media/<id> folder unless the user pointed it elsewhere. */
export class SourcesService {
  private statements: { db: LibraryDatabase; get: Statement; set: Statement; all: Statement } | null = null;

  constructor(private readonly library: LibraryService) {}

  list(): SourceInfo[] {
    const roots = new Map((this.stmts().all.all() as Array<{ source_id: string; path: string }>).map((r) => [r.source_id, r.path]));
    return catalog.sources.map((source) => this.describe(source.id, roots.get(source.id)));
  }

  setRoot(sourceId: string, rawPath: string): SourceInfo {
    if (!sourceById(sourceId)) {
      throw new ApiError('NOT_FOUND', `unknown source "${sourceId}". Known sources: ${catalog.sources.map((s) => s.id).join(', ')}`);
    }
    const path = resolveUserPath(rawPath, `the folder of ${sourceId}`).path;
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      // reported below
    }
    if (!isFolder) throw new ApiError('NOT_FOUND', `${path} is not an existing folder. Point ${sourceId} at the folder that holds its media.`);
    this.stmts().set.run(sourceId, path);
    return this.describe(sourceId, path);
  }

  /** The folder refs of this source resolve under. */
  root(sourceId: string): string {
    return (this.stmts().get.get(sourceId) as string | undefined) ?? this.defaultRoot(sourceId);
  }

  private describe(sourceId: string, chosen: string | undefined): SourceInfo {
    const source = sourceById(sourceId);
    if (!source) throw new ApiError('NOT_FOUND', `unknown source ${sourceId}`);
    return {
      id: source.id,
      name: source.name,
      homepage: source.homepage,
      licence: source.licence,
      modality: source.modality,
      root: chosen ?? this.defaultRoot(sourceId),
      rootIsDefault: chosen === undefined,
      subsets: catalog.subsets.filter((s) => s.source === sourceId).map((s) => s.id),
    };
  }

  /** <library>/media/<source>: where the app puts a source's media unless the user chose a folder. */
  defaultRoot(sourceId: string): string {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library first');
    return join(info.mediaPath, sourceId);
  }

  private stmts() {
    const db = this.library.database();
    if (this.statements?.db !== db) {
      this.statements = {
        db,
        get: db.prepare('SELECT path FROM source_roots WHERE source_id = ?').pluck(),
        set: db.prepare('INSERT INTO source_roots (source_id, path) VALUES (?, ?) ON CONFLICT (source_id) DO UPDATE SET path = excluded.path'),
        all: db.prepare('SELECT source_id, path FROM source_roots'),
      };
    }
    return this.statements;
  }
}
