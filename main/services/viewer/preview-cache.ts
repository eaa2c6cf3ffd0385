import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { LocatedMedia } from '../../../shared/api/models';
import type { PreviewState } from '../../../shared/api/viewer-models';
import type { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import type { MediaLocator } from './media-locator';

export const PREVIEW_FOLDER = join('cache', 'previews');
/** What the previews may take on disk before the least recently watched go. */
export const DEFAULT_PREVIEW_CACHE_BYTES = 2 * 1024 ** 3;
const STDERR_TAIL = 4 * 1024;

/**
 * The ffmpeg arguments of a preview: H.264 + AAC in MP4, which every Chromium plays, no wider than 1280 px,
 * `veryfast` (a preview is watched once; speed matters more than size), moov first so playback starts before the
 * file is read to its end; the first video and audio streams only (`?`: a silent clip has no audio).
 */
export function previewArgs(input: string, output: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', input],
    ...['-map', '0:v:0', '-map', '0:a:0?'],
    ...['-vf', "scale='min(1280,iw)':-2", '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', '-f', 'mp4', output],
  ];
}

interface Target {
  sourceId: string;
  ref: string;
  subdir: string;
}

/**
 * Previews of media Chromium cannot play (H.265, some MKV/AVI codecs), transcoded by ffmpeg on demand into the
 * library's cache/previews, one at a time (a niced child process: the UI and the other jobs keep the cores), written
 * to a temporary name and renamed once complete, keyed by the file's path, size and mtime (a replaced file gets a new
 * preview). The cache is kept under its size by dropping the previews watched longest ago.
 */
export class PreviewCache {
  private readonly working = new Map<string, Promise<void>>();
  private readonly failed = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private readonly children = new Set<ChildProcess>();
  private closed = false;
  private spawnFailure: string | null = null;
  private swept = false;

  constructor(
    private readonly library: LibraryService,
    private readonly locator: MediaLocator,
    private readonly settings: SettingsService,
    private readonly limitBytes = DEFAULT_PREVIEW_CACHE_BYTES,
  ) {}

  private folder(): string {
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library first');
    return join(info.path, PREVIEW_FOLDER);
  }

  private keyOf(target: Target): { original: LocatedMedia; key: string; file: string } {
    const original = this.locator.locate(target);
    const key = createHash('sha256').update(`${original.path}\0${original.size}\0${original.mtimeMs}`).digest('hex').slice(0, 32);
    return { original, key, file: join(this.folder(), `${key}.mp4`) };
  }

  /** Where the preview of a media stands; asking starts it. */
  async request(target: Target): Promise<PreviewState> {
    const { original, key, file } = this.keyOf(target);
    if (exists(file)) return { state: 'ready' };
    const failure = this.failed.get(key);
    if (failure) return { state: 'failed', error: failure };
    if (this.spawnFailure && !this.working.has(key)) {
      const error = this.spawnFailure;
      this.spawnFailure = null;
      return { state: 'failed', error };
    }
    if (!this.working.has(key)) {
      // Registered before anything is awaited: two requests at once make one preview. The ffmpeg path is read when
      // the transcode starts, so a path set in Settings after a failure is used.
      const run = this.queue.then(async () => this.transcode((await this.settings.get()).ffmpegPath || 'ffmpeg', original.path, file, key));
      this.queue = run.catch(() => undefined);
      this.working.set(key, run);
      run.finally(() => this.working.delete(key)).catch(() => undefined);
    }
    return { state: 'working' };
  }

  /** The finished preview as a file to serve (the player's ?preview=1); NOT_FOUND until it is there. */
  file(target: Target): LocatedMedia {
    const { file } = this.keyOf(target);
    try {
      const stats = statSync(file);
      const now = new Date();
      utimesSync(file, now, now);
      return { path: file, size: stats.size, mtimeMs: stats.mtimeMs, contentType: 'video/mp4', rule: 'preview' };
    } catch {
      throw new ApiError('NOT_FOUND', 'no such media');
    }
  }

  /** Stops the transcodes under way (the engine is closing): their partial files are removed. */
  close(): void {
    this.closed = true;
    for (const child of this.children) child.kill('SIGKILL');
  }

  private async transcode(ffmpeg: string, input: string, output: string, key: string): Promise<void> {
    if (this.closed) return;
    const folder = join(output, '..');
    mkdirSync(folder, { recursive: true });
    if (!this.swept) {
      // Partial previews of a process that died (kill -9, a crash) are nobody's: removed once per run.
      this.swept = true;
      for (const name of readdirSync(folder)) if (name.includes('.part-')) rmSync(join(folder, name), { force: true });
    }
    const temp = `${output}.part-${process.pid}`;
    const { code, stderr, spawnError } = await new Promise<{ code: number | null; stderr: string; spawnError: Error | null }>((resolve) => {
      const child = spawn(ffmpeg, previewArgs(input, temp), { stdio: ['ignore', 'ignore', 'pipe'] });
      this.children.add(child);
      child.on('close', () => this.children.delete(child));
      let tail = '';
      if (child.pid) {
        try {
          setPriority(child.pid, 10);
        } catch {
          // not allowed here: it runs at normal priority
        }
      }
      child.stderr?.on('data', (d: Buffer) => {
        tail = (tail + d.toString('utf8')).slice(-STDERR_TAIL);
      });
      child.on('error', (error) => resolve({ code: null, stderr: tail, spawnError: error }));
      child.on('close', (c) => resolve({ code: c, stderr: tail, spawnError: null }));
    });
    if (spawnError || code !== 0) {
      rmSync(temp, { force: true });
      if (this.closed) return;
      if (spawnError) {
        // Not remembered: once ffmpeg is installed or its path set, the next request tries again.
        this.spawnFailure = `cannot run ffmpeg (${ffmpeg}): ${spawnError.message}. Install ffmpeg or set its path in Settings.`;
        return;
      }
      this.failed.set(key, `ffmpeg could not make a preview: ${stderr.trim() || `exit code ${code}`}`);
      return;
    }
    renameSync(temp, output);
    this.evict(output);
  }

  /** Drops the previews watched longest ago until the cache fits its limit (never the one just made). */
  private evict(keep: string): void {
    const folder = join(keep, '..');
    const files = readdirSync(folder)
      .filter((n) => n.endsWith('.mp4'))
      .map((n) => {
        const path = join(folder, n);
        const s = statSync(path);
        return { path, size: s.size, used: s.mtimeMs };
      })
      .sort((a, b) => a.used - b.used);
    let total = files.reduce((n, f) => n + f.size, 0);
    for (const f of files) {
      if (total <= this.limitBytes) break;
      if (f.path === keep) continue;
      rmSync(f.path, { force: true });
      total -= f.size;
    }
  }

  /** For tests and the benchmark: waits for the previews under way. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.working.values()]);
  }
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
