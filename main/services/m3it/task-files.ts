import { catalog } from '../../../shared/catalog/index';
import type { Route } from '../../../shared/catalog/schema';

/** An M3IT task: its config name (the upstream folder VideoChat2-IT's refs live in) and the subsets that use it. */
export interface M3itTask {
  task: string;
  subsets: string[];
}

/** Every M3IT task a subset of the catalog uses, in catalog order: the subsets' folders are M3IT config names. */
export function m3itTasks(): M3itTask[] {
  const tasks = new Map<string, string[]>();
  for (const subset of catalog.subsets) {
    if (subset.source !== 'm3it' || !subset.subdir) continue;
    tasks.set(subset.subdir, [...(tasks.get(subset.subdir) ?? []), subset.id]);
  }
  return [...tasks].map(([task, subsets]) => ({ task, subsets }));
}

/**
 * Repo folders whose names differ from their config's beyond `-` against `_` (research/sources.md §1: the loader's
 * "update itm" commit puts coco-itm under data/classification/itm).
 */
const FOLDER_ALIASES: Record<string, string[]> = { 'coco-itm': ['itm'] };

const squash = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

export interface ListedFile {
  path: string;
  size: number;
  sha256: string | null;
}

export type TaskFile = { task: string; file: ListedFile; how: string } | { task: string; file: null; reason: string };

/**
 * Which file of the M3IT repo holds a task's train split. The route's own path when the listing has it; otherwise
 * the task's folder `data/<category>/<folder>/` (the folder named as the config, `-` or `_` alike, or a known alias)
 * and in it `train.jsonl`, or `<name>_train.jsonl` as image paragraph captioning names it. Rephrased or other
 * splits (`train_2023-10-07.jsonl`, `train_v2.jsonl`, `val.jsonl`) are never taken: the refs number the original
 * train split. Two candidates are a finding, never a pick.
 */
export function taskFile(route: Extract<Route, { kind: 'hf' }>, listing: readonly ListedFile[], task: string): TaskFile {
  const byPath = new Map(listing.map((f) => [f.path, f]));
  const known = route.files.find((f) => f.into === task)?.parts[0];
  if (known) {
    const listed = byPath.get(known);
    if (listed) return { task, file: listed, how: `the route's file ${known}` };
  }
  const folders = new Set([squash(task), ...(FOLDER_ALIASES[task] ?? []).map(squash)]);
  const inFolder = listing.filter((f) => {
    const parts = f.path.split('/');
    return parts.length === 4 && parts[0] === 'data' && folders.has(squash(parts[2] as string));
  });
  const train = inFolder.filter((f) => /(^|_)train\.jsonl$/.test(f.path.split('/')[3] as string));
  const exact = train.filter((f) => f.path.endsWith('/train.jsonl'));
  const picked = exact.length > 0 ? exact : train;
  if (picked.length === 1) return { task, file: picked[0] as ListedFile, how: `found in the repo's listing as ${(picked[0] as ListedFile).path}` };
  if (picked.length > 1) {
    return {
      task,
      file: null,
      reason: `${task}: more than one train file in the repo (${picked.map((f) => f.path).join(', ')}); which one the refs number is unknown, so none is taken`,
    };
  }
  const seen = inFolder.map((f) => f.path);
  return {
    task,
    file: null,
    reason: seen.length
      ? `${task}: no train.jsonl in the repo's ${task} folder (it has ${seen.slice(0, 6).join(', ')}${seen.length > 6 ? ', …' : ''})`
      : `${task}: the repo has no data/<category>/${task}/ folder${known ? ` and no ${known}` : ''}; fetch the task's train.jsonl by hand and import it`,
  };
}
