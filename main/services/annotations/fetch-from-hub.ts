import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { catalog, isInstructionPool } from '../../../shared/catalog/index';
import { HubClient } from '../hub/hub-client';
import { downloadHubFile } from '../hub/hub-download';
import type { JobContext, JobOutcome } from '../jobs/job-runner';
import type { LibraryService } from '../library/library-service';
import { HUB_REPO } from './annotation-folders';
import { AnnotationStore } from './annotation-store';
import { sha256File } from './file-hash';
import { type IngestStep, ingestSteps } from './ingest-steps';

export interface FetchParams {
  /** Branch, tag or commit; pinned to a commit before anything is downloaded. */
  revision: string;
}

export interface FetchJob {
  library: LibraryService;
  bundleDir: string;
  annotationsDir: string;
  endpoint: string;
  token: string | null;
  params: FetchParams;
  context: JobContext;
}

async function gitOid(path: string, size: number): Promise<string | null> {
  if (!existsSync(path)) return null;
  const hash = createHash('sha1').update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The fetch job: pin the revision, list the repo, download only what differs from the library (by LFS sha256 or
 * git oid), then ingest. Files the catalog expects but the Hub lacks are tolerated: the listing decides.
 */
export async function fetchFromHub(job: FetchJob): Promise<JobOutcome> {
  const { context } = job;
  const client = new HubClient({ endpoint: job.endpoint, repo: HUB_REPO, token: job.token });
  const store = new AnnotationStore(job.library.database());
  try {
    context.report({ done: 0, total: null, message: `asking ${job.endpoint} for ${HUB_REPO}@${job.params.revision}` });
    const commit = await client.resolveRevision(job.params.revision, context.signal);
    const listing = new Map((await client.listFiles(commit, context.signal)).map((f) => [f.path, f]));

    const pools = [...listing.values()].filter((f) => isInstructionPool(f.path));
    const wanted = catalog.subsets.flatMap((subset) => {
      const file = listing.get(subset.annotationPath);
      return file ? [{ subset, file }] : [];
    });
    const changed = wanted.filter(({ subset, file }) => {
      const current = store.current(subset.id);
      return file.sha256 ? current?.sha256 !== file.sha256 : current?.hubOid !== file.oid;
    });

    for (const pool of pools) {
      const target = join(job.annotationsDir, pool.path);
      if ((await gitOid(target, pool.size)) === pool.oid) continue;
      await mkdir(dirname(target), { recursive: true });
      await downloadHubFile(client, { commit, file: pool, target, signal: context.signal });
    }

    const incoming = join(job.annotationsDir, '.incoming');
    const totalBytes = changed.reduce((sum, c) => sum + c.file.size, 0);
    let doneBytes = 0;
    const steps: IngestStep[] = [];
    const failed: string[] = [];
    for (const { subset, file } of changed) {
      const target = join(incoming, file.path);
      await mkdir(dirname(target), { recursive: true });
      try {
        await downloadHubFile(client, {
          commit,
          file,
          target,
          signal: context.signal,
          onProgress: (bytes) => context.report({ done: doneBytes + bytes, total: totalBytes, message: `downloading ${file.path}` }),
        });
      } catch (error) {
        if (context.signal.aborted || !(error instanceof ApiError) || isFatal(error)) throw error;
        failed.push(`${file.path}: ${error.message}`);
        continue;
      }
      doneBytes += file.size;
      steps.push({
        subset,
        file: target,
        ownDownload: true,
        origin: 'hub',
        originDetail: job.endpoint,
        revision: commit,
        sha256: file.sha256 ?? (await sha256File(target, context.signal)),
        hubOid: file.oid,
      });
    }

    let outcome: JobOutcome;
    try {
      outcome = await ingestSteps(job.library, job.bundleDir, job.annotationsDir, steps, context, wanted.length - changed.length);
    } finally {
      await rm(incoming, { recursive: true, force: true });
    }
    const absent = catalog.subsets.length - wanted.length;
    const note = `${commit.slice(0, 12)}; ${absent} catalog file${absent === 1 ? '' : 's'} not on the Hub at this revision`;
    if (failed.length > 0) throw new ApiError('DOWNLOAD_CORRUPT', `${failed.length} file(s) could not be downloaded: ${failed.join(' | ')}`);
    return outcome.status === 'finished' ? { status: 'finished', message: `${outcome.message ?? 'done'} (Hub revision ${note})` } : outcome;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'HUB_RATE_LIMITED') {
      return { status: 'rate-limited', pauseMs: 60_000, message: error.message };
    }
    throw error;
  }
}

/** Problems no retry fixes (token, terms, wrong revision): the whole fetch stops and says why. */
function isFatal(error: ApiError): boolean {
  return error.code === 'HUB_AUTH_REQUIRED' || error.code === 'HUB_TERMS_NOT_ACCEPTED' || error.code === 'HUB_NOT_FOUND';
}
