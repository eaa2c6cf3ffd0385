import { type FormEvent, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { RunningJobCard } from '../../../components/running-job-card';
import { useJobsStore } from '../../jobs/store';
import { useLibraryStore } from '../store';

/** Download from Hugging Face, import a folder, or take a copy found in the HF cache; one job at a time, cancellable. */
export function GetAnnotations() {
  const { busy, hfTokenSet, candidates, fetchAnnotations, importAnnotations } = useLibraryStore(
    useShallow((s) => ({
      busy: s.busy,
      hfTokenSet: s.hfTokenSet,
      candidates: s.candidates,
      fetchAnnotations: s.fetchAnnotations,
      importAnnotations: s.importAnnotations,
    })),
  );
  const running = useJobsStore((s) => Object.values(s.byId).find((j) => j.kind.startsWith('annotations.') && (j.state === 'running' || j.state === 'queued')));
  const lastEnded = useJobsStore(
    (s) =>
      Object.values(s.byId)
        .filter((j) => j.kind.startsWith('annotations.') && (j.state === 'finished' || j.state === 'failed' || j.state === 'cancelled'))
        .sort((a, b) => b.id - a.id)[0],
  );
  const cancel = useJobsStore((s) => s.cancel);
  const [revision, setRevision] = useState('main');
  const [folder, setFolder] = useState('');
  const ids = { revision: useId(), folder: useId() };

  if (running) {
    const fetching = running.kind === 'annotations.fetch';
    return (
      <RunningJobCard
        label="Getting annotations"
        title={fetching ? 'Downloading annotations' : 'Importing annotations'}
        job={running}
        onCancel={() => void cancel([running.id])}
      />
    );
  }

  const onFetch = (event: FormEvent) => {
    event.preventDefault();
    void fetchAnnotations(revision.trim() || 'main');
  };
  const onImport = (event: FormEvent) => {
    event.preventDefault();
    void importAnnotations(folder);
  };

  return (
    <div className="grid-2">
      <form className="card" onSubmit={onFetch} aria-label="Download from Hugging Face">
        <h3 className="card__title">Download from Hugging Face</h3>
        {hfTokenSet ? (
          <p className="muted">About 1.9 million records in 60 JSON files. Files you already have are not downloaded again.</p>
        ) : (
          <p className="notice">
            VideoChat2-IT is gated: Hugging Face only serves it to an account that has accepted its terms. Accept them on the dataset page, then save a read
            token in <a href="#/settings">Settings</a>.
          </p>
        )}
        <label htmlFor={ids.revision}>Revision</label>
        <input id={ids.revision} className="input input--short" value={revision} onChange={(e) => setRevision(e.target.value)} spellCheck={false} />
        <button type="submit" className="button button--primary" disabled={busy}>
          Get annotations
        </button>
      </form>
      <form className="card" onSubmit={onImport} aria-label="Import from a folder">
        <h3 className="card__title">Import from a folder</h3>
        <p className="muted">A folder holding the dataset's image/, video/ and text/ folders, e.g. a copy made with huggingface-cli.</p>
        {candidates.map((c) => (
          <button key={c.path} type="button" className="button button--secondary" disabled={busy} onClick={() => void importAnnotations(c.path)}>
            Import from the Hugging Face cache ({c.files} files, revision {c.revision?.slice(0, 8)})
          </button>
        ))}
        <label htmlFor={ids.folder}>Folder</label>
        <input
          id={ids.folder}
          className="input"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          placeholder="/data/VideoChat2-IT"
          spellCheck={false}
        />
        <button type="submit" className="button" disabled={busy || folder.trim() === ''}>
          Import
        </button>
      </form>
      {lastEnded && lastEnded.state !== 'finished' ? (
        <p className="field-error grid-2__wide" role="alert">
          Last {lastEnded.kind === 'annotations.fetch' ? 'download' : 'import'} {lastEnded.state}: {lastEnded.message}
        </p>
      ) : null}
    </div>
  );
}
