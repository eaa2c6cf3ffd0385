/**
 * The path of a media ref on the app's own media servers, after their prefix: the web host's `/media/` route and
 * the desktop's `vc2-media://media/` scheme. The ref is encoded whole (its slashes too), so it arrives as one piece
 * and a `..` in it cannot be read as a path step by anything on the way.
 */
export function mediaPath(sourceId: string, ref: string, options: { subdir?: string; preview?: boolean; frame?: string } = {}): string {
  const { subdir, preview, frame } = options;
  const query = [subdir ? `subdir=${encodeURIComponent(subdir)}` : '', preview ? 'preview=1' : '', frame ? `frame=${encodeURIComponent(frame)}` : '']
    .filter(Boolean)
    .join('&');
  return `${encodeURIComponent(sourceId)}/${encodeURIComponent(ref)}${query ? `?${query}` : ''}`;
}

export const MEDIA_SCHEME = 'vc2-media';
export const MEDIA_SCHEME_PREFIX = `${MEDIA_SCHEME}://media/`;
export const WEB_MEDIA_PREFIX = '/media/';
