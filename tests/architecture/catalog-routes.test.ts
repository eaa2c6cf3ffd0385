import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/catalog/index';
import type { Route } from '../../shared/catalog/schema';

// Routes are facts from the research, never invented: every URL, repo file, byte count and checksum in them must be
// written in research/sources.md (or its README-quoted copies) as it is here.
const research = readFileSync('../shared/research/sources.md', 'utf8');
const routes = catalog.sources.map((s) => ({ id: s.id, route: s.acquire.route as Route }));
const withCommas = (n: number) => n.toLocaleString('en-US');

describe('media routes (issue 11)', () => {
  it('every source has one, of a known kind', () => {
    const kinds = Object.fromEntries(['hf', 'http', 'per-file-http', 'manual'].map((k) => [k, routes.filter((r) => r.route.kind === k).map((r) => r.id)]));
    expect(routes).toHaveLength(catalog.sources.length);
    expect(kinds).toEqual({
      hf: ['m3it', 'youcook2', 'internvid', 'egoqa'],
      http: ['coco', 'kinetics', 'clevrer'],
      'per-file-http': ['webvid'],
      manual: expect.arrayContaining(['minigpt4', 'textvr', 'ssv2', 'activitynet', 'nextqa', 'tgif']),
    });
  });

  it('takes every URL, repo, file name, exact size and checksum from the research', () => {
    const missing: string[] = [];
    const need = (id: string, fact: string) => {
      if (!research.includes(fact)) missing.push(`${id}: ${fact}`);
    };
    for (const { id, route } of routes) {
      if (route.kind === 'hf') {
        need(id, route.repo);
        if (route.revision) need(id, route.revision);
        for (const file of route.files) {
          for (const part of file.parts) need(id, part.split('/').at(-1) ?? part);
          if (file.size?.exact) need(id, withCommas(file.size.bytes));
        }
        for (const sha of Object.values(route.candidateSha256)) need(id, sha);
      } else if (route.kind === 'http') {
        for (const file of route.files) {
          for (const url of file.parts) need(id, url);
          if (file.size?.exact) need(id, withCommas(file.size.bytes));
          if (file.sha256) need(id, file.sha256);
        }
        // List URLs are written with {split} patterns in the research: the path up to the split must be there.
        for (const list of route.lists) need(id, list.list.replace(/\/train\/.*$/, '/'));
      } else if (route.kind === 'per-file-http') {
        if (route.table.hub) need(id, route.table.hub.repo);
        need(id, route.table.columns.url);
      } else if (route.page) {
        need(id, route.page);
      }
    }
    expect(missing).toEqual([]);
  });

  it('never fails a download on an estimate: only byte counts from the research are exact', () => {
    const exact = routes.flatMap(({ id, route }) =>
      route.kind === 'hf' || route.kind === 'http' ? route.files.filter((f) => f.size?.exact).map((f) => `${id} ${f.size?.bytes}`) : [],
    );
    expect(exact).toEqual(['internvid 17195160452', 'egoqa 3680916665']);
  });

  it('says what is unknown for the sources the research has not looked at, instead of inventing a way', () => {
    for (const { route } of routes.filter((r) => r.route.kind === 'manual' && !r.route.researched)) {
      if (route.kind !== 'manual') continue;
      expect(route.page).toBeNull();
      expect(route.format).toBe('unknown');
      expect(route.steps.join(' ')).toMatch(/has not been researched/);
    }
  });
});
