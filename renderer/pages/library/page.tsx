import { useShallow } from 'zustand/react/shallow';
import { Alert } from '../../components/alert';
import { AnnotationsPanel } from './components/annotations-panel';
import { CurrentLibrary } from './components/current-library';
import { LibraryForms } from './components/library-forms';
import { RecentLibraries } from './components/recent-libraries';
import { useLibraryStore } from './store';

export function LibraryPage() {
  const { loaded, current, error, dismissError } = useLibraryStore(
    useShallow((s) => ({ loaded: s.loaded, current: s.current, error: s.error, dismissError: s.dismissError })),
  );
  return (
    <section className="page" aria-labelledby="library-title">
      <header className="page__header">
        <h1 id="library-title">Library</h1>
        <p className="page__lede">
          A library is one folder on your disk: <code>library.sqlite</code> records what VideoChat2-IT needs and what you have, and <code>media/</code> holds
          the videos and images.
        </p>
      </header>
      {error ? (
        <Alert tone="error" onDismiss={dismissError}>
          {error}
        </Alert>
      ) : null}
      {!loaded ? <p className="muted">Loading…</p> : current ? <CurrentLibrary info={current} /> : <p className="muted">No library is open.</p>}
      {current ? <AnnotationsPanel /> : null}
      <LibraryForms />
      <RecentLibraries />
    </section>
  );
}
