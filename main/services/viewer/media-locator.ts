import { realpathSync } from 'node:fs';
import { ApiError } from '../../../shared/api/errors';
import type { LocatedMedia } from '../../../shared/api/models';
import { sourceById } from '../../../shared/catalog/index';
import { resolutionFor } from '../../../shared/catalog/resolution';
import { contentTypeOf } from '../../lib/byte-range';
import { isUnsafeRef } from '../annotations/record-fields';
import type { LibraryService } from '../library/library-service';
import type { SourcesService } from '../sources/sources-service';
import { FileIndex } from '../verify/file-index';
import { resolveRef } from '../verify/resolve-ref';

/**
 * The file behind a media ref, for the viewer's player (the web host's /media route, the desktop's media scheme):
 * only a ref the library's annotations name, resolved by its source's rules, never out of the source's root (links
 * included). Every refusal is the same 404, so the answer says nothing of what exists.
 */
export class MediaLocator {
  constructor(
    private readonly library: LibraryService,
    private readonly sources: SourcesService,
  ) {}

  locate({ sourceId, ref, subdir }: { sourceId: string; ref: string; subdir: string }): LocatedMedia {
    const notFound = () => new ApiError('NOT_FOUND', 'no such media');
    if (!sourceById(sourceId) || isUnsafeRef(ref) || ref.includes('\\') || subdir.includes('/') || subdir.includes('\\') || subdir.startsWith('.'))
      throw notFound();
    const db = this.library.database();
    const known = db.prepare('SELECT 1 FROM media_refs WHERE source_id = ? AND subdir = ? AND ref = ?').pluck().get(sourceId, subdir, ref);
    if (!known) throw notFound();
    const root = this.sources.root(sourceId);
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      throw notFound();
    }
    const resolved = resolveRef(ref, { root, realRoot, subdir, resolution: resolutionFor(sourceId), index: new FileIndex(db) });
    if (resolved.status !== 'found' || !resolved.stats.isFile()) throw notFound();
    return { path: resolved.path, size: resolved.stats.size, mtimeMs: resolved.stats.mtimeMs, contentType: contentTypeOf(resolved.path), rule: resolved.rule };
  }
}
