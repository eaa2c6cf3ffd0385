import { type FormEvent, useId, useState } from 'react';
import { type Settings, SettingsPatchSchema } from '../../../../shared/api/models';
import { useSettingsStore } from '../store';

const SOURCE_NOTE: Record<Settings['hfEndpointSource'], string> = {
  settings: 'set here',
  env: 'from HF_ENDPOINT',
  default: 'the default',
};

export function GeneralSettingsForm({ settings }: { settings: Settings }) {
  const saving = useSettingsStore((s) => s.saving);
  const update = useSettingsStore((s) => s.update);
  const [endpoint, setEndpoint] = useState(settings.hfEndpointSource === 'settings' ? settings.hfEndpoint : '');
  const [concurrency, setConcurrency] = useState(String(settings.downloadConcurrency));
  const [ffmpegPath, setFfmpegPath] = useState(settings.ffmpegPath);
  const [bandwidth, setBandwidth] = useState(String(settings.bandwidthLimitMBps));
  const [deleteArchives, setDeleteArchives] = useState(settings.deleteArchivesAfterExtract);
  const [watchDownloads, setWatchDownloads] = useState(settings.watchDownloads);
  const [downloadsFolder, setDownloadsFolder] = useState(settings.downloadsFolder);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const ids = {
    endpoint: useId(),
    concurrency: useId(),
    ffmpeg: useId(),
    bandwidth: useId(),
    deleteArchives: useId(),
    watchDownloads: useId(),
    downloadsFolder: useId(),
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    // The same schema the engine enforces, so the form and main never disagree on what is valid.
    const parsed = SettingsPatchSchema.safeParse({
      hfEndpoint: endpoint.trim(),
      downloadConcurrency: Number(concurrency),
      bandwidthLimitMBps: bandwidth.trim() === '' ? 0 : Number(bandwidth),
      deleteArchivesAfterExtract: deleteArchives,
      watchDownloads,
      downloadsFolder,
      ffmpegPath,
    });
    if (!parsed.success) {
      setProblems(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setProblems({});
    await update(parsed.data);
  };

  return (
    <form className="card" onSubmit={onSubmit} aria-label="Downloads and tools" noValidate>
      <h2 className="card__title">Downloads and tools</h2>
      <label htmlFor={ids.endpoint}>Hugging Face endpoint</label>
      <input
        id={ids.endpoint}
        className="input"
        value={endpoint}
        onChange={(e) => setEndpoint(e.target.value)}
        placeholder={settings.hfEndpoint}
        spellCheck={false}
      />
      <p className="hint">
        In use: <code>{settings.hfEndpoint}</code> ({SOURCE_NOTE[settings.hfEndpointSource]}). Leave empty for HF_ENDPOINT or huggingface.co; set a mirror's
        address here.
      </p>
      {problems.hfEndpoint ? <p className="field-error">{problems.hfEndpoint}</p> : null}
      <label htmlFor={ids.concurrency}>Parallel downloads</label>
      <input
        id={ids.concurrency}
        className="input input--short"
        type="number"
        min={1}
        max={32}
        value={concurrency}
        onChange={(e) => setConcurrency(e.target.value)}
      />
      {problems.downloadConcurrency ? <p className="field-error">{problems.downloadConcurrency}</p> : null}
      <label htmlFor={ids.bandwidth}>Bandwidth limit (MB/s, 0 for none)</label>
      <input
        id={ids.bandwidth}
        className="input input--short"
        type="number"
        min={0}
        step="any"
        value={bandwidth}
        onChange={(e) => setBandwidth(e.target.value)}
      />
      <p className="hint">All downloads together; a running download takes a new limit on its next file.</p>
      {problems.bandwidthLimitMBps ? <p className="field-error">{problems.bandwidthLimitMBps}</p> : null}
      <label className="radio" htmlFor={ids.deleteArchives}>
        <input id={ids.deleteArchives} type="checkbox" checked={deleteArchives} onChange={(e) => setDeleteArchives(e.target.checked)} /> Delete each archive
        once it is extracted and every entry checked
      </label>
      <label className="radio" htmlFor={ids.watchDownloads}>
        <input id={ids.watchDownloads} type="checkbox" checked={watchDownloads} onChange={(e) => setWatchDownloads(e.target.checked)} /> Watch my Downloads
        folder for the files the sources fetched by hand ask for, and offer to import them
      </label>
      <label htmlFor={ids.downloadsFolder}>Downloads folder</label>
      <input
        id={ids.downloadsFolder}
        className="input"
        value={downloadsFolder}
        onChange={(e) => setDownloadsFolder(e.target.value)}
        placeholder="the system's Downloads folder"
        spellCheck={false}
      />
      <p className="hint">Only its file names and sizes are read, every few seconds, while the watch is on; nothing is moved until you import.</p>
      {problems.downloadsFolder ? <p className="field-error">{problems.downloadsFolder}</p> : null}
      <label htmlFor={ids.ffmpeg}>ffmpeg executable</label>
      <input
        id={ids.ffmpeg}
        className="input"
        value={ffmpegPath}
        onChange={(e) => setFfmpegPath(e.target.value)}
        placeholder="ffmpeg (found on PATH)"
        spellCheck={false}
      />
      {problems.ffmpegPath ? <p className="field-error">{problems.ffmpegPath}</p> : null}
      <button type="submit" className="button button--primary" disabled={saving}>
        Save settings
      </button>
    </form>
  );
}
