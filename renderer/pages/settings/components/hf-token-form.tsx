import { type FormEvent, useId, useState } from 'react';
import { HfTokenSchema, type Settings } from '../../../../shared/api/models';
import { useSettingsStore } from '../store';

const DATASET_PAGE = 'https://huggingface.co/datasets/OpenGVLab/VideoChat2-IT';

function tokenStatus(settings: Settings): string {
  if (settings.hfTokenSource === 'settings') return `A token is saved in ${settings.hfTokenStorage}.`;
  if (settings.hfTokenSource === 'env') return 'Using the token from the HF_TOKEN environment variable.';
  return 'No token is set.';
}

/** The token is write-only here: it can be replaced or removed, never shown again. */
export function HfTokenForm({ settings }: { settings: Settings }) {
  const saving = useSettingsStore((s) => s.saving);
  const setToken = useSettingsStore((s) => s.setToken);
  const clearToken = useSettingsStore((s) => s.clearToken);
  const [token, setTokenText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = HfTokenSchema.safeParse(token);
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? 'invalid token');
      return;
    }
    setProblem(null);
    if (await setToken(parsed.data)) setTokenText('');
  };

  return (
    <form className="card" onSubmit={onSubmit} aria-label="Hugging Face token">
      <h2 className="card__title">Hugging Face token</h2>
      <p>
        The annotations are a <strong>gated dataset</strong>: Hugging Face only serves them to an account that has accepted the dataset's terms. Sign in on
        huggingface.co, open{' '}
        <a href={DATASET_PAGE} target="_blank" rel="noreferrer">
          {DATASET_PAGE}
        </a>{' '}
        and accept the conditions, then create a <em>read</em> token under Settings → Access Tokens and paste it here.
      </p>
      <p className="muted" data-testid="token-status">
        {tokenStatus(settings)}
      </p>
      <label htmlFor={inputId}>New token</label>
      <input
        id={inputId}
        className="input"
        type="password"
        autoComplete="off"
        value={token}
        onChange={(e) => setTokenText(e.target.value)}
        placeholder="hf_…"
        aria-invalid={problem !== null}
      />
      {problem ? <p className="field-error">{problem}</p> : null}
      <div className="row">
        <button type="submit" className="button button--primary" disabled={saving || token.trim() === ''}>
          Save token
        </button>
        {settings.hfTokenSource === 'settings' ? (
          <button type="button" className="button" disabled={saving} onClick={() => void clearToken()}>
            Remove saved token
          </button>
        ) : null}
      </div>
    </form>
  );
}
