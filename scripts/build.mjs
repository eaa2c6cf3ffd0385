// Bundles the main-process entries with esbuild and the renderer with Vite into dist/.
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const only = process.argv.includes('--main-only') ? 'main' : 'all';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  define: { __VC2_VERSION__: JSON.stringify(version) },
};

await rm(join(root, 'dist', 'main'), { recursive: true, force: true });
await Promise.all([
  esbuild({
    ...common,
    format: 'esm',
    // Native and npm packages stay in node_modules (electron-builder ships them; better-sqlite3 must stay unpacked).
    packages: 'external',
    entryPoints: {
      'electron-app': join(root, 'main/electron/app.ts'),
      'engine-worker': join(root, 'main/engine/worker.ts'),
      'ingest-worker': join(root, 'main/services/annotations/ingest-worker.ts'),
      'checkpoint-worker': join(root, 'main/services/library/checkpoint-worker.ts'),
      'media-worker': join(root, 'main/services/downloads/media-worker.ts'),
      'search-worker': join(root, 'main/services/search/search-worker.ts'),
      'web-host': join(root, 'main/web-host/entry.ts'),
      start: join(root, 'main/start.ts'),
      vc2m: join(root, 'main/cli/vc2m.ts'),
    },
    outdir: join(root, 'dist/main'),
  }),
  esbuild({
    ...common,
    // Sandboxed preloads cannot load ES modules or require npm packages: one self-contained CommonJS file.
    format: 'cjs',
    external: ['electron'],
    entryPoints: [join(root, 'preload/index.ts')],
    outfile: join(root, 'dist/preload/index.cjs'),
  }),
]);

if (process.argv.includes('--bench')) {
  await esbuild({
    ...common,
    format: 'esm',
    packages: 'external',
    entryPoints: {
      'run-bench': join(root, 'tests/bench/run-bench.ts'),
      'ingest-child': join(root, 'tests/bench/ingest-child.ts'),
      'bench-file-server': join(root, 'tests/bench/bench-file-server.ts'),
    },
    outdir: join(root, 'dist/bench'),
  });
  // The benchmark's engine starts its workers from its own folder.
  await esbuild({
    ...common,
    format: 'esm',
    packages: 'external',
    entryPoints: {
      'ingest-worker': join(root, 'main/services/annotations/ingest-worker.ts'),
      'checkpoint-worker': join(root, 'main/services/library/checkpoint-worker.ts'),
      'search-worker': join(root, 'main/services/search/search-worker.ts'),
    },
    outdir: join(root, 'dist/bench'),
  });
}

if (only === 'all') {
  await vite({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  // ffmpeg.wasm's core (the clip cutter where there is no ffmpeg) is served by the app itself, never from a CDN.
  const core = join(root, 'node_modules/@ffmpeg/core/dist/esm');
  await mkdir(join(root, 'dist/renderer/ffmpeg-core'), { recursive: true });
  for (const name of ['ffmpeg-core.js', 'ffmpeg-core.wasm']) await copyFile(join(core, name), join(root, 'dist/renderer/ffmpeg-core', name));
}
console.log(`built dist/ (version ${version})`);
