import { type FormEvent, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RelinkProposal } from '../../../../shared/api/relink-models';
import { catalog } from '../../../../shared/catalog/index';
import { formatCount } from '../../../components/format';
import { ScaledList } from '../../../components/scaled-list';
import { SelectField } from '../../../components/select-field';
import { type RelinkMode, useRelinkStore } from '../relink-store';

const RULES: Record<RelinkProposal['rule'], string> = { path: 'by path', name: 'by name', stem: 'by stem', 'youtube-id': 'by YouTube id' };
const MODES: Array<{ value: RelinkMode; label: string }> = [
  { value: 'link', label: 'link (hard link; symbolic across file systems)' },
  { value: 'copy', label: 'copy' },
  { value: 'move', label: 'move' },
];

function stateOf(p: RelinkProposal): string {
  if (p.state === 'applied') return `placed (${p.how})`;
  if (p.state === 'failed') return `failed: ${p.error}`;
  if (p.ambiguous && !p.chosen) return `${p.candidates.length} files: choose one`;
  return p.accepted ? 'accepted' : 'skipped';
}

/** The selected proposal: every file found for its ref, the one to use, and accept or skip. */
function ProposalDetail({ proposal }: { proposal: RelinkProposal }) {
  const decide = useRelinkStore((s) => s.decide);
  const name = useId();
  return (
    <section className="card relink-detail" data-testid="relink-detail" aria-label={`Proposal for ${proposal.ref}`}>
      <p>
        <code>{proposal.ref}</code> ({proposal.sourceId}) — matched {RULES[proposal.rule]}; goes to <code className="path">{proposal.target}</code>
      </p>
      <fieldset className="fieldset--plain">
        <legend>{proposal.ambiguous ? 'More than one file was found: which one is it?' : 'The file found'}</legend>
        {proposal.candidates.map((c) => (
          <label key={c} className="radio">
            <input
              type="radio"
              name={name}
              checked={proposal.chosen === c}
              disabled={proposal.state === 'applied'}
              onChange={() => void decide(proposal.id, true, c)}
            />{' '}
            <code>{c}</code>
          </label>
        ))}
      </fieldset>
      <div className="row">
        <button
          type="button"
          className="button"
          disabled={proposal.state === 'applied' || !proposal.chosen}
          onClick={() => void decide(proposal.id, !proposal.accepted)}
        >
          {proposal.accepted ? 'Skip this one' : 'Accept this one'}
        </button>
      </div>
    </section>
  );
}

/**
 * "Locate files…": media already on disk under other names or layouts. The folders given are indexed, the refs
 * still missing matched by each source's rules, and each proposal shown with how it was matched; an ambiguity is
 * the user's to settle. Apply places the accepted files where the refs belong and verifies.
 */
export function RelinkPanel({ sourceId, onClose }: { sourceId: string; onClose: () => void }) {
  const { counts, rows, job, error, selected, scan, select, loadRange, decideAll, apply } = useRelinkStore(
    useShallow((s) => ({
      counts: s.counts,
      rows: s.rows,
      job: s.job,
      error: s.error,
      selected: s.selected,
      scan: s.scan,
      select: s.select,
      loadRange: s.loadRange,
      decideAll: s.decideAll,
      apply: s.apply,
    })),
  );
  const [folder, setFolder] = useState('');
  const [source, setSource] = useState(sourceId);
  const [mode, setMode] = useState<RelinkMode>('link');
  const folderId = useId();
  const running = job !== null && (job.state === 'running' || job.state === 'queued');
  const onScan = (event: FormEvent) => {
    event.preventDefault();
    const folders = folder
      .split('\n')
      .map((f) => f.trim())
      .filter(Boolean);
    if (folders.length > 0) void scan(folders, source || null);
  };
  const chosen = selected === null ? null : (rows.get(selected) ?? null);
  return (
    <section className="card" aria-label="Locate files">
      <div className="card__header">
        <h2 className="card__title">Locate files</h2>
        <button type="button" className="button button--ghost" onClick={onClose}>
          Close
        </button>
      </div>
      <form onSubmit={onScan} aria-label="Folders to look in">
        <label htmlFor={folderId}>Folders that may hold the missing files (one per line)</label>
        <textarea id={folderId} className="input" rows={2} value={folder} onChange={(e) => setFolder(e.target.value)} spellCheck={false} />
        <SelectField
          label="Source"
          value={source}
          options={[{ value: '', label: 'All sources' }, ...catalog.sources.map((s) => ({ value: s.id, label: s.id }))]}
          onChange={setSource}
        />
        <button type="submit" className="button button--primary" disabled={running || folder.trim() === ''}>
          Look for them
        </button>
      </form>
      {error ? <p className="field-error">{error}</p> : null}
      {job ? (
        <p className="muted" data-testid="relink-job">
          {job.message ?? job.state}
        </p>
      ) : null}
      {counts && counts.total > 0 ? (
        <>
          <p className="summary" data-testid="relink-counts">
            <strong>{formatCount(counts.total)}</strong> proposals:{' '}
            {Object.entries(counts.byRule)
              .map(([rule, n]) => `${formatCount(n)} ${RULES[rule as RelinkProposal['rule']] ?? rule}`)
              .join(', ')}
            {counts.unsettled > 0 ? ` · ${formatCount(counts.unsettled)} with more than one file, to choose` : ''} · {formatCount(counts.accepted)} accepted ·{' '}
            {formatCount(counts.applied)} placed{counts.failed ? ` · ${formatCount(counts.failed)} failed` : ''}
          </p>
          <div className="row">
            <button type="button" className="button" disabled={running} onClick={() => void decideAll(true)}>
              Accept all
            </button>
            <button type="button" className="button" disabled={running} onClick={() => void decideAll(false)}>
              Skip all
            </button>
            <SelectField label="Place them by" value={mode} options={MODES} onChange={setMode} />
            <button type="button" className="button button--primary" disabled={running || counts.accepted === 0} onClick={() => void apply(mode)}>
              Apply {formatCount(counts.accepted)}
            </button>
          </div>
          <div className="relink-list">
            <ScaledList
              label="Relink proposals"
              total={counts.total}
              rowHeight={32}
              selected={selected}
              onSelect={select}
              onRange={(first, end) => void loadRange(first, end)}
              renderRow={(i) => {
                const p = rows.get(i);
                if (!p) return <span className="muted">…</span>;
                return (
                  <span className="relink-row" title={`${p.ref} → ${p.chosen ?? p.candidates.join(' | ')}`}>
                    <code>{p.ref}</code>
                    <span className="muted">{RULES[p.rule]}</span>
                    <span className="relink-row__file">{p.chosen ?? `${p.candidates.length} files`}</span>
                    <span className={p.ambiguous && !p.chosen ? 'badge badge--warn' : 'badge'}>{stateOf(p)}</span>
                  </span>
                );
              }}
            />
          </div>
          {chosen ? <ProposalDetail proposal={chosen} /> : <p className="muted">Select a proposal to see every file found for it.</p>}
        </>
      ) : counts && job?.state === 'finished' ? (
        <p className="muted">Nothing found for the missing files in those folders.</p>
      ) : null}
    </section>
  );
}
