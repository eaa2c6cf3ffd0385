import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from '@playwright/test';
import { mapLimit } from '../../main/lib/map-limit';
import type { PlannedClip } from '../../main/services/clips/clip-plan';
import { ACCURATE, type CutMode, cutArgs } from '../../main/services/clips/cut-args';
import { cutSource } from '../../main/services/clips/cut-native';
import { testVideo } from '../fixtures/test-video';
import { CHROMIUM_ARGS, call, startBenchHost, waitForJob } from './bench-engine';

const run = promisify(execFile);

// `npm run bench -- clips`: synthetic 720p H.264 sources (50 × 2 min by default; VC2M_BENCH_CLIP_SOURCES and
// VC2M_BENCH_CLIP_SECONDS make it smaller) with 8 segments each. The app — one ffmpeg per source for all its clips,
// every clip checked, synced and renamed — against the common script, one ffmpeg per clip with the same seek and
// settings and no checks; same run, both modes, as many processes at once as cores. Then ffmpeg.wasm, the real
// app in Chromium through the web host, on VC2M_BENCH_CLIP_WASM_SOURCES sources (1), as a ratio to native.

const SEGMENTS = 8;

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

const verdict = (ratio: number, target: number) => `${ratio.toFixed(2)}× (target ≥ ${target}×) — ${ratio >= target ? 'meets' : 'MISSES'}`;

/** One ffmpeg per clip, as a script would run it: `cutArgs` for that clip alone, no probe, no sync. */
async function scriptPerClip(clips: PlannedClip[], out: string, mode: CutMode, cores: number, seekAfterInput = false): Promise<void> {
  await mapLimit(clips, cores, async (clip) => {
    const target = join(out, clip.ref);
    mkdirSync(dirname(target), { recursive: true });
    // The seek after -i: the clip decodes the video from its start (video2dataset#50's "needs to read the video every time").
    const span = ['-ss', String(clip.start), '-t', String(clip.end - clip.start)];
    const args = seekAfterInput
      ? ['-nostdin', '-v', 'error', '-y', '-i', clip.source as string, ...span, '-map', '0:v:0', '-map', '0:a:0?', ...ACCURATE, target]
      : cutArgs([clip], clip.source as string, [target], mode);
    await run('ffmpeg', args);
  });
}

export async function clipsBench(bundleMainDir: string): Promise<void> {
  const sources = Number(process.env.VC2M_BENCH_CLIP_SOURCES) || 50;
  const seconds = Number(process.env.VC2M_BENCH_CLIP_SECONDS) || 120;
  const wasmSources = Math.min(sources, Number(process.env.VC2M_BENCH_CLIP_WASM_SOURCES ?? 1));
  const work = mkdtempSync(join(tmpdir(), 'vc2-bench-clips-'));
  try {
    const videos: string[] = [];
    const started = performance.now();
    for (let i = 0; i < sources; i++) {
      videos.push(
        testVideo(
          join(work, 'raw', `source_${i}.mp4`),
          seconds,
          ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '250', '-pix_fmt', 'yuv420p'],
          'testsrc2=size=1280x720:rate=25',
        ),
      );
    }
    // The sources' own writeback must not run under the first measurement.
    await run('sync');
    console.log('');
    console.log(`sources   ${sources} × ${seconds} s 720p H.264 (keyframes 10 s apart), made in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    // Eight segments a source, spread over it, 4–9 s each.
    const plans = videos.map((source, i) =>
      Array.from({ length: SEGMENTS }, (_, k): PlannedClip => {
        const start = ((k + 0.3) * seconds) / SEGMENTS;
        return {
          ref: `s${i}/split_${k}.mp4`,
          video: `s${i}`,
          layout: null,
          start,
          end: Math.min(seconds - 0.5, start + 4 + (k % 6)),
          source,
          duration: seconds,
          reason: null,
        };
      }),
    );
    const cores = availableParallelism();
    const native: Partial<Record<CutMode, number>> = {};
    for (const mode of ['copy', 'accurate'] as CutMode[]) {
      const options = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', mode };
      const app = await timed(() => mapLimit(plans, cores, (group) => cutSource(group, join(work, `${mode}-app`), options)));
      const failed = app.value.flat().filter((o) => o.error);
      native[mode] = app.seconds / sources;
      const script = await timed(() => scriptPerClip(plans.flat(), join(work, `${mode}-script`), mode, cores));
      // The script leaves its clips in the page cache; the app syncs each clip before it takes its name. The same
      // bytes on disk: the script's run and then one sync.
      const synced = await timed(() => run('sync'));
      const appPerClip = await timed(() => mapLimit(plans.flat(), cores, (clip) => cutSource([clip], join(work, `${mode}-app-per-clip`), options)));
      const target = mode === 'copy' ? 2 : 1.3;
      console.log(
        `${mode.padEnd(9)} ${sources * SEGMENTS} clips: app, one ffmpeg per source ${app.seconds.toFixed(1)} s; script, one ffmpeg per clip ${script.seconds.toFixed(1)} s → ${verdict(script.seconds / app.seconds, target)}; script then sync ${(script.seconds + synced.seconds).toFixed(1)} s → ${verdict((script.seconds + synced.seconds) / app.seconds, target)}; the app one clip a process ${appPerClip.seconds.toFixed(1)} s (${(appPerClip.seconds / app.seconds).toFixed(2)}×)${failed.length ? `; ${failed.length} FAILED: ${failed[0]?.error}` : ''}`,
      );
      if (mode === 'accurate') {
        const outputSeek = await timed(() => scriptPerClip(plans.flat(), join(work, 'output-seek'), mode, cores, true));
        console.log(`accurate  script with the seek after -i ${outputSeek.seconds.toFixed(1)} s → ${verdict(outputSeek.seconds / app.seconds, 1.3)}`);
      }
      rmSync(join(work, `${mode}-script`), { recursive: true, force: true });
    }
    if (wasmSources > 0) await wasmBench(bundleMainDir, work, plans.slice(0, wasmSources), native);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * ffmpeg.wasm as a user gets it: the web host's engine plans and checks, the page in Chromium cuts (the app's own
 * ffmpeg.wasm core, single-threaded), the same spec through the Clips job with the wasm backend, timed from the
 * job's start to its end; the ratio is to the native per-source time of the same sources above.
 */
async function wasmBench(bundleMainDir: string, work: string, plans: PlannedClip[][], native: Partial<Record<CutMode, number>>): Promise<void> {
  const executablePath = process.env.VC2M_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath) || !existsSync(join(bundleMainDir, '..', 'renderer', 'ffmpeg-core', 'ffmpeg-core.wasm'))) {
    console.log('wasm      skipped: needs Chromium and the built renderer (npm run bench -- clips installs and builds both)');
    return;
  }
  const from = join(work, 'wasm-raw');
  const database: Record<string, unknown> = {};
  plans.forEach((group, i) => {
    const ytid = `benchSrc${String(i).padStart(3, '0')}`;
    mkdirSync(join(from, 'raw_videos/training/101'), { recursive: true });
    symlinkSync(group[0]?.source as string, join(from, 'raw_videos/training/101', `${ytid}.mp4`));
    database[ytid] = { subset: 'training', recipe_type: '101', annotations: group.map((c, k) => ({ id: k, segment: [c.start, c.end] })) };
  });
  const spec = join(work, 'youcookii_annotations_trainval.json');
  writeFileSync(spec, JSON.stringify({ database }));
  const configDir = join(work, 'wasm-config');
  const { engine, web } = await startBenchHost(bundleMainDir, configDir);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(web.url);
    for (const mode of ['copy', 'accurate'] as CutMode[]) {
      await call(engine, 'library.create', { path: join(work, `wasm-lib-${mode}`) });
      const started = performance.now();
      const job = await call<{ id: number }>(engine, 'clips.run', { sourceId: 'youcook2', spec, from, mode, backend: 'wasm' });
      await waitForJob(engine, job.id, () => new Promise((r) => setTimeout(r, 250)));
      const seconds = (performance.now() - started) / 1000;
      const rows = await call<Array<{ state: string; error: string | null }>>(engine, 'clips.items', { sourceId: 'youcook2' });
      const cut = rows.filter((r) => r.state === 'cut').length;
      const perSource = seconds / plans.length;
      console.log(
        `wasm      ${mode.padEnd(8)} ${plans.length} source${plans.length === 1 ? '' : 's'}, ${cut} of ${rows.length} clips cut in Chromium: ${seconds.toFixed(1)} s → ${(perSource / (native[mode] ?? Number.NaN)).toFixed(1)}× native's time per source${cut < rows.length ? `; ${rows.find((r) => r.error)?.error}` : ''}`,
      );
      await call(engine, 'library.close');
    }
  } finally {
    await browser.close();
    await web.close();
    await engine.close();
  }
}
