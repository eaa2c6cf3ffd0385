import type { M3itCheck, M3itTaskStatus } from '../../../../shared/api/m3it-models';
import { formatBytes, formatCount } from '../../../components/format';
import { ProgressBar } from '../../../components/progress-bar';
import { useSourcesStore } from '../store';

const VERDICT: Record<NonNullable<M3itTaskStatus['verdict']>, { label: string; badge: string }> = {
  ok: { label: 'rule checked: ok', badge: 'badge--finished' },
  mismatch: { label: 'mismatch', badge: 'badge--warn' },
  unchecked: { label: 'not checked', badge: '' },
};

/** A check's findings in words: indices past the end, refs of another shape, spot-checks that differ. */
function findings(check: M3itCheck): string[] {
  const out: string[] = [];
  if (check.beyond.count > 0) {
    out.push(
      `${formatCount(check.beyond.count)} ${check.beyond.count === 1 ? 'index' : 'indices'} past the ${formatCount(check.records)} records (e.g. ${check.beyond.examples.join(', ')})`,
    );
  }
  if (check.unexpectedRefs.count > 0)
    out.push(`${formatCount(check.unexpectedRefs.count)} refs not train/<i>.jpg (e.g. ${check.unexpectedRefs.examples.join(', ')})`);
  if (check.mismatched.count > 0) out.push(`${check.mismatched.count} of ${check.spotChecked} spot-checked records differ from M3IT's at their index`);
  return out;
}

function CheckDetails({ task }: { task: M3itTaskStatus }) {
  if (task.checks.length === 0 && task.notJpegExamples.length === 0 && task.problemExamples.length === 0 && !task.note) return null;
  return (
    <details className="steps" data-testid={`m3it-details-${task.task}`}>
      <summary>Findings</summary>
      <ul>
        {task.note ? <li>{task.note}</li> : null}
        {task.checks.map((check) => (
          <li key={check.task}>
            <strong>{check.task}</strong>: {check.used} images used, highest index {check.highestUsed ?? '–'}, {check.spotChecked} spot-checked —{' '}
            {check.verdict === 'ok' ? 'matches' : findings(check).join('; ')}
            {check.mismatched.examples.length > 0 ? (
              <ul>
                {check.mismatched.examples.map((e) => (
                  <li key={e.index}>
                    #{e.index}: annotation “{e.annotation.answer}” · M3IT “{e.m3it.outputs}”
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
        {task.notJpegExamples.length > 0 ? (
          <li>
            Not JPEG (written as they are under their .jpg names): {task.notJpegExamples.map((e) => `#${e.index} ${e.format}`).join(', ')}
            {(task.decoded?.notJpeg ?? 0) > task.notJpegExamples.length ? ', …' : ''}
          </li>
        ) : null}
        {task.problemExamples.map((p) => (
          <li key={`${p.index}-${p.offset}`}>
            Record {p.index ?? '?'} at byte {formatCount(p.offset)}: {p.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}

function FileCell({ task }: { task: M3itTaskStatus }) {
  const file = task.file;
  if (!file) return <span className="muted">not fetched</span>;
  if (file.state === 'failed') return <span className="muted">failed: {file.error}</span>;
  return (
    <div className="cell-stack">
      <span>
        {file.state} · {formatBytes(file.bytes)}
        {file.total !== null ? ` of ${formatBytes(file.total)}` : ''}
      </span>
      {file.state !== 'done' && file.total ? <ProgressBar done={file.bytes} total={file.total} label={`${task.task} JSONL`} /> : null}
      {task.decoded?.repoPath ? <code className="path">{task.decoded.repoPath}</code> : null}
    </div>
  );
}

/**
 * M3IT's 16 image subsets, per task: its train.jsonl from the Hub, the images decoded from it, and the check of the
 * index rule against the annotations (#13). A task is fetched and decoded on its own, or all used ones at once.
 */
export function M3itPanel() {
  const tasks = useSourcesStore((s) => s.m3it);
  const busy = useSourcesStore((s) => s.busy === 'm3it');
  const { getM3it } = useSourcesStore.getState();
  if (tasks.length === 0) return null;
  const decoded = tasks.filter((t) => t.decoded);
  const mismatches = tasks.filter((t) => t.verdict === 'mismatch').length;
  return (
    <section className="card" aria-label="M3IT images">
      <div className="card__header">
        <h2 className="card__title">M3IT images</h2>
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void getM3it([])}>
          Get and decode the tasks in use
        </button>
      </div>
      <p className="muted">
        The images are base64 inside each task's train.jsonl on the Hub; record <em>i</em> becomes <code>&lt;task&gt;/train/&lt;i&gt;.jpg</code>, and the rule
        is checked against the annotations rather than trusted. {decoded.length} of {tasks.length} tasks decoded
        {mismatches > 0 ? `, ${mismatches} with a mismatch` : ''}.
      </p>
      <table className="table table--compact" aria-label="M3IT tasks">
        <thead>
          <tr>
            <th scope="col">Task and subsets</th>
            <th scope="col">JSONL</th>
            <th scope="col">Images</th>
            <th scope="col">Check</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.task} data-testid={`m3it-${task.task}`}>
              <th scope="row">
                <div className="cell-stack">
                  <code>{task.task}</code>
                  <span className="muted">{task.subsets.join(', ')}</span>
                </div>
              </th>
              <td>
                <FileCell task={task} />
              </td>
              <td>
                {task.decoded ? (
                  <div className="cell-stack">
                    <span>
                      {formatCount(task.decoded.written + task.decoded.unchanged)} of {formatCount(task.decoded.records)} records
                    </span>
                    {task.decoded.notJpeg > 0 ? <span className="muted">{formatCount(task.decoded.notJpeg)} not JPEG</span> : null}
                    {task.decoded.problems > 0 ? <span className="muted">{formatCount(task.decoded.problems)} unreadable records</span> : null}
                  </div>
                ) : (
                  <span className="muted">–</span>
                )}
              </td>
              <td>
                <div className="cell-stack cell-stack--start">
                  {task.verdict ? (
                    <span className={`badge ${VERDICT[task.verdict].badge}`}>{VERDICT[task.verdict].label}</span>
                  ) : (
                    <span className="muted">–</span>
                  )}
                  <CheckDetails task={task} />
                </div>
              </td>
              <td>
                {task.decoded ? null : (
                  <button type="button" className="button" disabled={busy} onClick={() => void getM3it([task.task])}>
                    {task.file ? 'Continue' : 'Get'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
