import type { JobKind } from '../../../shared/api/models';

/** What each kind of job is called on screen. */
export const KIND_LABELS: Record<JobKind, string> = {
  'library.measure': 'Measure disk usage',
  'annotations.fetch': 'Download annotations from Hugging Face',
  'annotations.import': 'Import annotations from a folder',
  'verify.run': 'Verify media',
  'export.run': 'Export training-ready copy',
  'manifest.write': 'Write a manifest of the copy',
  'relink.scan': 'Look for missing files in folders',
  'relink.apply': 'Link the files found',
  'clips.run': 'Cut clips',
  'media.get': 'Download media',
  'media.import': 'Import media',
  'search.build': 'Build the search index',
};

/** The jobs whose end changes what verify reports: a verify, an ingest, and the jobs that end with a verify. */
export const REPORTING_JOBS: ReadonlySet<JobKind> = new Set<JobKind>([
  'verify.run',
  'annotations.import',
  'annotations.fetch',
  'relink.scan',
  'relink.apply',
  'clips.run',
  'manifest.write',
  'media.import',
]);
