import { type FormEvent, useId, useState } from 'react';
import type { ManifestComparisonInfo } from '../../../../shared/api/manifest-models';
import { type JobSnapshot, type VerifyLevel, verifyLevels } from '../../../../shared/api/models';
import { formatCount } from '../../../components/format';
import { SelectField } from '../../../components/select-field';
import { waitForJob } from '../../../components/wait-for-job';
import { api, errorMessage } from '../../../transport/transport';

function ComparisonView({ result }: { result: ManifestComparisonInfo }) {
  return (
    <div data-testid="manifest-comparison">
      <p className="muted">
        Against {result.theirs.library} ({result.theirs.createdAt.slice(0, 10)}, {result.theirs.level} level):{' '}
        {result.hashesCompared ? 'files compared by size and sha256.' : 'files compared by size only (sha256 needs a hashed manifest on both sides).'}
      </p>
      {result.annotationsDiffer.length > 0 ? (
        <p className="notice">
          Annotations differ for {result.annotationsDiffer.map((a) => a.subset).join(', ')}: the copies are of different annotation versions there.
        </p>
      ) : null}
      <table className="table table--compact" aria-label="Comparison by subset">
        <thead>
          <tr>
            <th scope="col">Subset</th>
            <th scope="col">They have, this copy not</th>
            <th scope="col">Differ</th>
            <th scope="col">Only here</th>
            <th scope="col">Same</th>
          </tr>
        </thead>
        <tbody>
          {result.subsets.map((s) => (
            <tr key={s.subset} data-testid={`compare-${s.subset}`}>
              <th scope="row">{s.subset}</th>
              <td>
                {formatCount(s.theyHave.count)}
                {s.theyHave.examples.length > 0 ? (
                  <details className="steps">
                    <summary>examples</summary>
                    <ul>
                      {s.theyHave.examples.map((e) => (
                        <li key={e.ref}>
                          <code>{e.ref}</code> (here {e.here})
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
              </td>
              <td>
                {formatCount(s.differ.count)}
                {s.differ.examples.length > 0 ? (
                  <details className="steps">
                    <summary>examples</summary>
                    <ul>
                      {s.differ.examples.map((e) => (
                        <li key={e.ref}>
                          <code>{e.ref}</code>: {e.what} {e.here.slice(0, 12)} here, {e.there.slice(0, 12)} there
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
              </td>
              <td>{formatCount(s.onlyHere.count)}</td>
              <td>{formatCount(s.same)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A shareable manifest of the copy, and the comparison with another copy's: two colleagues (or a copy and a
 * published manifest) compared without moving any media.
 */
export function ManifestPanel({ suggestion }: { suggestion: string }) {
  const [out, setOut] = useState<string | null>(null);
  const [level, setLevel] = useState<VerifyLevel>('quick');
  const [hash, setHash] = useState(false);
  const [theirs, setTheirs] = useState('');
  const [job, setJob] = useState<JobSnapshot | null>(null);
  const [comparison, setComparison] = useState<ManifestComparisonInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { out: useId(), hash: useId(), theirs: useId() };
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const write = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await waitForJob(await api.manifest.write({ out: out ?? suggestion, level, hash }), setJob);
    });
  };
  const compare = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      // This copy as it is now, checked as deep as theirs was: their manifest's level is learnt from a first read,
      // a verify at that level runs (unchanged files are not looked at again), then the comparison counts.
      const path = theirs.trim();
      const first = await api.manifest.compare({ path });
      await waitForJob(await api.verify.start({ level: first.theirs.level as VerifyLevel }), setJob);
      setComparison(await api.manifest.compare({ path }));
    });
  };
  return (
    <section className="card" aria-label="Manifest of this copy">
      <h2 className="card__title">Manifest of this copy</h2>
      <p className="muted">
        A file describing every media file of the copy (status, size, duration, optionally sha256) to share, and the comparison with someone else's.
      </p>
      <form onSubmit={write} aria-label="Write a manifest">
        <label htmlFor={ids.out}>Manifest file (.jsonl.gz, or .csv.gz for CSV)</label>
        <input id={ids.out} className="input" value={out ?? suggestion} onChange={(e) => setOut(e.target.value)} spellCheck={false} />
        <SelectField
          label="Status at the level"
          className="input input--short"
          value={level}
          options={verifyLevels.map((l) => ({ value: l, label: l }))}
          onChange={setLevel}
        />
        <label className="radio" htmlFor={ids.hash}>
          <input id={ids.hash} type="checkbox" checked={hash} onChange={(e) => setHash(e.target.checked)} /> With sha256 of every file (files unchanged since
          their last hash are not read again)
        </label>
        <button type="submit" className="button" disabled={busy}>
          Write manifest
        </button>
      </form>
      <form onSubmit={compare} aria-label="Compare with another copy">
        <label htmlFor={ids.theirs}>Their manifest</label>
        <input
          id={ids.theirs}
          className="input"
          value={theirs}
          onChange={(e) => setTheirs(e.target.value)}
          spellCheck={false}
          placeholder="/path/to/their.jsonl.gz"
        />
        <button type="submit" className="button" disabled={busy || theirs.trim() === ''}>
          Compare
        </button>
      </form>
      {job ? (
        <p className="muted" data-testid="manifest-job">
          {job.message ?? job.state}
        </p>
      ) : null}
      {error ? <p className="field-error">{error}</p> : null}
      {comparison ? <ComparisonView result={comparison} /> : null}
    </section>
  );
}
