import { formatDate } from '../../../components/format';
import { useLibraryStore } from '../store';

export function RecentLibraries() {
  const recent = useLibraryStore((s) => s.recent);
  const current = useLibraryStore((s) => s.current);
  const busy = useLibraryStore((s) => s.busy);
  const open = useLibraryStore((s) => s.open);
  const forget = useLibraryStore((s) => s.forget);
  if (recent.length === 0) return null;
  return (
    <section className="card" aria-labelledby="recent-title">
      <h2 id="recent-title" className="card__title">
        Recent libraries
      </h2>
      <ul className="recent-list">
        {recent.map((r) => (
          <li key={r.path} className="recent-list__item">
            <div>
              <strong>{r.name}</strong> {r.path === current?.path ? <span className="badge">open</span> : null}
              {!r.available ? <span className="badge badge--warn">missing</span> : null}
              <div className="muted">
                <code>{r.path}</code> · last opened {formatDate(r.lastOpenedAt)}
              </div>
            </div>
            <div className="recent-list__actions">
              <button type="button" className="button" disabled={busy || !r.available || r.path === current?.path} onClick={() => void open(r.path)}>
                Open
              </button>
              <button type="button" className="button button--ghost" disabled={busy} onClick={() => void forget(r.path)} aria-label={`Forget ${r.path}`}>
                Forget
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
