import { type Catalog, CatalogSchema, type Source, type Subset } from './schema';
import { sources } from './sources';
import { subsets } from './subsets';

export type { Catalog, Modality, Source, Subset } from './schema';

/** The dataset catalog, checked against its schema when first imported (a bad edit fails at start-up, not mid-ingest). */
export const catalog: Catalog = CatalogSchema.parse({ subsets, sources });

const subsetsById = new Map(catalog.subsets.map((s) => [s.id, s]));
const subsetsByPath = new Map(catalog.subsets.map((s) => [s.annotationPath, s]));
const sourcesById = new Map(catalog.sources.map((s) => [s.id, s]));

export function subsetById(id: string): Subset | undefined {
  return subsetsById.get(id);
}

export function subsetByAnnotationPath(path: string): Subset | undefined {
  return subsetsByPath.get(path);
}

export function sourceById(id: string): Source | undefined {
  return sourcesById.get(id);
}

/** Each subset folder on the Hub also has an instructions.json: a pool of prompts, not records. */
export function isInstructionPool(path: string): boolean {
  return path === 'instructions.json' || path.endsWith('/instructions.json');
}
