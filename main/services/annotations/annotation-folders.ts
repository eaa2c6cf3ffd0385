import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { ImportCandidate } from '../../../shared/api/models';
import { catalog, isInstructionPool } from '../../../shared/catalog/index';
import type { Subset } from '../../../shared/catalog/schema';

export const HUB_REPO = 'OpenGVLab/VideoChat2-IT';
const CACHE_FOLDER = `datasets--${HUB_REPO.replace('/', '--')}`;

/** Where huggingface_hub keeps its cache: HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hfHubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return resolve(env.HF_HUB_CACHE);
  return join(env.HF_HOME ? resolve(env.HF_HOME) : join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface'), 'hub');
}

export interface FolderContents {
  subsets: Array<{ subset: Subset; file: string }>;
  instructionPools: string[];
}

/** The catalog's annotation files (and the instructions.json prompt pools) found under a folder holding the dataset's tree. */
export function scanAnnotationFolder(root: string): FolderContents {
  const subsets = catalog.subsets.map((subset) => ({ subset, file: join(root, subset.annotationPath) })).filter(({ file }) => isFile(file));
  const instructionPools = [...new Set(catalog.subsets.map((s) => join(dirname(s.annotationPath), 'instructions.json')))].filter(
    (path) => isInstructionPool(path) && isFile(join(root, path)),
  );
  return { subsets, instructionPools };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A snapshot folder of the HF cache names its revision; anything else is a plain folder. */
export function originOf(root: string): { origin: 'hf-cache' | 'folder'; revision: string | null } {
  const parent = dirname(root);
  if (basename(parent) === 'snapshots' && basename(dirname(parent)) === CACHE_FOLDER) return { origin: 'hf-cache', revision: basename(root) };
  return { origin: 'folder', revision: null };
}

/** Snapshots of the dataset already in the Hugging Face cache, newest first. */
export function findHfCacheSnapshots(env: NodeJS.ProcessEnv = process.env): ImportCandidate[] {
  const snapshots = join(hfHubCacheDir(env), CACHE_FOLDER, 'snapshots');
  if (!existsSync(snapshots)) return [];
  return readdirSync(snapshots, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const path = join(snapshots, e.name);
      return { kind: 'hf-cache' as const, path, revision: e.name, files: scanAnnotationFolder(path).subsets.length, mtime: statSync(path).mtimeMs };
    })
    .filter((c) => c.files > 0)
    .sort((a, b) => b.mtime - a.mtime)
    .map(({ mtime: _mtime, ...candidate }) => candidate);
}
