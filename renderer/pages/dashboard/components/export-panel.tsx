import { type FormEvent, useId, useState } from 'react';
import { type VerifyLevel, verifyLevels } from '../../../../shared/api/models';
import { useDashboardStore } from '../store';

/** The training-ready copy: verified records only, and an instruction_data.py for the upstream trainer. */
export function ExportPanel({ suggestion }: { suggestion: string }) {
  const busy = useDashboardStore((s) => s.busy);
  const exportTo = useDashboardStore((s) => s.exportTo);
  const [path, setPath] = useState<string | null>(null);
  const [level, setLevel] = useState<VerifyLevel>('quick');
  const ids = { path: useId(), level: useId() };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void exportTo(path ?? suggestion, level);
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-label="Export for training">
      <h2 className="card__title">Export for training</h2>
      <p className="muted">
        Writes each subset's records whose media verified, and an <code>instruction_data.py</code> the upstream trainer can use as is.
      </p>
      <label htmlFor={ids.path}>Folder</label>
      <input id={ids.path} className="input" value={path ?? suggestion} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
      <label htmlFor={ids.level}>Media verified at least at</label>
      <select id={ids.level} className="input input--short" value={level} onChange={(e) => setLevel(e.target.value as VerifyLevel)}>
        {verifyLevels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <button type="submit" className="button" disabled={busy}>
        Export
      </button>
    </form>
  );
}
