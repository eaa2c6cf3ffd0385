import { useEffect, useState } from 'react';
import { Alert } from '../../../components/alert';
import { api, errorMessage, mediaUrl } from '../../../transport/transport';
import { activePlayer } from './video-player';

const THUMBS = 10;
const PLAY_FPS = 4;

/** A frame folder as a scrubbable strip: the frame at the slider, thumbnails across the clip, keys like a video's. */
export function FrameStrip({ sourceId, ref, subdir }: { sourceId: string; ref: string; subdir: string }) {
  const [frames, setFrames] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [at, setAt] = useState(0);
  const [playing, setPlaying] = useState(false);

  useEffect(() => {
    // An answer for the folder shown before (j pressed quickly) is dropped.
    let current = true;
    setFrames(null);
    setError(null);
    setAt(0);
    setPlaying(false);
    api.viewer.frames({ sourceId, ref, subdir }).then(
      (answer) => current && setFrames(answer.frames),
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [sourceId, ref, subdir]);

  const count = frames?.length ?? 0;
  useEffect(() => {
    const controls = {
      playPause: () => setPlaying((p) => !p),
      toStart: () => setAt(0),
      toEnd: () => setAt(Math.max(0, count - 1)),
      step: (n: number) => {
        setPlaying(false);
        setAt((i) => Math.min(Math.max(0, count - 1), Math.max(0, i + n)));
      },
    };
    activePlayer.current = controls;
    return () => {
      if (activePlayer.current === controls) activePlayer.current = null;
    };
  }, [count]);

  useEffect(() => {
    if (!playing || count === 0) return;
    const timer = setInterval(() => setAt((i) => (i + 1) % count), 1000 / PLAY_FPS);
    return () => clearInterval(timer);
  }, [playing, count]);

  if (error) return <Alert tone="error">{error}</Alert>;
  if (!frames) return <p className="muted">Reading the frame folder…</p>;
  if (count === 0) return <Alert tone="error">The folder holds no image frames (.jpg, .png, .webp, .bmp).</Alert>;
  const url = (name: string) => mediaUrl(sourceId, ref, { subdir, frame: name });
  const thumbs = Array.from({ length: Math.min(THUMBS, count) }, (_, k) => Math.round((k * (count - 1)) / Math.max(1, Math.min(THUMBS, count) - 1)));
  return (
    <div className="frames">
      <img className="frames__current" src={url(frames[at] as string)} alt={`frame ${at + 1} of ${count}`} data-testid="frame-current" />
      <input type="range" aria-label="Frame" min={0} max={count - 1} value={at} onChange={(e) => setAt(Number(e.target.value))} />
      <div className="row row--wrap">
        <button type="button" className="button" onClick={() => setPlaying(!playing)}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <span className="muted" data-testid="frame-position">
          frame {at + 1} of {count} · {frames[at]}
        </span>
      </div>
      <div className="frames__strip">
        {thumbs.map((i) => (
          <button
            key={i}
            type="button"
            className={i === at ? 'frames__thumb frames__thumb--at' : 'frames__thumb'}
            onClick={() => setAt(i)}
            aria-label={`Frame ${i + 1}`}
          >
            <img src={url(frames[i] as string)} alt="" loading="lazy" />
          </button>
        ))}
      </div>
    </div>
  );
}
