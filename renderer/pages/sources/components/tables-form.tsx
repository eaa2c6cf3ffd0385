import { type FormEvent, useId, useState } from 'react';
import { useSourcesStore } from '../store';
import { PathPicker } from './path-picker';

const TABLES = [{ name: 'CSV tables', extensions: ['csv', 'gz'] }];

/**
 * "Use my tables…" for a per-clip route (WebVid): metadata CSVs the user has (a file, or a folder of them) instead
 * of the route's own from the Hub. Clips that failed for want of a table row are tried again with them.
 */
export function TablesForm({ sourceId, name, onDone }: { sourceId: string; name: string; onDone: () => void }) {
  const downloadWithTables = useSourcesStore((s) => s.downloadWithTables);
  const busy = useSourcesStore((s) => s.busy === sourceId);
  const [path, setPath] = useState('');
  const id = useId();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await downloadWithTables(sourceId, [path.trim()])) onDone();
  };
  return (
    <form className="import-form" aria-label={`Metadata tables for ${name}`} onSubmit={onSubmit}>
      <label htmlFor={id}>A metadata CSV (videoid, contentUrl, page_dir), or a folder of them</label>
      <input id={id} className="input" value={path} onChange={(e) => setPath(e.target.value)} placeholder="~/webvid/results_2M_train.csv" spellCheck={false} />
      <PathPicker fileLabel="Choose table…" titleFor={(kind) => `${name} metadata table${kind === 'folder' ? 's' : ''}`} filters={TABLES} onPick={setPath} />
      <div className="row">
        <button type="submit" className="button button--primary" disabled={busy || path.trim() === ''}>
          Download with these tables
        </button>
        <button type="button" className="button button--ghost" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}
