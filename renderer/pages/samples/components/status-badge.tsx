import type { SampleStatus } from '../../../../shared/api/viewer-models';

export { sampleStatusOf } from '../../../../shared/api/viewer-models';

const TONES: Record<SampleStatus, string> = {
  ok: 'badge badge--finished',
  missing: 'badge badge--failed',
  corrupt: 'badge badge--failed',
  unchecked: 'badge badge--queued',
  'no-media': 'badge',
};

export function StatusBadge({ status }: { status: SampleStatus }) {
  return (
    <span className={TONES[status]} data-status={status}>
      {status}
    </span>
  );
}
