import type { SampleDetail } from '../../../../shared/api/models';
import type { SampleStatus } from '../../../../shared/api/viewer-models';

const TONES: Record<SampleStatus, string> = {
  ok: 'badge badge--finished',
  missing: 'badge badge--failed',
  corrupt: 'badge badge--failed',
  unchecked: 'badge badge--queued',
  'no-media': 'badge',
};

/** The media's state in one word, as the list's filters name it. */
export function sampleStatusOf(sample: SampleDetail): SampleStatus {
  if (!sample.sourceId || !sample.ref) return 'no-media';
  if (!sample.verified) return 'unchecked';
  if (sample.verified.status === 'ok') return 'ok';
  return sample.verified.status === 'corrupt' ? 'corrupt' : 'missing';
}

export function StatusBadge({ status }: { status: SampleStatus }) {
  return (
    <span className={TONES[status]} data-status={status}>
      {status}
    </span>
  );
}
