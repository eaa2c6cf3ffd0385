import type { Statement } from 'better-sqlite3';
import { type LibraryUsage, LibraryUsageSchema } from '../../../shared/api/models';
import type { LibraryDatabase } from './db';

/** Key/value facts about the library itself (name, creation time, last measured disk usage). */
export class LibraryMeta {
  private readonly stmtGet: Statement;
  private readonly stmtSet: Statement;

  constructor(db: LibraryDatabase) {
    this.stmtGet = db.prepare('SELECT value FROM library_meta WHERE key = ?').pluck();
    this.stmtSet = db.prepare('INSERT INTO library_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  isInitialised(): boolean {
    return this.get('created_at') !== null;
  }

  initialise(name: string): void {
    this.set('name', name);
    this.set('created_at', new Date().toISOString());
  }

  name(): string {
    return this.get('name') ?? 'Library';
  }

  createdAt(): string {
    return this.get('created_at') ?? new Date(0).toISOString();
  }

  usage(): LibraryUsage {
    const raw = this.get('usage_json');
    const parsed = raw ? LibraryUsageSchema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : { measuredAt: null, bytes: 0, files: 0, folders: [] };
  }

  saveUsage(usage: LibraryUsage): void {
    this.set('usage_json', JSON.stringify(usage));
  }

  private get(key: string): string | null {
    return (this.stmtGet.get(key) as string | undefined) ?? null;
  }

  private set(key: string, value: string): void {
    this.stmtSet.run(key, value);
  }
}
