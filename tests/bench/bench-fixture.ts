import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FixtureTruth, writeAnnotationFixture } from '../fixtures/annotation-fixture';

export const cacheDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', 'bench');

/** The full-scale fixture and its ground truth, written once and cached (the truth sits outside the tree). */
export async function fullFixture(): Promise<{ fixture: string; truth: FixtureTruth }> {
  const fixture = join(cacheDir, 'fixture-full-seed1');
  const truthFile = join(cacheDir, 'fixture-full-seed1.truth.json');
  if (!existsSync(truthFile)) {
    console.log('writing the full-scale fixture (once; cached in .cache/bench)…');
    rmSync(fixture, { recursive: true, force: true });
    mkdirSync(fixture, { recursive: true });
    const truth = await writeAnnotationFixture(fixture, { scale: 'full', seed: 1 });
    writeFileSync(truthFile, JSON.stringify(truth));
  }
  return { fixture, truth: JSON.parse(readFileSync(truthFile, 'utf8')) as FixtureTruth };
}

/** Runs a command to its end and returns what it printed; fails with its output when it exits non-zero. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, accept: number[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => (code === 0 || accept.includes(code ?? -1) ? resolve(out) : reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`))));
  });
}
