import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, importsOf } from './source-files';

const code = (...roots: string[]) => filesUnder(...roots).filter((f) => /\.tsx?$/.test(f));

/** Where a relative import lands, as a repository path ('shared/api/contract'), or the bare package name. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? normalize(join(dirname(file), spec)) : spec;
}

function violations(files: string[], forbidden: (target: string, spec: string) => boolean): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter((spec) => forbidden(target(file, spec), spec))
      .map((spec) => `${file} imports ${spec}`),
  );
}

describe('process boundaries', () => {
  it('only main/electron imports electron (services and the engine run in plain Node)', () => {
    const outside = code('main').filter((f) => !f.startsWith('main/electron/'));
    expect(violations(outside, (t) => t === 'electron')).toEqual([]);
  });

  it('shared imports neither Node nor any app folder, and never reads process', () => {
    const files = code('shared');
    expect(violations(files, (t, spec) => spec.startsWith('node:') || /^(main|renderer|preload|tests)\//.test(t))).toEqual([]);
    expect(files.filter((f) => /\bprocess\./.test(readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('renderer never imports main, preload or Node built-ins', () => {
    expect(violations(code('renderer'), (t, spec) => spec.startsWith('node:') || /^(main|preload)\//.test(t))).toEqual([]);
  });

  it('preload imports only shared/api and electron', () => {
    expect(violations(code('preload'), (t) => !(t === 'electron' || t.startsWith('shared/api/')))).toEqual([]);
  });

  it('only the renderer transport touches window.vc2', () => {
    const touching = code('renderer').filter((f) => /window\.vc2|'vc2' in window/.test(readFileSync(f, 'utf8')));
    expect(touching.every((f) => f.startsWith('renderer/transport/'))).toBe(true);
  });
});
