import { useCallback, useEffect, useRef, useState } from 'react';
import type { SampleDetail } from '../../../../shared/api/models';
import { sourceById } from '../../../../shared/catalog/index';
import { Alert } from '../../../components/alert';
import { api, canReveal, errorMessage, mediaUrl, revealMedia } from '../../../transport/transport';
import { Conversation } from './conversation';
import { FrameStrip } from './frame-strip';
import { StatusBadge, sampleStatusOf } from './status-badge';
import { VideoPlayer } from './video-player';

/** Why a media is not shown, and what would bring it: the source's card on the Sources page, or a verify. */
function MediaProblem({ sample }: { sample: SampleDetail }) {
  const status = sampleStatusOf(sample);
  const source = sample.sourceId ? sourceById(sample.sourceId) : undefined;
  if (status === 'no-media')
    return <Alert tone="info">{sample.flag ? `This record's media ref was refused at ingest (${sample.flag}).` : 'This record names no media.'}</Alert>;
  const v = sample.verified;
  const why =
    v?.status === 'corrupt'
      ? `The file is there but does not check out: ${v.detail ?? 'corrupt'}.`
      : v?.status === 'internal-storage-ref'
        ? 'Missing: the ref names the maintainers’ internal storage (an s3-style address), not a file anyone can download.'
        : v?.status === 'unsafe-ref'
          ? `Missing: the ref was refused (${v.detail ?? 'it climbs out of the source folder'}).`
          : v
            ? `Missing: not found${v.detail ? ` (looked for ${v.detail})` : ' under the source’s root'}.`
            : 'Not found under the source’s root, and no verify has looked for it yet.';
  return (
    <Alert tone="error">
      <p data-testid="media-problem">{why}</p>
      <p>
        {source ? (
          <>
            Get {source.name} (download, or import what you already have) on its card on the <a href={`#/sources?source=${source.id}`}>Sources page</a>, then
            run Verify.
          </>
        ) : (
          'Import the media for this source on the Sources page, then run Verify.'
        )}
      </p>
    </Alert>
  );
}

function ZoomImage({ src, alt }: { src: string; alt: string }) {
  const [zoom, setZoom] = useState(false);
  return (
    <div className={zoom ? 'media-image media-image--zoomed' : 'media-image'}>
      <button type="button" className="media-image__button" onClick={() => setZoom(!zoom)} aria-label={zoom ? 'Fit the image' : 'Zoom the image'}>
        <img src={src} alt={alt} data-testid="sample-image" />
      </button>
      <span className="hint">{zoom ? 'actual size — click to fit' : 'click to zoom'}</span>
    </div>
  );
}

type Preview = { state: 'off' } | { state: 'working' } | { state: 'ready' } | { state: 'failed'; error: string };

/**
 * A video Chromium cannot play is asked for as a preview (ffmpeg, on demand, cached), polled until it is there: a
 * spinner meanwhile, never a blank player.
 */
function usePreview(sample: SampleDetail): [Preview, () => void] {
  const [preview, setPreview] = useState<Preview>({ state: 'off' });
  const key = `${sample.subsetId}#${sample.index}`;
  const current = useRef(key);
  current.current = key;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new sample starts without a preview
  useEffect(() => setPreview({ state: 'off' }), [key]);
  const start = useCallback(() => {
    const { sourceId, ref, subdir } = sample;
    if (!sourceId || !ref) return;
    setPreview({ state: 'working' });
    const ask = async () => {
      try {
        const answer = await api.viewer.preview({ sourceId, ref, subdir });
        if (current.current !== key) return;
        if (answer.state === 'working') setTimeout(() => void ask(), 500);
        else setPreview(answer);
      } catch (error) {
        if (current.current === key) setPreview({ state: 'failed', error: errorMessage(error) });
      }
    };
    void ask();
  }, [sample, key]);
  return [preview, start];
}

function Media({ sample }: { sample: SampleDetail }) {
  const [error, setError] = useState<string | null>(null);
  const [preview, startPreview] = usePreview(sample);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new sample clears the last one's error
  useEffect(() => setError(null), [sample.subsetId, sample.index]);
  if (!sample.sourceId || !sample.ref || !sample.located) return <MediaProblem sample={sample} />;
  const type = sample.located.contentType;
  if (sample.mediaForm === 'frame-directory') return <FrameStrip sourceId={sample.sourceId} ref={sample.ref} subdir={sample.subdir} />;
  if (preview.state === 'working')
    return (
      <div className="media-working" role="status" data-testid="preview-working">
        <span className="spinner" aria-hidden="true" /> Chromium cannot play this file: making a preview it can play (ffmpeg)…
      </div>
    );
  if (preview.state === 'failed' || error)
    return (
      <Alert tone="error">
        <span data-testid="media-error">
          {preview.state === 'failed' ? preview.error : error}. The file is at <code>{sample.located.path}</code>.
        </span>
      </Alert>
    );
  const usePreviewFile = preview.state === 'ready';
  const src = mediaUrl(sample.sourceId, sample.ref, { subdir: sample.subdir, preview: usePreviewFile });
  if (sample.mediaForm === 'gif' || type === 'image/gif') return <img className="media-gif" src={src} alt={`GIF ${sample.ref}`} data-testid="sample-gif" />;
  if (type.startsWith('image/')) return <ZoomImage src={src} alt={sample.ref} />;
  return (
    <>
      {usePreviewFile ? (
        <p className="hint" data-testid="preview-note">
          Playing a preview made by ffmpeg (H.264): the file itself is in a codec Chromium cannot play.
        </p>
      ) : null}
      <VideoPlayer
        key={src}
        src={src}
        start={sample.start}
        end={sample.end}
        onError={(message, unsupported) => (unsupported && !usePreviewFile ? startPreview() : setError(message))}
      />
    </>
  );
}

function copy(text: string) {
  void navigator.clipboard?.writeText(text).catch(() => undefined);
}

export function pathOf(sample: SampleDetail): string | null {
  return sample.located?.path ?? sample.verified?.path ?? null;
}

export function SamplePane({ sample, error }: { sample: SampleDetail | null; error: string | null }) {
  if (error) return <Alert tone="error">{error}</Alert>;
  if (!sample) return <p className="muted samples__empty">Pick a sample on the left (j/k or the arrows move through the list; ? shows every key).</p>;
  const path = pathOf(sample);
  const v = sample.verified;
  const segment = sample.start !== null || sample.end !== null ? `${sample.start ?? 0} s – ${sample.end ?? 'end'} s` : null;
  return (
    <article className="sample-pane" aria-label={`Sample ${sample.subsetId} #${sample.index}`}>
      <header className="row row--between">
        <h2 className="sample-pane__title">
          {sample.subsetId} <span className="muted">#{sample.index}</span>
        </h2>
        <StatusBadge status={sampleStatusOf(sample)} />
      </header>
      <Media sample={sample} />
      <div className="row row--wrap">
        {canReveal() && sample.sourceId && sample.ref && sample.located ? (
          <button type="button" className="button" onClick={() => void revealMedia(sample.sourceId as string, sample.ref as string, sample.subdir)}>
            Reveal in folder
          </button>
        ) : null}
        <button type="button" className="button" disabled={!path} onClick={() => path && copy(path)}>
          Copy path
        </button>
        <button type="button" className="button" onClick={() => copy(sample.recordText)}>
          Copy record JSON
        </button>
      </div>
      <Conversation recordText={sample.recordText} />
      <dl className="facts sample-pane__facts">
        <dt>Ref</dt>
        <dd>
          <code data-testid="sample-ref">{sample.ref ?? '—'}</code>
          {segment ? <span className="muted"> · segment {segment}</span> : null}
        </dd>
        <dt>File</dt>
        <dd>
          {path ? <code data-testid="sample-path">{path}</code> : '—'}
          {sample.located ? <span className="muted"> · found by rule “{sample.located.rule}”</span> : null}
        </dd>
        <dt>Verified</dt>
        <dd data-testid="sample-verified">
          {v
            ? `${v.status} at the ${v.level} level${v.detail ? ` (${v.detail})` : ''}${v.checkedAt ? `, ${new Date(v.checkedAt).toLocaleString()}` : ''}`
            : 'not yet'}
        </dd>
        {v?.durationS || v?.width ? (
          <>
            <dt>Media</dt>
            <dd>
              {[v.format, v.durationS ? `${v.durationS.toFixed(2)} s` : null, v.width && v.height ? `${v.width}×${v.height}` : null]
                .filter(Boolean)
                .join(' · ')}
            </dd>
          </>
        ) : null}
      </dl>
      <details>
        <summary>Record as stored</summary>
        <pre className="sample-pane__record">{sample.recordText}</pre>
      </details>
    </article>
  );
}
