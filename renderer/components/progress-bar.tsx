export interface ProgressBarProps {
  done: number;
  total: number | null;
  label: string;
}

/** A determinate bar when the total is known, an indeterminate one while it is still being counted. */
export function ProgressBar({ done, total, label }: ProgressBarProps) {
  const known = total !== null && total > 0;
  const percent = known ? Math.min(100, (done / total) * 100) : null;
  return (
    <div
      className={known ? 'progress' : 'progress progress--indeterminate'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? total : undefined}
      aria-valuenow={known ? done : undefined}
    >
      <div className="progress__fill" style={percent === null ? undefined : { width: `${percent}%` }} />
    </div>
  );
}
