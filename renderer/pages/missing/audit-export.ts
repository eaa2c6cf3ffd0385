import { AuditSummary } from '../../../shared/api/audit-markdown';
import type { MissingCursor } from '../../../shared/api/models';
import { csvLine, MISSING_CSV_HEADER, missingCsvCells } from '../../../shared/api/report-csv';
import { api } from '../../transport/transport';

/**
 * The audit for an upstream issue, as `vc2m audit` writes it: audit.md (the summary) and audit.csv (every
 * problem), over the whole library whatever the page's filters, from the last verify.
 */
export async function auditFiles(): Promise<{ markdown: string; csv: string }> {
  const summary = new AuditSummary();
  const lines = [csvLine(MISSING_CSV_HEADER)];
  for (let after: MissingCursor | null = null; ; ) {
    const page = await api.verify.missing({ ...(after ? { after } : {}), limit: 10_000, count: false });
    for (const m of page.rows) {
      summary.add(m);
      lines.push(csvLine(missingCsvCells(m)));
    }
    if (!page.next) break;
    after = page.next;
  }
  const [report, status, info, library] = await Promise.all([
    api.verify.report({ missing: false }),
    api.annotations.status(),
    api.app.info(),
    api.library.current(),
  ]);
  const markdown = summary.markdown(report, {
    library: library?.name ?? '',
    annotations: Object.fromEntries(status.subsets.filter((s) => s.revision).map((s) => [s.id, s.revision as string])),
    level: 'the levels of the last verify',
    createdAt: new Date().toISOString(),
    app: info.version,
  });
  return { markdown, csv: `${lines.join('\n')}\n` };
}
