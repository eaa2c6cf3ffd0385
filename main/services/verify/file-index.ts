import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { LibraryDatabase } from '../library/db';

/**
 * A per-root index of file names for sources whose refs do not say which folder a file is in. Built once, then
 * refreshed by directory mtime: a folder whose mtime did not change is not listed again.
 */
export class FileIndex {
  private readonly stmtDir: Statement;
  private readonly stmtChildren: Statement;
  private readonly stmtPutDir: Statement;
  private readonly stmtDropDirFiles: Statement;
  private readonly stmtDropChildDirs: Statement;
  private readonly stmtPutFile: Statement;
  private readonly stmtByBasename: Statement;
  private readonly stmtByPrefix: Statement;

  constructor(private readonly db: LibraryDatabase) {
    this.stmtDir = db.prepare('SELECT mtime_ms FROM index_dirs WHERE root = ? AND rel_dir = ?').pluck();
    this.stmtChildren = db.prepare('SELECT rel_dir FROM index_dirs WHERE root = ? AND parent = ?').pluck();
    this.stmtPutDir = db.prepare('INSERT OR REPLACE INTO index_dirs (root, rel_dir, parent, mtime_ms) VALUES (?, ?, ?, ?)');
    this.stmtDropDirFiles = db.prepare('DELETE FROM index_files WHERE root = ? AND rel_dir = ?');
    this.stmtDropChildDirs = db.prepare('DELETE FROM index_dirs WHERE root = ? AND parent = ?');
    this.stmtPutFile = db.prepare('INSERT OR REPLACE INTO index_files (root, rel_path, rel_dir, basename) VALUES (?, ?, ?, ?)');
    this.stmtByBasename = db.prepare('SELECT rel_path FROM index_files WHERE root = ? AND basename = ? ORDER BY rel_path').pluck();
    this.stmtByPrefix = db.prepare('SELECT rel_path FROM index_files WHERE root = ? AND basename >= ? AND basename < ? ORDER BY rel_path LIMIT 50').pluck();
  }

  /** Brings the index of `root` up to date; returns how many folders had to be listed. */
  async refresh(root: string, signal?: AbortSignal): Promise<number> {
    let listed = 0;
    const stack: Array<{ rel: string; parent: string | null }> = [{ rel: '', parent: null }];
    while (stack.length > 0) {
      signal?.throwIfAborted();
      const { rel, parent } = stack.pop() as { rel: string; parent: string | null };
      const abs = join(root, rel);
      const info = await stat(abs).catch(() => null);
      if (!info?.isDirectory()) continue;
      const known = this.stmtDir.get(root, rel) as number | undefined;
      if (known === info.mtimeMs) {
        for (const child of this.stmtChildren.all(root, rel) as string[]) stack.push({ rel: child, parent: rel });
        continue;
      }
      listed++;
      const entries: Dirent[] = await readdir(abs, { withFileTypes: true }).catch(() => []);
      const dirs: string[] = [];
      this.db.transaction(() => {
        this.stmtDropDirFiles.run(root, rel);
        this.stmtDropChildDirs.run(root, rel);
        for (const entry of entries) {
          const child = rel === '' ? entry.name : posix.join(rel, entry.name);
          // Folder links are not walked (they may loop or lead out of the root). File links are indexed like files:
          // the resolver follows one only when its target stays inside the root, and reports it as unsafe otherwise.
          if (entry.isDirectory()) dirs.push(child);
          else if (entry.isFile() || entry.isSymbolicLink()) this.stmtPutFile.run(root, child, rel, entry.name);
        }
        this.stmtPutDir.run(root, rel, parent, info.mtimeMs);
      })();
      for (const child of dirs) stack.push({ rel: child, parent: rel });
    }
    return listed;
  }

  byBasename(root: string, name: string): string[] {
    return this.stmtByBasename.all(root, name) as string[];
  }

  /** Files whose name starts with `prefix` (e.g. an 11-character YouTube id). */
  byPrefix(root: string, prefix: string): string[] {
    return this.stmtByPrefix.all(root, prefix, `${prefix}\uffff`) as string[];
  }
}
