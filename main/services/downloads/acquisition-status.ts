import type { FoundFiles } from '../../../shared/api/found-models';
import type { SourceAcquisition } from '../../../shared/api/models';
import type { Route, Source } from '../../../shared/catalog/schema';
import type { LedgerSummary } from './download-ledger';

export interface AcquisitionInputs {
  source: Source;
  /** The source's ledger rows, counted (null: none yet). */
  ledger: LedgerSummary | null;
  /** The media.get job running for this source. */
  runningJobId: number | null;
  /** A paused media.get job holding this source. */
  pausedJobId: number | null;
  /** From the last verify: media the annotations name and media present; null before any verify. */
  media: { expected: number; present: number } | null;
  mirror: string | null;
  root: string;
  rootIsDefault: boolean;
  /** Why the app cannot fetch the route by itself (notDownloadable), null when it can. */
  blocked: string | null;
  /** What the card asks for, found in the watched Downloads folder; null when none (or the watch is off). */
  found: FoundFiles | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** The route in a few words, for the Sources table. */
export function describeRoute(route: Route): string {
  switch (route.kind) {
    case 'hf':
      return `Hugging Face ${route.repo}: ${plural(
        route.files.reduce((n, f) => n + f.parts.length, 0),
        'file',
      )}`;
    case 'http': {
      const hosts = [...new Set([...route.files.flatMap((f) => f.parts), ...route.lists.map((l) => l.list)].map(hostOf))];
      const archives = route.files.length + (route.lists.length ? ` + ${plural(route.lists.length, 'published list')}` : '');
      return `HTTP: ${archives} ${route.files.length === 1 && !route.lists.length ? 'archive' : 'archives'} from ${hosts.join(', ')}`;
    }
    case 'per-file-http':
      return `one URL per clip, from ${route.table.what}`;
    case 'manual':
      return route.page ? `by hand, from ${hostOf(route.page)}` : 'by hand (no known download page)';
  }
}

/** What the route's files come to before any server said: the research's sizes, estimates marked as such. */
function routeBytes(route: Route): { bytes: number | null; estimate: boolean } {
  if (route.kind !== 'hf' && route.kind !== 'http') return { bytes: null, estimate: true };
  let bytes = 0;
  let estimate = route.kind === 'http' && route.lists.length > 0;
  for (const file of route.files) {
    if (!file.size) return { bytes: null, estimate: true };
    bytes += file.size.bytes;
    estimate ||= !file.size.exact;
  }
  return { bytes, estimate };
}

/** The state, the words for it and the actions that fit, from the ledger, the jobs and the last verify. */
export function acquisitionOf(input: AcquisitionInputs): SourceAcquisition {
  const { source } = input;
  const ledger = input.ledger ?? {
    total: 0,
    done: 0,
    failed: 0,
    bytesOnDisk: 0,
    unsized: 0,
    bytesExpected: 0,
    doneNotExtracted: 0,
    started: 0,
    firstError: null,
  };
  const route = source.acquire.route;
  const planned = routeBytes(route);
  // Once the ledger knows every file's size (the Hub listing, a HEAD), the servers' figures replace the research's.
  const known = ledger.total > 0 && ledger.unsized === 0;
  const bytesExpected = known ? ledger.bytesExpected : planned.bytes;
  const allPresent = input.media !== null && input.media.expected > 0 && input.media.present >= input.media.expected;
  // Every file here and placed: archives extracted, clips where they belong.
  const extractedAll = ledger.done > 0 && ledger.done === ledger.total && ledger.doneNotExtracted === 0;
  const page = route.kind === 'manual' ? (route.page ?? source.homepage) : null;

  let state: SourceAcquisition['state'];
  let why: string | null = null;
  let actions: SourceAcquisition['actions'];
  if (input.runningJobId !== null) {
    // Every file here and the job still running: it is extracting them (or finding the root).
    state = ledger.total > 0 && ledger.done === ledger.total ? 'extracting' : 'downloading';
    actions = ['pause'];
  } else if (input.pausedJobId !== null) {
    state = 'paused';
    why = 'paused: resume carries on from the partial files';
    actions = ['resume'];
  } else if (allPresent) {
    state = 'complete';
    actions = [];
  } else if (ledger.failed > 0) {
    state = 'needs-you';
    why = `${plural(ledger.failed, 'file')} failed: ${ledger.firstError ?? 'no reason recorded'}`;
    actions = ['retry-failed', 'import'];
  } else if (input.blocked) {
    state = 'needs-you';
    // The steps themselves are listed apart (they run to paragraphs); the state says what kind of help it needs.
    why = route.kind === 'manual' ? `fetched by hand: ${plural(route.steps.length, 'step')}, then import what you downloaded` : input.blocked;
    actions = route.kind === 'manual' ? ['open-page', 'import'] : ['import'];
  } else if (extractedAll) {
    state = 'complete';
    why = input.media === null ? 'downloaded and extracted; verify to check every file the annotations name' : null;
    actions = [];
  } else if (ledger.started > 0) {
    state = 'paused';
    why = 'stopped before the end: download carries on from the partial files';
    actions = ['download', 'import'];
  } else {
    state = 'not-started';
    actions = ['download', 'import'];
  }
  return {
    sourceId: source.id,
    name: source.name,
    modality: source.modality,
    routeKind: route.kind,
    route: describeRoute(route),
    state,
    why,
    page,
    steps: route.kind === 'manual' ? route.steps : [],
    files: { total: ledger.total, done: ledger.done, failed: ledger.failed },
    bytesOnDisk: ledger.bytesOnDisk,
    bytesExpected,
    expectedIsEstimate: known ? false : planned.estimate,
    mirror: input.mirror,
    root: input.root,
    rootIsDefault: input.rootIsDefault,
    media: input.media,
    jobId: input.runningJobId ?? input.pausedJobId,
    found: state === 'complete' ? null : input.found,
    pick: route.kind === 'manual' ? route.pick : null,
    actions,
  };
}
