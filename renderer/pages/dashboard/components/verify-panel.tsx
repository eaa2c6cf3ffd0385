import { type FormEvent, useEffect, useState } from 'react';
import { type VerifyLevel, verifyLevels } from '../../../../shared/api/models';
import { RunningJobCard } from '../../../components/running-job-card';
import { SelectField } from '../../../components/select-field';
import { useJobsStore } from '../../jobs/store';
import { etaSeconds, useDashboardStore } from '../store';

const LEVEL_HELP: Record<VerifyLevel, string> = {
  quick: 'Quick: every file exists and is not empty.',
  container: 'Container: every file is also parsed and found complete (no tools spawned).',
  decode: 'Decode: ffmpeg also decodes every file (slow; long videos in three windows).',
};

function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} min left`;
  return `${(seconds / 3600).toFixed(1)} h left`;
}

/** One Verify button with a level, then progress, time left and Cancel while it runs. */
export function VerifyPanel() {
  const busy = useDashboardStore((s) => s.busy);
  const verify = useDashboardStore((s) => s.verify);
  const rateStart = useDashboardStore((s) => s.rateStart);
  const running = useJobsStore((s) => Object.values(s.byId).find((j) => j.kind === 'verify.run' && (j.state === 'running' || j.state === 'queued')));
  const cancel = useJobsStore((s) => s.cancel);
  const [level, setLevel] = useState<VerifyLevel>('quick');
  const [force, setForce] = useState(false);
  const [, tick] = useState(0);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [running]);

  if (running) {
    const eta = etaSeconds(running, rateStart);
    return (
      <RunningJobCard
        label="Verifying"
        title="Verifying media"
        job={running}
        {...(eta === null ? {} : { suffix: formatEta(eta) })}
        onCancel={() => void cancel([running.id])}
      />
    );
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void verify(level, force);
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-label="Verify media">
      <h2 className="card__title">Verify media</h2>
      <p className="muted">Checks every file the annotations need, under each source's folder. Files unchanged since their last check are skipped.</p>
      <SelectField label="Level" className="input input--short" value={level} options={verifyLevels.map((l) => ({ value: l, label: l }))} onChange={setLevel} />
      <p className="hint">{LEVEL_HELP[level]}</p>
      <label className="checkbox">
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Check unchanged files again
      </label>
      <button type="submit" className="button button--primary" disabled={busy}>
        Verify
      </button>
    </form>
  );
}
