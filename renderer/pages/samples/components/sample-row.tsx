import type { ReactNode } from 'react';
import type { ListRow } from '../store';
import { StatusBadge } from './status-badge';

/** A snippet with its matched words highlighted. */
function Marked({ text, marks }: { text: string; marks: Array<[number, number]> }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [s, e] of marks) {
    if (s > at) parts.push(text.slice(at, s));
    parts.push(<mark key={s}>{text.slice(s, e)}</mark>);
    at = e;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

const seconds = (v: number | null) => (v === null ? '…' : `${Number(v.toFixed(2))}`);

/** One line of the list: subset and index, media status, ref and segment; the first question or the search snippet. */
export function SampleRowView({ row, position }: { row: ListRow | undefined; position: number }) {
  if (!row) return <div className="sample-row sample-row--loading">#{(position + 1).toLocaleString('en-US')} …</div>;
  const segment = row.start !== null || row.end !== null ? ` [${seconds(row.start)}–${seconds(row.end)} s]` : '';
  return (
    <div className="sample-row" data-testid="sample-row" data-subset={row.subsetId} data-index={row.index}>
      <div className="sample-row__top">
        <span className="sample-row__subset">
          {row.subsetId} <span className="muted">#{row.index}</span>
        </span>
        <StatusBadge status={row.status} />
        <code className="sample-row__ref">{row.ref ?? '(no media)'}</code>
        {segment ? <span className="sample-row__segment">{segment}</span> : null}
      </div>
      <div className="sample-row__text">{row.snippet !== undefined ? <Marked text={row.snippet} marks={row.marks} /> : row.text}</div>
    </div>
  );
}
