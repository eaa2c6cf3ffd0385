import { type FormEvent, useId, useState } from 'react';
import { useLibraryStore } from '../store';

/** Create a new library or open an existing one, by folder path (typed, pasted, or the suggested default). */
export function LibraryForms() {
  const defaultPath = useLibraryStore((s) => s.defaultPath);
  const busy = useLibraryStore((s) => s.busy);
  const create = useLibraryStore((s) => s.create);
  const open = useLibraryStore((s) => s.open);
  const [createPath, setCreatePath] = useState<string | null>(null);
  const [openPath, setOpenPath] = useState('');
  const createId = useId();
  const openId = useId();

  const onCreate = async (event: FormEvent) => {
    event.preventDefault();
    if (await create(createPath ?? defaultPath)) setCreatePath(null);
  };
  const onOpen = async (event: FormEvent) => {
    event.preventDefault();
    if (await open(openPath)) setOpenPath('');
  };

  return (
    <div className="grid-2">
      <form className="card" onSubmit={onCreate} aria-label="Create a library">
        <h2 className="card__title">Create a library</h2>
        <p className="muted">Pick an empty folder with room for the media (the full dataset needs several terabytes).</p>
        <label htmlFor={createId}>Library folder</label>
        <input id={createId} className="input" value={createPath ?? defaultPath} onChange={(e) => setCreatePath(e.target.value)} spellCheck={false} />
        <button type="submit" className="button button--primary" disabled={busy}>
          Create library
        </button>
      </form>
      <form className="card" onSubmit={onOpen} aria-label="Open a library">
        <h2 className="card__title">Open a library</h2>
        <p className="muted">A folder that holds a library.sqlite made by this app, on this machine or a shared drive.</p>
        <label htmlFor={openId}>Library folder</label>
        <input
          id={openId}
          className="input"
          value={openPath}
          onChange={(e) => setOpenPath(e.target.value)}
          placeholder="/data/VideoChat2-IT"
          spellCheck={false}
        />
        <button type="submit" className="button" disabled={busy || openPath.trim() === ''}>
          Open library
        </button>
      </form>
    </div>
  );
}
