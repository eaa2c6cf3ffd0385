import { useEffect, useState } from 'react';
import { DashboardPage } from './pages/dashboard/page';
import { JobsDrawer } from './pages/jobs/components/jobs-drawer';
import { JobsPage } from './pages/jobs/page';
import { useJobsStore } from './pages/jobs/store';
import { LibraryPage } from './pages/library/page';
import { useLibraryStore } from './pages/library/store';
import { MissingPage } from './pages/missing/page';
import { SamplesPage } from './pages/samples/page';
import { SettingsPage } from './pages/settings/page';
import { SourcesPage } from './pages/sources/page';
import { WasmCutter } from './pages/sources/wasm/wasm-cutter';
import { type ConnectionState, onConnection } from './transport/transport';

const PAGES = [
  { id: 'library', label: 'Library', Component: LibraryPage },
  { id: 'dashboard', label: 'Dashboard', Component: DashboardPage },
  { id: 'sources', label: 'Sources', Component: SourcesPage },
  { id: 'missing', label: 'Missing', Component: MissingPage },
  { id: 'samples', label: 'Samples', Component: SamplesPage },
  { id: 'jobs', label: 'Jobs', Component: JobsPage },
  { id: 'settings', label: 'Settings', Component: SettingsPage },
] as const;
type PageId = (typeof PAGES)[number]['id'];

function pageFromHash(): PageId {
  const id = location.hash.replace(/^#\/?/, '').replace(/\?.*$/, '');
  return PAGES.find((p) => p.id === id)?.id ?? 'library';
}

/** Pages are addressed by the URL hash, so reloads and links keep their place without a router dependency. */
function useHashPage(): PageId {
  const [page, setPage] = useState(pageFromHash);
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return page;
}

function useConnection(): ConnectionState {
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => onConnection(setState), []);
  return state;
}

export function App() {
  const page = useHashPage();
  const connection = useConnection();
  const library = useLibraryStore((s) => s.current);
  const Active = PAGES.find((p) => p.id === page)?.Component ?? LibraryPage;
  const drawerOpen = useJobsStore((s) => s.drawerOpen);
  const setDrawer = useJobsStore((s) => s.setDrawer);
  const active = useJobsStore((s) => Object.values(s.byId).filter((j) => j.state === 'running' || j.state === 'queued').length);
  return (
    <div className={drawerOpen ? 'shell shell--drawer' : 'shell'}>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            V2
          </span>
          <div>
            <div className="brand__name">VC2 Media Manager</div>
            <div className="brand__sub">{library ? library.name : 'no library open'}</div>
          </div>
        </div>
        <ul className="nav">
          {PAGES.map((p) => (
            <li key={p.id}>
              <a className={p.id === page ? 'nav__link nav__link--active' : 'nav__link'} href={`#/${p.id}`} aria-current={p.id === page ? 'page' : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
        <button type="button" className="drawer-toggle" aria-expanded={drawerOpen} aria-controls="jobs-drawer" onClick={() => setDrawer(!drawerOpen)}>
          Jobs drawer{active > 0 ? ` · ${active} active` : ''}
        </button>
      </nav>
      <main className="content">
        {connection === 'lost' ? (
          <div className="alert alert--error" role="alert">
            Lost the connection to the engine. Reconnecting…
          </div>
        ) : null}
        <WasmCutter />
        <Active />
      </main>
      {drawerOpen ? (
        <div id="jobs-drawer">
          <JobsDrawer />
        </div>
      ) : null}
    </div>
  );
}
