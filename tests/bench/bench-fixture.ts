import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FixtureText, type FixtureTruth, writeAnnotationFixture } from '../fixtures/annotation-fixture';

export const cacheDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', 'bench');

/** The full-scale fixture and its ground truth, written once per text profile and cached (the truth sits outside the tree). */
export async function fullFixture(text: FixtureText = 'mixed'): Promise<{ fixture: string; truth: FixtureTruth }> {
  const name = text === 'mixed' ? 'fixture-full-seed1' : `fixture-full-seed1-${text}`;
  const fixture = join(cacheDir, name);
  const truthFile = join(cacheDir, `${name}.truth.json`);
  if (!existsSync(truthFile)) {
    console.log(`writing the full-scale fixture, ${text} text (once; cached in .cache/bench)…`);
    rmSync(fixture, { recursive: true, force: true });
    mkdirSync(fixture, { recursive: true });
    const truth = await writeAnnotationFixture(fixture, { scale: 'full', seed: 1, text });
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
