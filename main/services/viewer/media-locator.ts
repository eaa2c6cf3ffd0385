import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
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

const notFound = () => new ApiError('NOT_FOUND', 'no such media');
/** What a frame folder's frames are: images. */
const FRAME_FILE = /\.(jpe?g|png|webp|bmp)$/i;
const naturalOrder = new Intl.Collator('en', { numeric: true });

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

  /** The file or folder a ref the annotations name resolves to, with its source's real root; every refusal the same 404. */
  private resolve({ sourceId, ref, subdir }: { sourceId: string; ref: string; subdir: string }) {
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
    if (resolved.status !== 'found') throw notFound();
    return { resolved, realRoot };
  }

  locate(target: { sourceId: string; ref: string; subdir: string }): LocatedMedia {
    const { resolved } = this.resolve(target);
    if (!resolved.stats.isFile()) throw notFound();
    return { path: resolved.path, size: resolved.stats.size, mtimeMs: resolved.stats.mtimeMs, contentType: contentTypeOf(resolved.path), rule: resolved.rule };
  }

  /** The frames of a frame-folder ref (ShareGPTVideo), in their natural order ("frame_10" after "frame_9"). */
  frames(target: { sourceId: string; ref: string; subdir: string }): { path: string; rule: string; frames: string[] } {
    const { resolved } = this.resolve(target);
    if (!resolved.stats.isDirectory()) throw notFound();
    const names = readdirSync(resolved.path, { withFileTypes: true })
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && FRAME_FILE.test(e.name) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort(naturalOrder.compare);
    return { path: resolved.path, rule: resolved.rule, frames: names };
  }

  /** One frame of a frame-folder ref: a plain name inside that folder, its real path still inside the root. */
  frame(target: { sourceId: string; ref: string; subdir: string }, name: string): LocatedMedia {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.') || !FRAME_FILE.test(name)) throw notFound();
    const { resolved, realRoot } = this.resolve(target);
    if (!resolved.stats.isDirectory()) throw notFound();
    const path = join(resolved.path, name);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw notFound();
    }
    if (real !== realRoot && !real.startsWith(`${realRoot}${sep}`)) throw notFound();
    const stats = statSync(real);
    if (!stats.isFile()) throw notFound();
    // The real path, as checked: a link swapped after the check cannot send the read elsewhere.
    return { path: real, size: stats.size, mtimeMs: stats.mtimeMs, contentType: contentTypeOf(path), rule: resolved.rule };
  }
}
