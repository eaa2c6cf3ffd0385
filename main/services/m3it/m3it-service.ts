import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { M3itTaskStatus } from '../../../shared/api/m3it-models';
import { sourceById } from '../../../shared/catalog/index';
import { conversationTurns } from '../../../shared/catalog/record-turns';
import type { Route } from '../../../shared/catalog/schema';
import { syncFolder } from '../../lib/atomic-write';
import { TaskWorker } from '../../lib/worker-tasks';
import { ANNOTATIONS_FOLDER } from '../annotations/annotations-service';
import type { DownloadLedger, DownloadRow, PlannedFile } from '../downloads/download-ledger';
import type { MediaTasks } from '../downloads/media-tasks';
import { HubClient } from '../hub/hub-client';
import type { JobContext } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import type { SettingsService } from '../settings/settings-service';
import { readRecordSlices } from '../viewer/record-text';
import { decodeOnWorkers } from './decode-parallel';
import { type AnnotationSample, checkTask, refIndex, type TaskCheck } from './task-check';
import { m3itTasks, taskFile } from './task-files';

export const M3IT_SOURCE = 'm3it';
/** Annotation records compared with their M3IT record per subset: spread over the subset, enough to see a shift. */
const SPOT_CHECKS = 40;
const EXAMPLES = 5;

type HubRoute = Extract<Route, { kind: 'hf' }>;

/** The report kept per task (m3it_tasks.report): what the decode and the check found, with examples. */
interface TaskReport {
  notJpeg: Array<{ index: number; format: string }>;
  problems: Array<{ index: number | null; offset: number; reason: string }>;
  checks: TaskCheck[];
  note: string | null;
}

const taskOfTarget = (target: string) => target.split('/')[0] as string;

/**
 * M3IT (#13 item 1): the images VideoChat2-IT's 16 M3IT subsets name are base64 inside each task's train.jsonl on
 * the Hub. This finds each task's file in the repo's listing, and once the download engine has it (resumable,
 * sha256-checked, in the ledger like any file) decodes it on every core into `<m3it root>/<task>/train/<i>.jpg`,
 * then checks the index rule against the annotations instead of trusting it.
 */
export class M3itService {
  constructor(
    private readonly library: LibraryService,
    private readonly settings: SettingsService,
    private readonly bundleDir: string,
  ) {}

  /** The tasks `get m3it` works on: the ones asked for, else those of the ingested subsets, else all of them. */
  tasksFor(asked: readonly string[]): string[] {
    const all = m3itTasks();
    if (asked.length > 0) {
      const known = new Set(all.map((t) => t.task));
      const unknown = asked.filter((t) => !known.has(t));
      if (unknown.length > 0) {
        throw new ApiError('VALIDATION_ERROR', `unknown M3IT task ${unknown.join(', ')}; the subsets use ${all.map((t) => t.task).join(', ')}`);
      }
      return [...new Set(asked)];
    }
    const ingested = new Set(this.library.database().prepare("SELECT subset_id FROM annotation_files WHERE state = 'current'").pluck().all() as string[]);
    const used = all.filter((t) => t.subsets.some((s) => ingested.has(s)));
    return (used.length > 0 ? used : all).map((t) => t.task);
  }

  /** Each task's train file from the repo's listing, as ledger rows; a task whose file is not found, with the reason. */
  async plan(tasks: readonly string[], signal: AbortSignal): Promise<{ files: PlannedFile[]; missing: Array<{ task: string; reason: string }> }> {
    const route = this.route();
    const settings = await this.settings.get();
    const client = new HubClient({ endpoint: settings.hfEndpoint, repo: route.repo, token: await this.settings.hfToken() });
    const commit = await client.resolveRevision(route.revision ?? 'main', signal);
    const listing = await client.listFiles(commit, signal);
    const files: PlannedFile[] = [];
    const missing: Array<{ task: string; reason: string }> = [];
    for (const task of tasks) {
      const found = taskFile(route, listing, task);
      if (!found.file) {
        missing.push({ task, reason: `${found.reason} (${route.repo} at ${commit.slice(0, 12)}, ${settings.hfEndpoint})` });
        continue;
      }
      files.push({
        sourceId: M3IT_SOURCE,
        url: client.resolveUrl(commit, found.file.path),
        target: `${task}/${found.file.path.split('/').at(-1)}`,
        expectedSize: found.file.size,
        sizeIsExact: true,
        expectedSha256: found.file.sha256,
      });
    }
    return { files, missing };
  }

  /**
   * Decodes every downloaded task file of `tasks` not decoded yet (or whose images have gone since), then checks it
   * against the annotations. Returns a line per task for the job's summary.
   */
  async decodeAndCheck(options: {
    ledger: DownloadLedger;
    tasks: readonly string[];
    root: string;
    downloadsFolder: string;
    context: JobContext;
  }): Promise<string[]> {
    const { ledger, root, context } = options;
    const wanted = new Set(options.tasks);
    const rows = ledger.forSources([M3IT_SOURCE]).filter((r) => r.state === 'done' && r.url !== '' && wanted.has(taskOfTarget(r.target)));
    const todo: DownloadRow[] = [];
    for (const row of rows) if (row.extractedAt === null || (await this.imagesGone(row, root))) todo.push(row);
    if (todo.length === 0) return [];
    const said: string[] = [];
    // One thread per core: a task's file is cut at lines into a range per thread.
    const workers = Array.from(
      { length: Math.max(1, Math.min(availableParallelism(), 8)) },
      () => new TaskWorker<MediaTasks>(join(this.bundleDir, 'media-worker.js')),
    );
    try {
      let doneTasks = 0;
      for (const row of todo) {
        const task = taskOfTarget(row.target);
        const samples = this.samples(task);
        const file = join(options.downloadsFolder, row.target);
        if (!existsSync(file)) {
          // Decoded before and its JSONL deleted since (Settings: delete archives once extracted): fetched again.
          ledger.requeueTargets(M3IT_SOURCE, [row.target]);
          said.push(`M3IT ${task}: images are missing and its train.jsonl was deleted after its decode; get m3it again downloads and decodes it`);
          continue;
        }
        context.report({ done: doneTasks, total: todo.length, message: `decoding M3IT ${task}` });
        const summary = await decodeOnWorkers({
          workers,
          file,
          outDir: join(root, task),
          keep: [...new Set(samples.flatMap((s) => s.samples.map((x) => x.index)))],
          signal: context.signal,
          onProgress: (records) =>
            context.report({ done: doneTasks, total: todo.length, message: `decoding M3IT ${task}: ${records.toLocaleString('en-US')} records` }),
        });
        // The renames into the folder are made durable once, for the whole task.
        await syncFolder(join(root, task, 'train'));
        const checks = samples.map((s) =>
          checkTask({ task: `${task} (${s.subset})`, records: summary.records, refs: s.refs, samples: s.samples, kept: summary.kept }),
        );
        const verdict = checks.length === 0 ? 'unchecked' : checks.every((c) => c.verdict === 'ok') ? 'ok' : 'mismatch';
        const report: TaskReport = {
          notJpeg: summary.notJpeg.slice(0, EXAMPLES),
          problems: summary.problems.slice(0, EXAMPLES),
          checks,
          note: checks.length === 0 ? 'no annotations of its subsets are ingested: the index rule could not be checked' : null,
        };
        this.library
          .database()
          .prepare(
            `INSERT OR REPLACE INTO m3it_tasks (task, repo_path, sha256, records, written, unchanged, not_jpeg, problems, verdict, report, decoded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            task,
            new URL(row.url).pathname.split('/resolve/')[1]?.split('/').slice(1).map(decodeURIComponent).join('/') ?? row.target,
            row.sha256,
            summary.records,
            summary.written,
            summary.unchanged,
            summary.notJpeg.length,
            summary.problems.length,
            verdict,
            JSON.stringify(report),
            Date.now(),
          );
        ledger.markExtracted([row.id]);
        if ((await this.settings.get()).deleteArchivesAfterExtract) await rm(file, { force: true });
        said.push(taskLine(task, summary, checks));
        doneTasks++;
      }
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
    return said;
  }

  /** Per task: where its file, decode and check stand (the M3IT panel, `vc2m get m3it`). */
  status(ledger: DownloadLedger): M3itTaskStatus[] {
    const rows = new Map(ledger.forSources([M3IT_SOURCE]).map((r) => [taskOfTarget(r.target), r]));
    const decoded = new Map(
      (
        this.library
          .database()
          .prepare('SELECT task, repo_path, records, written, unchanged, not_jpeg, problems, verdict, report, decoded_at FROM m3it_tasks')
          .all() as Array<{
          task: string;
          repo_path: string | null;
          records: number;
          written: number;
          unchanged: number;
          not_jpeg: number;
          problems: number;
          verdict: 'ok' | 'mismatch' | 'unchecked';
          report: string;
          decoded_at: number;
        }>
      ).map((r) => [r.task, r]),
    );
    return m3itTasks().map(({ task, subsets }) => {
      const row = rows.get(task) ?? null;
      const d = decoded.get(task) ?? null;
      const report = d ? (JSON.parse(d.report) as TaskReport) : null;
      return {
        task,
        subsets,
        file: row ? { target: row.target, state: row.state, bytes: row.bytes, total: row.total ?? row.expectedSize, error: row.error } : null,
        decoded: d
          ? {
              repoPath: d.repo_path,
              records: d.records,
              written: d.written,
              unchanged: d.unchanged,
              notJpeg: d.not_jpeg,
              problems: d.problems,
              at: d.decoded_at,
            }
          : null,
        verdict: d?.verdict ?? null,
        notJpegExamples: report?.notJpeg ?? [],
        problemExamples: report?.problems ?? [],
        checks: report?.checks ?? [],
        note: report?.note ?? null,
      };
    });
  }

  private route(): HubRoute {
    const route = sourceById(M3IT_SOURCE)?.acquire.route;
    if (route?.kind !== 'hf') throw new Error('the catalog has no Hugging Face route for m3it');
    return route;
  }

  /** Whether fewer of a decoded task's images are on disk than its decode left (deleted since): decoded again. */
  private async imagesGone(row: DownloadRow, root: string): Promise<boolean> {
    const task = taskOfTarget(row.target);
    const d = this.library.database().prepare('SELECT written + unchanged AS images FROM m3it_tasks WHERE task = ?').get(task) as
      | { images: number }
      | undefined;
    if (!d) return true;
    const names = await readdir(join(root, task, 'train')).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.jpg') && !n.startsWith('.')).length < d.images;
  }

  /**
   * Per subset of the task with ingested annotations: every ref, and the first question and answer of records
   * spread evenly over it, to compare with the M3IT records at their indices.
   */
  private samples(task: string): Array<{ subset: string; refs: string[]; samples: AnnotationSample[] }> {
    const db = this.library.database();
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library first');
    const subsets = m3itTasks().find((t) => t.task === task)?.subsets ?? [];
    const out: Array<{ subset: string; refs: string[]; samples: AnnotationSample[] }> = [];
    for (const subset of subsets) {
      const file = db.prepare("SELECT id, sha256, records FROM annotation_files WHERE subset_id = ? AND state = 'current'").get(subset) as
        | { id: number; sha256: string; records: number }
        | undefined;
      if (!file) continue;
      const refs = db.prepare('SELECT ref FROM records WHERE file_id = ? AND ref IS NOT NULL ORDER BY idx').pluck().all(file.id) as string[];
      const step = Math.max(1, Math.floor(file.records / SPOT_CHECKS));
      const picked = db
        .prepare(
          'SELECT idx, ref, rec_offset AS offset, rec_length AS length FROM records WHERE file_id = ? AND idx % ? = 0 AND ref IS NOT NULL ORDER BY idx LIMIT ?',
        )
        .all(file.id, step, SPOT_CHECKS) as Array<{ idx: number; ref: string; offset: number; length: number }>;
      const texts = readRecordSlices(
        join(info.path, ANNOTATIONS_FOLDER),
        picked.map((p) => ({ sha256: file.sha256, offset: p.offset, length: p.length })),
      );
      const samples: AnnotationSample[] = [];
      picked.forEach((p, i) => {
        const index = refIndex(p.ref);
        const text = texts[i];
        if (index === null || !text) return;
        let record: unknown;
        try {
          record = JSON.parse(text);
        } catch {
          return;
        }
        const first = conversationTurns(record)[0];
        if (!first) return;
        samples.push({ index, question: typeof first.q === 'string' ? first.q : '', answer: typeof first.a === 'string' ? first.a : '' });
      });
      out.push({ subset, refs, samples });
    }
    return out;
  }
}

/** A task's line in the job's summary: what was written, what is odd, and the check's verdict with its main finding. */
function taskLine(
  task: string,
  summary: { records: number; written: number; unchanged: number; notJpeg: unknown[]; problems: unknown[] },
  checks: TaskCheck[],
): string {
  const parts = [`M3IT ${task}: ${summary.records.toLocaleString('en-US')} records, ${summary.written.toLocaleString('en-US')} images written`];
  if (summary.unchanged > 0) parts.push(`${summary.unchanged.toLocaleString('en-US')} already there`);
  if (summary.notJpeg.length > 0) parts.push(`${summary.notJpeg.length} not JPEG (kept as they are under their .jpg names)`);
  if (summary.problems.length > 0) parts.push(`${summary.problems.length} records unreadable`);
  for (const check of checks) {
    if (check.verdict === 'ok') {
      parts.push(`check ${check.task}: ok (highest index used ${check.highestUsed ?? '-'}, ${check.spotChecked} spot-checked)`);
      continue;
    }
    const findings: string[] = [];
    if (check.beyond.count > 0)
      findings.push(
        `${check.beyond.count} ${check.beyond.count === 1 ? 'index' : 'indices'} past the ${check.records} records (e.g. ${check.beyond.examples.join(', ')})`,
      );
    if (check.unexpectedRefs.count > 0)
      findings.push(`${check.unexpectedRefs.count} refs not train/<i>.jpg (e.g. ${check.unexpectedRefs.examples.join(', ')})`);
    if (check.mismatched.count > 0)
      findings.push(`${check.mismatched.count} of ${check.spotChecked} spot-checked records differ (e.g. index ${check.mismatched.examples[0]?.index})`);
    parts.push(`check ${check.task}: MISMATCH — ${findings.join('; ')}`);
  }
  return parts.join(', ');
}
