import { type FormEvent, useId, useState } from 'react';
import type { Settings } from '../../../../shared/api/models';
import { catalog } from '../../../../shared/catalog/index';
import { MirrorBaseSchema, routeTakesMirror } from '../../../../shared/catalog/mirror-url';
import { useSettingsStore } from '../store';

/** The sources fetched over plain HTTP: the only ones a mirror can serve (Hugging Face follows the endpoint above). */
const mirrorable = catalog.sources.filter((s) => routeTakesMirror(s.acquire.route));

function MirrorRow({ sourceId, name, current }: { sourceId: string; name: string; current: string | undefined }) {
  const saving = useSettingsStore((s) => s.saving);
  const setMirror = useSettingsStore((s) => s.setMirror);
  const [value, setValue] = useState(current ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = MirrorBaseSchema.safeParse(value);
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? 'not a base URL');
      return;
    }
    setProblem(null);
    await setMirror(sourceId, parsed.data);
  };

  return (
    <form className="mirror-row" onSubmit={onSubmit} aria-label={`Mirror for ${name}`} noValidate>
      <label htmlFor={id}>
        {name} <code>{sourceId}</code>
      </label>
      <input id={id} className="input" value={value} onChange={(e) => setValue(e.target.value)} placeholder="its own hosts (no mirror)" spellCheck={false} />
      <button type="submit" className="button" disabled={saving}>
        Save mirror
      </button>
      {current ? (
        <button
          type="button"
          className="button button--secondary"
          disabled={saving}
          onClick={async () => {
            if (await setMirror(sourceId, null)) setValue('');
          }}
        >
          Clear
        </button>
      ) : null}
      {problem ? <p className="field-error">{problem}</p> : null}
    </form>
  );
}

export function MirrorsForm({ settings }: { settings: Settings }) {
  return (
    <article className="card" aria-label="Mirrors">
      <h2 className="card__title">Mirrors</h2>
      <p className="hint">
        A lab or regional copy of a source's archives. The address of each file keeps its path and query and takes the mirror's base instead of its host: with{' '}
        <code>http://10.0.0.5/data/coco</code>, <code>http://images.cocodataset.org/zips/train2014.zip</code> is fetched from{' '}
        <code>http://10.0.0.5/data/coco/zips/train2014.zip</code>.
      </p>
      {mirrorable.map((source) => (
        <MirrorRow key={source.id} sourceId={source.id} name={source.name} current={settings.mirrors[source.id]} />
      ))}
    </article>
  );
}
