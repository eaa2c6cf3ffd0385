import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../../shared/api/errors';
import init from './0010-init';
import annotations from './0020-annotations';
import verify from './0030-verify';
import indexLinks from './0040-index-links';
import annotationOwner from './0050-annotation-owner';
import recordsFlagCheck from './0060-records-flag-check';
import downloads from './0070-downloads';
import jobLeases from './0080-job-leases';
import downloadsPlace from './0090-downloads-place';
import search from './0100-search';
import m3itTasks from './0110-m3it-tasks';
import fileHashes from './0120-file-hashes';
import relink from './0130-relink';
import clipPlan from './0140-clip-plan';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

/** Ordered by version, in steps of 10 so a fix can slot in between two released steps. */
export const migrations: readonly Migration[] = [
  { version: 10, name: 'init', up: init },
  { version: 20, name: 'annotations', up: annotations },
  { version: 30, name: 'verify', up: verify },
  { version: 40, name: 'index-links', up: indexLinks },
  { version: 50, name: 'annotation-owner', up: annotationOwner },
  { version: 60, name: 'records-flag-check', up: recordsFlagCheck },
  { version: 70, name: 'downloads', up: downloads },
  { version: 80, name: 'job-leases', up: jobLeases },
  { version: 90, name: 'downloads-place', up: downloadsPlace },
  { version: 100, name: 'search', up: search },
  { version: 110, name: 'm3it-tasks', up: m3itTasks },
  { version: 120, name: 'file-hashes', up: fileHashes },
  { version: 130, name: 'relink', up: relink },
  { version: 140, name: 'clip-plan', up: clipPlan },
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;

export function assertMigrationOrder(list: readonly Migration[]): void {
  for (let i = 1; i < list.length; i++) {
    const previous = list[i - 1];
    const current = list[i];
    if (previous && current && current.version <= previous.version) {
      throw new Error(`migration ${current.version}-${current.name} does not come after ${previous.version}-${previous.name}`);
    }
  }
}

/** Runs every pending step in one transaction; a database from a newer app version is refused, never touched. */
export function migrate(db: Database, file: string, list: readonly Migration[] = migrations): number {
  assertMigrationOrder(list);
  const latest = list.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new ApiError(
      'LIBRARY_TOO_NEW',
      `${file} was written by a newer VC2 Media Manager (schema ${current}, this app knows up to ${latest}). Update the app to open this library; the file was not changed.`,
    );
  }
  const pending = list.filter((m) => m.version > current);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const step of pending) {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }
  }).immediate();
  return latest;
}
