import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { SampleDetail } from '../../../shared/api/models';
import { subsetById } from '../../../shared/catalog/index';
import { readRecordText } from '../annotations/annotation-objects';
import { ANNOTATIONS_FOLDER } from '../annotations/annotations-service';
import type { LibraryService } from '../library/library-service';
import type { MediaLocator } from './media-locator';

interface Row {
  ref: string | null;
  rawRef: string | null;
  start: number | null;
  end: number | null;
  flag: string | null;
  status: string | null;
  detail: string | null;
  path: string | null;
  rule: string | null;
  level: string | null;
  format: string | null;
  durationS: number | null;
  width: number | null;
  height: number | null;
  checkedAt: number | null;
}

/** One record of a subset's current version by index, with its media's last verify result (records_by_file). */
export const SAMPLE_SQL = `SELECT r.ref AS ref, r.raw_ref AS rawRef, r.start_s AS start, r.end_s AS end, r.flag AS flag,
    s.status AS status, s.detail AS detail, s.path AS path, s.rule AS rule, s.level AS level, s.format AS format,
    s.duration_s AS durationS, s.width AS width, s.height AS height, s.checked_at AS checkedAt
  FROM records r JOIN annotation_files f ON f.id = r.file_id AND f.state = 'current' AND f.subset_id = ?
  LEFT JOIN media_refs m ON m.source_id = ? AND m.subdir = ? AND m.ref = r.ref
  LEFT JOIN media_status s ON s.media_id = m.id
  WHERE r.idx = ?`;

/**
 * One sample as the viewer and `vc2m show` give it: the record exactly as stored in the annotation file, its ref
 * and segment, the file it resolves to now (and the rule), and what the last verify found.
 */
export class SampleReader {
  constructor(
    private readonly library: LibraryService,
    private readonly locator: MediaLocator,
  ) {}

  sample({ subsetId, index }: { subsetId: string; index: number }): SampleDetail {
    const subset = subsetById(subsetId);
    if (!subset) throw new ApiError('NOT_FOUND', `unknown subset "${subsetId}"`);
    const info = this.library.current();
    if (!info) throw new ApiError('LIBRARY_NOT_OPEN', 'open a library first');
    const db = this.library.database();
    const row = db.prepare(SAMPLE_SQL).get(subsetId, subset.source ?? '', subset.subdir, index) as Row | undefined;
    if (!row) {
      const count = db
        .prepare(`SELECT count(*) FROM records r JOIN annotation_files f ON f.id = r.file_id AND f.state = 'current' AND f.subset_id = ?`)
        .pluck()
        .get(subsetId) as number;
      throw new ApiError(
        'NOT_FOUND',
        count === 0
          ? `${subsetId} has no records in this library (import its annotations first)`
          : `${subsetId} has ${count === 1 ? 'one record (index 0)' : `records 0 to ${count - 1}`}; there is no record ${index}`,
      );
    }
    const text = readRecordText(db, join(info.path, ANNOTATIONS_FOLDER), subsetId, index);
    let located: SampleDetail['located'] = null;
    if (subset.source && row.ref) {
      try {
        const target = { sourceId: subset.source, ref: row.ref, subdir: subset.subdir };
        if (subset.mediaForm === 'frame-directory') {
          // A folder of frames: its size is its number of frames.
          const folder = this.locator.frames(target);
          located = { path: folder.path, rule: folder.rule, size: folder.frames.length, contentType: 'inode/directory' };
        } else {
          const found = this.locator.locate(target);
          located = { path: found.path, rule: found.rule, size: found.size, contentType: found.contentType };
        }
      } catch {
        // not there now (or not inside the root): the verify result says why
      }
    }
    return {
      subsetId,
      index,
      sourceId: subset.source,
      subdir: subset.subdir,
      mediaForm: subset.mediaForm,
      ref: row.ref,
      rawRef: row.rawRef,
      start: row.start,
      end: row.end,
      flag: row.flag,
      recordText: text ?? '',
      located,
      verified: row.status
        ? {
            status: row.status,
            detail: row.detail,
            path: row.path,
            rule: row.rule,
            level: row.level,
            format: row.format,
            durationS: row.durationS,
            width: row.width,
            height: row.height,
            checkedAt: row.checkedAt,
          }
        : null,
    };
  }
}
