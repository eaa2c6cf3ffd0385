import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractZip } from '../../main/services/extract/extract-zip';
import { run } from './bench-fixture';

// `npm run bench -- extract`: the app's zip extraction (yauzl: every entry checked before a byte is written, CRC-32
// of each, written under a temporary name and renamed) against Info-ZIP's unzip and libarchive's bsdtar on the
// same 2 GB archive; then the archive as byte-split parts (as YouCook2 ships), read in place by the app, against
// `cat` + `unzip`, with the extra disk each needs.
const MiB = 1024 * 1024;

async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

function makeArchive(folder: string): string {
  const zip = join(folder, 'media.zip');
  // 2,000 files of 1 MiB, deflated as camera files are (they barely shrink): about 2 GB.
  const script = `import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for i in range(2000):
        z.writestr(f'media/{i // 100:03d}/clip_{i:05d}.mp4', os.urandom(1 << 20))`;
  execFileSync('python3', ['-c', script, zip]);
  return zip;
}

const fresh = (path: string) => {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
};

export async function extractBench(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'vc2-bench-extract-'));
  try {
    const zip = makeArchive(work);
    const size = statSync(zip).size;
    const out = join(work, 'out');
    execFileSync('sync');
    const unzip = await timed(() => run('unzip', ['-q', '-o', zip, '-d', fresh(out)], process.env));
    const bsdtar = await timed(() => run('bsdtar', ['-x', '-f', zip, '-C', fresh(out)], process.env));
    const app = await timed(() => extractZip(zip, fresh(out)));
    // Byte-split parts of 500 MiB, as split(1) makes them.
    const parts = fresh(join(work, 'parts'));
    execFileSync('split', ['-b', `${500 * MiB}`, '-a', '2', zip, join(parts, 'media.zip.part')]);
    const names = readdirSync(parts)
      .sort()
      .map((n) => join(parts, n));
    const joined = join(work, 'joined.zip');
    const catUnzip = await timed(async () => {
      await run('sh', ['-c', `cat "${names.join('" "')}" > "${joined}"`], process.env);
      await run('unzip', ['-q', '-o', joined, '-d', fresh(out)], process.env);
    });
    rmSync(joined, { force: true });
    const appParts = await timed(() => extractZip(names, fresh(out)));
    const gb = (s: number) => `${(size / s / 1e9).toFixed(2)} GB/s`;
    console.log('');
    console.log(`extraction of a ${(size / 1e9).toFixed(2)} GB zip (2,000 files)`);
    console.log(`  unzip (Info-ZIP)   ${unzip.toFixed(2)} s  ${gb(unzip)}`);
    console.log(`  bsdtar             ${bsdtar.toFixed(2)} s  ${gb(bsdtar)}`);
    console.log(`  the app            ${app.toFixed(2)} s  ${gb(app)}   ratio ${(unzip / app).toFixed(2)}x unzip's speed (target >= 1.0x)`);
    console.log(`byte-split into ${names.length} parts`);
    console.log(`  cat + unzip        ${catUnzip.toFixed(2)} s, extra disk ${(size / 1e9).toFixed(2)} GB (the joined copy)`);
    console.log(`  the app            ${appParts.toFixed(2)} s, extra disk 0 GB (parts read in place)   ratio ${(catUnzip / appParts).toFixed(2)}x`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
