import { type FormEvent, useId, useState } from 'react';
import { type ImportMode, useSourcesStore } from '../store';
import { PathPicker } from './path-picker';

/** What an archive of a source can be called: whole, gzipped tar, or one part of a byte-split one. */
const ARCHIVES = [{ name: 'Archives and their parts', extensions: ['zip', 'tar', 'gz', 'tgz', '*'] }];

const MODES: Array<{ mode: ImportMode; label: string; hint: string }> = [
  { mode: 'root', label: 'Use in place', hint: 'no copy: the folder becomes the source’s root (an archive is extracted)' },
  { mode: 'link', label: 'Hard-link', hint: 'into the library, same file system only, no extra space' },
  { mode: 'copy', label: 'Copy', hint: 'into the library' },
  { mode: 'move', label: 'Move', hint: 'into the library, the originals go' },
];

/**
 * "Import…": an archive or a folder the user already has: chosen in the system's picker in the desktop app, typed
 * as a path in the web host (which has no picker of its own).
 */
export function ImportForm({ sourceId, name, onDone }: { sourceId: string; name: string; onDone: () => void }) {
  const importFrom = useSourcesStore((s) => s.importFrom);
  const busy = useSourcesStore((s) => s.busy === sourceId);
  const [path, setPath] = useState('');
  const [mode, setMode] = useState<ImportMode>('root');
  const id = useId();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await importFrom(sourceId, path.trim(), mode)) onDone();
  };
  return (
    <form className="import-form" aria-label={`Import ${name}`} onSubmit={onSubmit}>
      <label htmlFor={id}>Archive or folder holding {name}’s media</label>
      <input
        id={id}
        className="input"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        placeholder="/data/shared/egoqa or ~/Downloads/x.zip"
        spellCheck={false}
      />
      <PathPicker
        fileLabel="Choose archive…"
        titleFor={(kind) => (kind === 'file' ? `Archive holding ${name}’s media` : `Folder holding ${name}’s media`)}
        filters={ARCHIVES}
        onPick={setPath}
      />
      <fieldset className="row fieldset--plain">
        <legend className="sr-only">How</legend>
        {MODES.map((m) => (
          <label key={m.mode} className="radio" title={m.hint}>
            <input type="radio" name={`${id}-mode`} value={m.mode} checked={mode === m.mode} onChange={() => setMode(m.mode)} /> {m.label}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <button type="submit" className="button button--primary" disabled={busy || path.trim() === ''}>
          Import
        </button>
        <button type="button" className="button button--ghost" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}
