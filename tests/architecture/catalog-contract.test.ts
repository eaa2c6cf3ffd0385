import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog, isInstructionPool, sourceById, subsetByAnnotationPath, subsetById } from '../../shared/catalog/index';

const TABLE = '../shared/research/subset-sources.md';

/** The research table, row by row: the contract the catalog's ids must match exactly. */
function researchRows() {
  return readFileSync(TABLE, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| subset id') && !line.startsWith('|---'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    )
    .filter((cells) => cells.length === 8)
    .map(([id, path, modality, source, subdir, root, records, hub]) => ({ id, path, modality, source, subdir, root, records, hub }));
}

describe('dataset catalog', () => {
  it('holds the 60 subsets and every source they name', () => {
    expect(catalog.subsets).toHaveLength(60);
    for (const subset of catalog.subsets) if (subset.source) expect(sourceById(subset.source)?.id).toBe(subset.source);
    expect(new Set(catalog.subsets.map((s) => s.source).filter(Boolean)).size).toBe(catalog.sources.length);
  });

  it.runIf(existsSync(TABLE))('matches the subset/source contract table row for row', () => {
    const rows = researchRows();
    expect(rows).toHaveLength(60);
    for (const row of rows) {
      const subset = subsetById(row.id ?? '');
      expect(subset, row.id).toBeDefined();
      expect(subset).toMatchObject({
        annotationPath: row.path,
        modality: row.modality,
        source: row.source === '—' ? null : row.source,
        subdir: row.subdir === '—' ? '' : row.subdir,
        upstreamRoot: row.root === "''" ? '' : row.root,
        expectedRecords: row.records === '?' ? null : Number(row.records?.replaceAll(',', '')),
        onHub: row.hub,
      });
    }
  });

  it('knows the media form of each subset, and what is not a record file', () => {
    expect(subsetById('vqa_tgif_frame_qa')?.mediaForm).toBe('gif');
    expect(subsetById('caption_sharegptvideo_300k')?.mediaForm).toBe('frame-directory');
    expect(subsetById('conversation_sharegpt')).toMatchObject({ mediaKey: null, source: null, mediaForm: 'none' });
    expect(subsetByAnnotationPath('video/classification/k710/train.json')?.id).toBe('classification_k710');
    expect(isInstructionPool('video/classification/k710/instructions.json')).toBe(true);
    expect(isInstructionPool('video/classification/k710/train.json')).toBe(false);
  });
});
