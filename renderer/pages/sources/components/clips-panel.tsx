import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ClipBackend, ClipBackends, ClipRowInfo } from '../../../../shared/api/clip-models';
import type { JobSnapshot } from '../../../../shared/api/models';
import { formatBytes, formatCount } from '../../../components/format';
import { SelectField } from '../../../components/select-field';
import { TERMINAL_STATES, waitForJob } from '../../../components/wait-for-job';
import { api, errorMessage } from '../../../transport/transport';

type ClipSource = 'youcook2' | 'egoqa' | 'records';
type Mode = 'accurate' | 'copy';

const SHOWN = 50;
const SPEC_HINT: Record<Exclude<ClipSource, 'records'>, string> = {
  youcook2: "YouCook2's youcookii_annotations_trainval.json (or its tar.gz)",
  egoqa: 'an EgoQA clip list (JSON or CSV: video_uid, start, end or duration)',
};

/**
 * Clips of the long video sources cut from the raw videos the user has (#14): the plan (source videos found or
 * missing, clips to cut, what cannot be cut and why), the backend and mode, the cut's progress, its failures.
 */
export function ClipsPanel() {
  const [source, setSource] = useState<ClipSource>('youcook2');
  const [spec, setSpec] = useState('');
  const [from, setFrom] = useState('');
  const [mode, setMode] = useState<Mode>('accurate');
  const [rows, setRows] = useState<ClipRowInfo[]>([]);
  const [job, setJob] = useState<JobSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [backends, setBackends] = useState<ClipBackends | null>(null);
  const [backend, setBackend] = useState<ClipBackend | null>(null);
  const ids = { spec: useId(), from: useId() };
  useEffect(() => {
    void api.clips
      .backend({})
      .then((b) => {
        setBackends(b);
        setBackend((chosen) => chosen ?? b.recommended);
      })
      .catch(() => setBackends(null));
  }, []);
  useEffect(() => {
    void api.clips
      .items({ sourceId: source })
      .then(setRows)
      .catch(() => setRows([]));
  }, [source]);
  const running = job !== null && !TERMINAL_STATES.has(job.state);
  const go = (cut: boolean) => async (event?: FormEvent) => {
    event?.preventDefault();
    setError(null);
    try {
      await waitForJob(
        source === 'records'
          ? await api.clips.precut({ subsetId: null, mode, cut, backend: backend ?? backends?.recommended ?? 'native' })
          : await api.clips.run({ sourceId: source, spec: spec.trim(), from: from.trim(), mode, cut, backend: backend ?? backends?.recommended ?? 'native' }),
        setJob,
      );
      setRows(await api.clips.items({ sourceId: source }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const count = (state: ClipRowInfo['state']) => rows.filter((r) => r.state === state).length;
  const problems = rows.filter((r) => r.state === 'unusable' || r.state === 'failed');
  const sources = new Set(rows.filter((r) => r.sourcePath).map((r) => r.sourcePath));
  const missingVideos = new Set(rows.filter((r) => !r.sourcePath).map((r) => r.video));
  const seconds = rows.filter((r) => r.state !== 'unusable').reduce((n, r) => n + (r.end - r.start), 0);
  // The clips' size from their source videos' bitrates (CRF 18 keeps about the source's quality, copy its bytes).
  const estimate = rows
    .filter((r) => r.state !== 'unusable')
    .reduce((n, r) => n + (r.sourceBytes && r.sourceSeconds ? (r.sourceBytes / r.sourceSeconds) * (r.end - r.start) : 0), 0);
  const copied = rows.filter((r) => r.state === 'cut' && r.startOffset !== null && r.startOffset !== 0);
  const chosen = backend ?? backends?.recommended ?? 'native';
  return (
    <section className="card" aria-label="Clips">
      <h2 className="card__title">Clips cut from raw videos</h2>
      <p className="muted">
        For YouCook2 and EgoQA when you have the raw videos instead of the pre-cut zips: each clip is cut as the annotations name it, into the source's folder.{' '}
        {mode === 'accurate'
          ? 'Accurate: re-encoded, starting on the frame at start.'
          : 'Copy: fast, but a clip starts at the keyframe at or before start (the offset is shown).'}
      </p>
      <form onSubmit={go(false)} aria-label="Clip plan">
        <SelectField<ClipSource>
          label="Source"
          value={source}
          options={[
            { value: 'youcook2', label: 'youcook2' },
            { value: 'egoqa', label: 'egoqa' },
            { value: 'records', label: 'records with start/end (pre-cut for faster training I/O)' },
          ]}
          onChange={setSource}
        />
        {source === 'records' ? (
          <p className="muted">
            Each record whose own start and end pick a part of its video is cut into the library's precut/ folder, apart from the sources' media;{' '}
            <code>vc2m export --precut</code> then points those records at their clips, without start and end.
          </p>
        ) : (
          <>
            <label htmlFor={ids.spec}>Spec: {SPEC_HINT[source]}</label>
            <input id={ids.spec} className="input" value={spec} onChange={(e) => setSpec(e.target.value)} spellCheck={false} />
            <label htmlFor={ids.from}>Folder of the raw videos</label>
            <input id={ids.from} className="input" value={from} onChange={(e) => setFrom(e.target.value)} spellCheck={false} />
          </>
        )}
        <SelectField<Mode>
          label="Mode"
          value={mode}
          options={[
            { value: 'accurate', label: 'accurate (re-encode)' },
            { value: 'copy', label: 'copy (stream copy, from the keyframe)' },
          ]}
          onChange={setMode}
        />
        <SelectField<ClipBackend>
          label="Backend"
          value={chosen}
          options={[
            ...(backends?.native.available
              ? [{ value: 'native' as const, label: `ffmpeg on this machine (${backends.native.version ?? backends.native.path})` }]
              : []),
            { value: 'wasm', label: 'ffmpeg.wasm in this window' },
          ]}
          onChange={setBackend}
        />
        {backends ? (
          <p className="muted" data-testid="clips-backend">
            {chosen === backends.recommended
              ? `Using ${chosen === 'native' ? 'ffmpeg on this machine' : 'ffmpeg.wasm'}: ${backends.why}.`
              : chosen === 'wasm'
                ? 'Using ffmpeg.wasm, as chosen: it cuts in this window (keep it open), one source video at a time, slower than native ffmpeg and up to 2 GiB per video.'
                : `Using ffmpeg on this machine, as chosen.`}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="button" disabled={running || (source !== 'records' && (!spec.trim() || !from.trim()))}>
            Plan
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={running || (source !== 'records' && (!spec.trim() || !from.trim()))}
            onClick={() => void go(true)()}
          >
            Cut
          </button>
        </div>
      </form>
      {error ? <p className="field-error">{error}</p> : null}
      {job ? (
        <p className="muted" data-testid="clips-job">
          {job.message ?? job.state}
        </p>
      ) : null}
      {rows.length > 0 ? (
        <p className="summary" data-testid="clips-summary">
          <strong>{formatCount(rows.length)}</strong> clips planned · {formatCount(sources.size)} source videos found
          {missingVideos.size ? `, ${formatCount(missingVideos.size)} missing` : ''} ·{' '}
          {seconds < 120 ? `${Math.round(seconds)} s` : `${formatCount(Math.round(seconds / 60))} min`} of video to cut
          {estimate > 0 ? `, about ${formatBytes(estimate)} of clips` : ''} · {formatCount(count('cut'))} cut, {formatCount(count('kept'))} already there,{' '}
          {formatCount(count('planned'))} to cut, {formatCount(count('failed'))} failed, {formatCount(count('unusable'))} cannot be cut
        </p>
      ) : null}
      {copied.length > 0 ? (
        <table className="table table--compact" aria-label="Clips cut from the keyframe before their start">
          <thead>
            <tr>
              <th scope="col">Clip (copy mode)</th>
              <th scope="col">Starts</th>
              <th scope="col">Lasts</th>
            </tr>
          </thead>
          <tbody>
            {copied.slice(0, SHOWN).map((r) => (
              <tr key={r.ref}>
                <td>
                  <code>{r.ref}</code>
                </td>
                <td>{Math.abs(r.startOffset ?? 0).toFixed(2)} s before its start (the keyframe)</td>
                <td>{r.clipSeconds === null ? '' : `${r.clipSeconds.toFixed(2)} s`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {problems.length > 0 ? (
        <table className="table table--compact" aria-label="Clips that cannot be cut">
          <thead>
            <tr>
              <th scope="col">Clip</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {problems.slice(0, SHOWN).map((r) => (
              <tr key={r.ref}>
                <td>
                  <code>{r.ref}</code>
                </td>
                <td className="muted">{r.reason ?? r.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
