import type { SourceReport, SubsetReport } from '../../../../shared/api/models';
import { formatBytes, formatCount } from '../../../components/format';
import { ProgressBar } from '../../../components/progress-bar';
import { FoundBy } from './found-by';

type Row = (SubsetReport | SourceReport) & { label: string };

/** One line per source or subset: records usable for training, media present, bytes on disk. */
export function CompletionTable({ rows, caption }: { rows: Row[]; caption: string }) {
  return (
    <table className="table table--compact">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{caption}</th>
          <th scope="col">Records OK / total</th>
          <th scope="col">Media present / total</th>
          <th scope="col">Missing</th>
          <th scope="col">Corrupt</th>
          <th scope="col">Unchecked</th>
          <th scope="col">On disk</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <td>
              <div className="cell-stack cell-stack--start">
                <code>{r.label}</code>
                {'found_by' in r ? <FoundBy counts={r.found_by} /> : null}
              </div>
            </td>
            <td className="table__progress">
              <div className="cell-stack">
                <ProgressBar done={r.ok_records} total={Math.max(1, r.records)} label={`${r.label} records OK`} />
                <span className="muted">
                  {formatCount(r.ok_records)} / {formatCount(r.records)}
                </span>
              </div>
            </td>
            <td className="table__progress">
              <div className="cell-stack">
                <ProgressBar done={r.present} total={Math.max(1, r.media)} label={`${r.label} media present`} />
                <span className="muted">
                  {formatCount(r.present)} / {formatCount(r.media)}
                </span>
              </div>
            </td>
            <td>{formatCount(r.missing)}</td>
            <td>{formatCount(r.corrupt)}</td>
            <td>{formatCount(r.unchecked)}</td>
            <td>{formatBytes(r.bytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
