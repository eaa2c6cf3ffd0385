import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapLimit } from '../../main/lib/map-limit';
import type { PlannedClip } from '../../main/services/clips/clip-plan';
import { type CutMode, cutSource } from '../../main/services/clips/cut-native';
import { testVideo } from '../fixtures/test-video';

// `npm run bench -- clips`: synthetic 720p H.264 sources (50 × 2 min by default; VC2M_BENCH_CLIP_SOURCES and
// VC2M_BENCH_CLIP_SECONDS make it smaller) with 8 segments each, cut by the app — one ffmpeg per source for all
// its clips — against what the common script does, one ffmpeg per clip (the same seek and settings), same run, both
// modes, each with as many processes at once as cores.

const SEGMENTS = 8;

function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  return work().then((value) => ({ seconds: (performance.now() - started) / 1000, value }));
}

export async function clipsBench(): Promise<void> {
  const sources = Number(process.env.VC2M_BENCH_CLIP_SOURCES) || 50;
  const seconds = Number(process.env.VC2M_BENCH_CLIP_SECONDS) || 120;
  const work = mkdtempSync(join(tmpdir(), 'vc2-bench-clips-'));
  try {
    const videos: string[] = [];
    const started = performance.now();
    for (let i = 0; i < sources; i++) {
      videos.push(
        testVideo(
          join(work, `source_${i}.mp4`),
          seconds,
          ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '250', '-pix_fmt', 'yuv420p'],
          'testsrc2=size=1280x720:rate=25',
        ),
      );
    }
    console.log('');
    console.log(
      `sources              ${sources} × ${seconds} s 720p H.264 (keyframes 10 s apart), made in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    // Eight segments a source, spread over it, 4-9 s each.
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
    for (const mode of ['copy', 'accurate'] as CutMode[]) {
      const options = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', mode };
      const perSource = await timed(() => mapLimit(plans, cores, (group) => cutSource(group, join(work, `${mode}-per-source`), options)));
      const perClip = await timed(() => mapLimit(plans.flat(), cores, (clip) => cutSource([clip], join(work, `${mode}-per-clip`), options)));
      const failed = [...perSource.value.flat(), ...perClip.value.flat()].filter((o) => o.error).length;
      const ratio = perClip.seconds / perSource.seconds;
      const target = mode === 'copy' ? 2 : 1.3;
      console.log(
        `${mode.padEnd(9)} ${sources * SEGMENTS} clips: per source ${perSource.seconds.toFixed(1)} s, per clip (same input seek) ${perClip.seconds.toFixed(1)} s → ${ratio.toFixed(2)}× (target ≥ ${target}×) — ${ratio >= target ? 'meets' : 'MISSES'}${failed ? `; ${failed} failed` : ''}`,
      );
      if (mode === 'accurate') {
        // The per-clip script as it is often written for accuracy: the seek after -i, so each clip decodes the video
        // from its start (video2dataset#50's "needs to read the video every time").
        const outputSeek = await timed(() =>
          mapLimit(plans.flat(), cores, async (clip) => {
            const out = join(work, 'output-seek', clip.ref);
            execFileSync('mkdir', ['-p', join(out, '..')]);
            execFileSync('ffmpeg', [
              '-nostdin',
              '-v',
              'error',
              '-y',
              '-i',
              clip.source as string,
              '-ss',
              String(clip.start),
              '-t',
              String(clip.end - clip.start),
              '-c:v',
              'libx264',
              '-preset',
              'veryfast',
              '-crf',
              '18',
              '-pix_fmt',
              'yuv420p',
              out,
            ]);
          }),
        );
        const r = outputSeek.seconds / perSource.seconds;
        console.log(
          `accurate  per clip with the seek after -i: ${outputSeek.seconds.toFixed(1)} s → ${r.toFixed(2)}× the app (target ≥ 1.3×) — ${r >= 1.3 ? 'meets' : 'MISSES'}`,
        );
      }
    }
    console.log('wasm (@ffmpeg/ffmpeg): not built yet');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
