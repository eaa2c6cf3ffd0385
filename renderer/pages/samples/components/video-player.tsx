import { useEffect, useId, useRef, useState } from 'react';

/** What the page's keys do to the player on screen (space, [ ], , .). */
export interface PlayerControls {
  playPause(): void;
  toStart(): void;
  toEnd(): void;
  step(frames: number): void;
}

export const activePlayer: { current: PlayerControls | null } = { current: null };

/** Frame step when the file's rate is unknown: most of the dataset's video is 25-30 fps. */
const DEFAULT_FPS = 30;
const SPEEDS = [0.25, 0.5, 1, 1.5, 2];

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}

export interface VideoPlayerProps {
  src: string;
  /** The record's segment in seconds: marked on the timeline, played in a loop by default. */
  start: number | null;
  end: number | null;
  /** `unsupported`: Chromium cannot decode the file (a preview can help), rather than a failed load. */
  onError: (message: string, unsupported: boolean) => void;
}

/**
 * A video with the controls a researcher checks clips with: seek, play/pause, speed, frame step, and the record's
 * segment marked on the timeline and looped. Seeking needs Range answers, which the app's media route and scheme
 * give (the native file: URL in Electron does not, electron#38749).
 */
export function VideoPlayer({ src, start, end, onError }: VideoPlayerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [duration, setDuration] = useState(Number.NaN);
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const hasSegment = start !== null || end !== null;
  const [loop, setLoop] = useState(hasSegment);
  const segStart = start ?? 0;
  const segEnd = end ?? duration;
  const speedId = useId();

  useEffect(() => {
    setLoop(start !== null || end !== null);
  }, [start, end]);

  useEffect(() => {
    if (video.current) video.current.playbackRate = speed;
  }, [speed]);

  useEffect(() => {
    const controls: PlayerControls = {
      playPause() {
        const v = video.current;
        if (!v) return;
        if (v.paused) void v.play().catch(() => undefined);
        else v.pause();
      },
      toStart() {
        if (video.current) video.current.currentTime = segStart;
      },
      toEnd() {
        const v = video.current;
        if (v && Number.isFinite(segEnd)) v.currentTime = Math.max(segStart, segEnd - 1 / DEFAULT_FPS);
      },
      step(frames) {
        const v = video.current;
        if (!v) return;
        v.pause();
        v.currentTime = Math.max(0, Math.min(v.duration || Number.POSITIVE_INFINITY, v.currentTime + frames / DEFAULT_FPS));
      },
    };
    activePlayer.current = controls;
    return () => {
      if (activePlayer.current === controls) activePlayer.current = null;
    };
  }, [segStart, segEnd]);

  // The loop is checked every frame while playing: timeupdate comes only every quarter second or so.
  useEffect(() => {
    if (!playing || !loop || !hasSegment) return;
    let frame = requestAnimationFrame(function check() {
      const v = video.current;
      if (v && Number.isFinite(segEnd) && v.currentTime >= segEnd) v.currentTime = segStart;
      frame = requestAnimationFrame(check);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing, loop, hasSegment, segStart, segEnd]);

  const pct = (t: number) => (Number.isFinite(duration) && duration > 0 ? `${(Math.min(t, duration) / duration) * 100}%` : '0%');
  return (
    <div className="player">
      {/* biome-ignore lint/a11y/useMediaCaption: dataset clips have no caption tracks */}
      <video
        ref={video}
        className="player__video"
        src={src}
        preload="metadata"
        data-testid="sample-video"
        onLoadedMetadata={(e) => {
          // Metadata without a picture: the container opened but its video codec cannot be decoded here.
          if (e.currentTarget.videoWidth === 0) {
            onError('Chromium cannot decode this video', true);
            return;
          }
          setDuration(e.currentTarget.duration);
          if (start !== null) e.currentTarget.currentTime = start;
        }}
        onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
        onSeeked={(e) => setTime(e.currentTarget.currentTime)}
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={(e) => {
          if (loop && hasSegment) {
            e.currentTarget.currentTime = segStart;
            void e.currentTarget.play().catch(() => undefined);
          }
        }}
        onError={(e) => {
          const code = e.currentTarget.error?.code;
          onError(
            code === 4 || code === 3
              ? 'Chromium cannot play this file (its container or codec is not supported)'
              : `the video could not be loaded (${e.currentTarget.error?.message || `error ${code ?? '?'}`})`,
            code === 4 || code === 3,
          );
        }}
      />
      <div className="player__timeline">
        {hasSegment && Number.isFinite(duration) ? (
          <div
            className="player__segment"
            data-testid="segment-marker"
            title={`segment ${clock(segStart)} – ${clock(segEnd)}`}
            style={{ left: pct(segStart), width: `calc(${pct(segEnd)} - ${pct(segStart)})` }}
          />
        ) : null}
        <input
          type="range"
          aria-label="Position"
          min={0}
          max={Number.isFinite(duration) ? duration : 0}
          step={0.01}
          value={time}
          onChange={(e) => {
            if (video.current) video.current.currentTime = Number(e.target.value);
          }}
        />
      </div>
      <div className="player__bar row row--wrap">
        <button type="button" className="button" onClick={() => activePlayer.current?.playPause()} aria-label={playing ? 'Pause' : 'Play'}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" className="button button--ghost" onClick={() => activePlayer.current?.step(-1)} aria-label="Previous frame">
          ◀ frame
        </button>
        <button type="button" className="button button--ghost" onClick={() => activePlayer.current?.step(1)} aria-label="Next frame">
          frame ▶
        </button>
        <span className="muted" data-testid="player-time">
          {clock(time)} / {clock(duration)}
        </span>
        <label htmlFor={speedId} className="sr-only">
          Speed
        </label>
        <select id={speedId} className="input input--short" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
        {hasSegment ? (
          <label className="checkbox">
            <input type="checkbox" checked={loop} onChange={(e) => setLoop(e.target.checked)} /> loop segment {clock(segStart)} – {clock(segEnd)}
          </label>
        ) : null}
      </div>
    </div>
  );
}
