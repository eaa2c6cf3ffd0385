import { Alert } from '../../components/alert';
import { useLibraryStore } from '../library/store';
import { GeneralSettingsForm } from './components/general-settings-form';
import { HfTokenForm } from './components/hf-token-form';
import { MirrorsForm } from './components/mirrors-form';
import { useSettingsStore } from './store';

export function SettingsPage() {
  const settings = useSettingsStore((s) => s.settings);
  const error = useSettingsStore((s) => s.error);
  const notice = useSettingsStore((s) => s.notice);
  const current = useLibraryStore((s) => s.current);
  return (
    <section className="page" aria-labelledby="settings-title">
      <header className="page__header">
        <h1 id="settings-title">Settings</h1>
        <p className="page__lede">These settings belong to this computer and apply to every library.</p>
      </header>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <article className="card" aria-label="Library folder">
        <h2 className="card__title">Library folder</h2>
        <p>
          {current ? (
            <>
              The open library is <code>{current.path}</code>.
            </>
          ) : (
            'No library is open.'
          )}{' '}
          New libraries are suggested at <code>{settings?.defaultLibraryPath ?? '…'}</code>; choose or create one on the Library page.
        </p>
      </article>
      {settings ? (
        <>
          <HfTokenForm settings={settings} />
          <GeneralSettingsForm settings={settings} />
          <MirrorsForm settings={settings} />
        </>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}
