import { formatCount } from '../../../components/format';
import { useLibraryStore } from '../store';
import { GetAnnotations } from './get-annotations';
import { SubsetsTable } from './subsets-table';

export function AnnotationsPanel() {
  const annotations = useLibraryStore((s) => s.annotations);
  if (!annotations) return null;
  const ingested = annotations.subsets.filter((s) => s.records !== null);
  const records = ingested.reduce((sum, s) => sum + (s.records ?? 0), 0);
  const expected = annotations.subsets.reduce((sum, s) => sum + (s.expectedRecords ?? 0), 0);
  return (
    <section className="card" aria-labelledby="annotations-title">
      <div className="card__header">
        <div>
          <p className="eyebrow">Annotations</p>
          <h2 id="annotations-title" className="card__title">
            {formatCount(records)} records in {ingested.length} of {annotations.subsets.length} subsets
          </h2>
          <p className="muted">
            Catalog expects about {formatCount(expected)} records where counts are known · Hub revision{' '}
            {annotations.revision ? <code>{annotations.revision.slice(0, 12)}</code> : 'none yet'}
          </p>
        </div>
      </div>
      <GetAnnotations />
      <SubsetsTable subsets={annotations.subsets} />
    </section>
  );
}
