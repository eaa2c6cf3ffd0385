import type { MissingMedia, VerifyReport } from './models';

export interface AuditContext {
  library: string;
  /** Per subset, the Hub revision (or the file's sha256) of the annotations the copy was checked against. */
  annotations: Record<string, string>;
  /** How deep the media were checked, in words: "the `quick` level". */
  level: string;
  createdAt: string;
  app: string;
}

const EXAMPLES = 5;

/** What kind of problem a missing row is, in the words an upstream issue uses. */
export function auditKind(m: MissingMedia): 'missing' | 'zero-byte' | 'undecodable' | 'internal storage ref' | 'unsafe ref' {
  if (m.reason === 'internal-storage-ref') return 'internal storage ref';
  if (m.reason === 'unsafe-ref') return 'unsafe ref';
  if (m.reason.startsWith('corrupt')) return /\(0 bytes\)/.test(m.reason) ? 'zero-byte' : 'undecodable';
  return 'missing';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The audit as Markdown fit to paste into an upstream issue: what was checked against which annotations, per
 * subset the counts of missing, zero-byte and undecodable media with a few refs each (the CSV beside it lists them
 * all). The missing rows are taken one at a time (`add`): a copy can have millions, and only counts and a few
 * examples are kept.
 */
export class AuditSummary {
  private readonly bySubset = new Map<string, Map<string, { count: number; examples: string[] }>>();

  add(m: MissingMedia): void {
    const kinds = this.bySubset.get(m.subset) ?? new Map<string, { count: number; examples: string[] }>();
    this.bySubset.set(m.subset, kinds);
    const kind = auditKind(m);
    const entry = kinds.get(kind) ?? { count: 0, examples: [] };
    kinds.set(kind, entry);
    entry.count++;
    if (entry.examples.length < EXAMPLES) entry.examples.push(m.ref);
  }

  markdown(report: VerifyReport, context: AuditContext): string {
    const lines: string[] = [];
    lines.push('## VideoChat2-IT media audit', '');
    lines.push(`Checked with VC2 Media Manager ${context.app} on ${context.createdAt.slice(0, 10)} at ${context.level} (library "${context.library}").`, '');
    const withProblems = report.subsets.filter((s) => s.missing + s.corrupt > 0);
    const totals = report.subsets.reduce(
      (t, s) => ({ media: t.media + s.media, present: t.present + s.present, missing: t.missing + s.missing, corrupt: t.corrupt + s.corrupt }),
      {
        media: 0,
        present: 0,
        missing: 0,
        corrupt: 0,
      },
    );
    lines.push(
      `**${totals.present.toLocaleString('en-US')} of ${totals.media.toLocaleString('en-US')}** media files present; ${totals.missing.toLocaleString('en-US')} missing, ${totals.corrupt.toLocaleString('en-US')} damaged, in ${withProblems.length} of ${report.subsets.length} subsets.`,
      '',
    );
    lines.push(
      '| subset | annotations | records | media | present | missing | zero-byte | undecodable | other |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const s of withProblems) {
      const kinds = this.bySubset.get(s.id);
      const n = (k: string) => kinds?.get(k)?.count ?? 0;
      lines.push(
        `| ${s.id} | ${cell(context.annotations[s.id]?.slice(0, 12) ?? '—')} | ${s.records} | ${s.media} | ${s.present} | ${n('missing')} | ${n('zero-byte')} | ${n('undecodable')} | ${n('internal storage ref') + n('unsafe ref')} |`,
      );
    }
    lines.push('');
    for (const s of withProblems) {
      const kinds = this.bySubset.get(s.id);
      if (!kinds) continue;
      lines.push(`<details><summary>${s.id}: examples</summary>`, '');
      for (const [kind, { count, examples }] of kinds) {
        lines.push(`- ${kind} (${count.toLocaleString('en-US')}): ${examples.map((r) => `\`${cell(r)}\``).join(', ')}${count > examples.length ? ', …' : ''}`);
      }
      lines.push('', '</details>', '');
    }
    lines.push('Every problem is listed in the attached `audit.csv` (subset, source, ref, reason, expected path).');
    return `${lines.join('\n')}\n`;
  }
}
