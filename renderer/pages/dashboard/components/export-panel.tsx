import { type FormEvent, useId, useState } from 'react';
import { type VerifyLevel, verifyLevels } from '../../../../shared/api/models';
import { SelectField } from '../../../components/select-field';
import { useDashboardStore } from '../store';

/** The training-ready copy: verified records only, and an instruction_data.py for the upstream trainer. */
export function ExportPanel({ suggestion }: { suggestion: string }) {
  const busy = useDashboardStore((s) => s.busy);
  const exportTo = useDashboardStore((s) => s.exportTo);
  const [path, setPath] = useState<string | null>(null);
  const [level, setLevel] = useState<VerifyLevel>('quick');
  const pathId = useId();
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
      <label htmlFor={pathId}>Folder</label>
      <input id={pathId} className="input" value={path ?? suggestion} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
      <SelectField
        label="Media verified at least at"
        className="input input--short"
        value={level}
        options={verifyLevels.map((l) => ({ value: l, label: l }))}
        onChange={setLevel}
      />
      <button type="submit" className="button" disabled={busy}>
        Export
      </button>
    </form>
  );
}
