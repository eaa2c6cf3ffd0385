import type { SubsetStatus } from '../../../../shared/api/models';
import { formatCount } from '../../../components/format';

const MODALITIES = [
  { id: 'video', label: 'Video' },
  { id: 'image', label: 'Image' },
  { id: 'text', label: 'Text' },
] as const;

function countCell(s: SubsetStatus): string {
  if (s.records === null) return 'not ingested';
  return s.expectedRecords === null ? formatCount(s.records) : `${formatCount(s.records)} / ${formatCount(s.expectedRecords)}`;
}

/** Subsets grouped by modality, then task, with records ingested against the count the catalog expects. */
export function SubsetsTable({ subsets }: { subsets: SubsetStatus[] }) {
  return (
    <div className="subsets">
      {MODALITIES.map(({ id, label }) => {
        const rows = subsets.filter((s) => s.modality === id).sort((a, b) => a.task.localeCompare(b.task) || a.id.localeCompare(b.id));
        const ingested = rows.filter((s) => s.records !== null).length;
        return (
          <section key={id} aria-label={`${label} subsets`}>
            <h3 className="subsets__title">
              {label}{' '}
              <span className="muted">
                · {ingested} of {rows.length} subsets ingested
              </span>
            </h3>
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Subset</th>
                  <th scope="col">Source</th>
                  <th scope="col">Records / expected</th>
                  <th scope="col">Media refs</th>
                  <th scope="col">Flagged</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.id} className={s.records === null ? 'row--pending' : undefined}>
                    <td>{s.task}</td>
                    <td>
                      <code>{s.id}</code>
                      {s.lastError ? (
                        <div className="field-error" title={s.lastError}>
                          last import failed: {s.lastError.slice(0, 140)}
                        </div>
                      ) : null}
                    </td>
                    <td>{s.source ?? '—'}</td>
                    <td>{countCell(s)}</td>
                    <td>{s.records === null ? '—' : formatCount(s.mediaRefs)}</td>
                    <td>{s.records === null ? '—' : formatCount(s.flagged)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
