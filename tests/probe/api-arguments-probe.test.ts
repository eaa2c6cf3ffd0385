import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, type MethodName, methodNames } from '../../shared/api/contract';
import { subsetById } from '../../shared/catalog/index';
import { type RunningHost, startHost } from '../fixtures/engine';

// Every API method under hostile arguments generated from its schema (#9): wrong types, extra and prototype keys,
// huge and deep values, NUL and lone surrogates, and OS paths where a path is expected. None may reach INTERNAL
// (an unhandled error) or change what the library holds; the engine answers within a second after each.

let root: string;
let host: RunningHost;
let lib: string;
let before: Record<string, number | null>;

/** A value nested `levels` deep, as JSON text: too deep for JSON.stringify here, not for a client to send. */
class Raw {
  constructor(readonly text: string) {}
}
const deep = (levels: number, key = 'a'): Raw => new Raw(`${`{"${key}":`.repeat(levels)}1${'}'.repeat(levels)}`);
const bodyOf = (args: unknown): string => (args instanceof Raw ? args.text : JSON.stringify(args));

/** Values no schema of ours should take for granted. */
function hostileValues(): unknown[] {
  return [
    'x'.repeat(400_000),
    Array.from({ length: 50_000 }, () => 1),
    '\ud800',
    'a\u0000b',
    -0,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    { toString: 'x', valueOf: 1 },
    JSON.parse('{"__proto__": {"polluted": true}}'),
  ];
}

function hostilePaths(): string[] {
  return ['/proc/self', '/proc/self/fd/0', '/sys/kernel', '/dev/null', '/dev/zero', '/dev/shm/x', '/\ud800', `/${'a'.repeat(4000)}`, 'C:\\x', '\\\\srv\\s'];
}

function hostileArgs(method: MethodName): unknown[] {
  const schema = contract[method].args as z.ZodObject;
  const keys = Object.keys(schema.shape);
  const cases: unknown[] = [
    JSON.parse('{"__proto__": {"isAdmin": true}}'),
    JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
    { __defineGetter__: 1 },
    deep(5_000),
  ];
  for (const key of keys) {
    for (const value of hostileValues()) cases.push({ [key]: value });
    cases.push(new Raw(`{"${key}": ${deep(5_000).text}}`));
    cases.push(JSON.parse(`{"${key}": 1, "__proto__": {"${key}": "/proc/self"}}`));
    if (key === 'path') for (const path of hostilePaths()) cases.push(method === 'sources.setRoot' ? { sourceId: 'webvid', path } : { path });
  }
  return cases;
}

async function records(): Promise<Record<string, number | null>> {
  const { body } = await host.call('annotations.status');
  return Object.fromEntries((body.value as { subsets: Array<{ id: string; records: number | null }> }).subsets.map((s) => [s.id, s.records]));
}

beforeAll(async () => {
  // One folder for the whole file (the per-test temp helper would remove it after the first test).
  root = mkdtempSync(join(tmpdir(), 'vc2-args-'));
  host = await startHost(join(root, 'config'));
  lib = join(root, 'lib');
  await host.call('library.create', { path: lib });
  const dataset = join(root, 'dataset');
  const webvid = subsetById('caption_webvid');
  mkdirSync(join(dataset, 'video/caption/webvid'), { recursive: true });
  writeFileSync(join(dataset, webvid?.annotationPath ?? ''), JSON.stringify([{ video: '1/2.mp4', QA: [{ i: 'Describe.', q: '', a: 'A dog.' }] }]));
  const job = (await host.call('annotations.import', { path: dataset })).body.value as { id: number };
  for (;;) {
    const state = ((await host.call('jobs.get', { id: job.id })).body.value as { state: string }).state;
    if (state === 'finished') break;
    if (state === 'failed') throw new Error('the probe could not import its annotation file');
    await new Promise((r) => setTimeout(r, 20));
  }
  symlinkSync(lib, join(root, 'link-into-library'));
  before = await records();
  expect(before.caption_webvid).toBe(1);
}, 60_000);

afterAll(async () => {
  await host?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('every method under hostile arguments', () => {
  it.each(methodNames)('%s', async (method) => {
    for (const args of hostileArgs(method)) {
      const response = await fetch(`${host.web.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.web.token}` },
        body: bodyOf(args),
      });
      const status = response.status;
      const body = (await response.json()) as { ok: boolean; error?: { code: string; message: string } };
      const shown = bodyOf(args).slice(0, 120);
      expect(status, `${method} ${shown}: ${body.error?.message?.slice(0, 200)}`).not.toBe(500);
      expect(body.error?.code, shown).not.toBe('INTERNAL');
      if (!body.ok) expect(body.error?.message.length, shown).toBeLessThan(2_000);
      // The prototype of plain objects is the engine's too: nothing may have leaked onto it.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    const started = Date.now();
    expect((await host.call('app.info')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(((await host.call('library.current')).body.value as { path: string } | null)?.path).toBe(lib);
    expect(await records()).toEqual(before);
    const db = new Database(join(lib, 'library.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
