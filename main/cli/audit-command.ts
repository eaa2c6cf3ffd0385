import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AuditSummary } from '../../shared/api/audit-markdown';
import { ApiError } from '../../shared/api/errors';
import { csvLine, MISSING_CSV_HEADER, missingCsvCells } from '../../shared/api/report-csv';
import { writeFileAtomic } from '../lib/atomic-write';
import { callEngine, followJob, openCliLibrary } from './cli-engine';
import { type CommandContext, EXIT } from './commands';
import { ProgressPrinter } from './progress-printer';

/**
 * `vc2m audit [--level L] [--out <dir>]`: verifies, then writes `audit.md` (a summary fit to paste into an upstream
 * issue) and `audit.csv` (every missing, zero-byte or undecodable file). Exit 0 when nothing is wrong, 1 otherwise.
 */
export async function audit({ engine, positionals, library, flags, out }: CommandContext): Promise<number> {
  if (positionals.length > 0) throw new ApiError('VALIDATION_ERROR', 'usage: vc2m audit [--level quick|container|decode] [--out <dir>]');
  await openCliLibrary(engine, library);
  const level = flags.level ?? 'quick';
  const started = await engine.call('verify.start', { level });
  if (!started.ok) throw ApiError.fromShape(started.error);
  const verified = await followJob(engine, started.value as Parameters<typeof followJob>[1], new ProgressPrinter());
  if (verified.state !== 'finished') throw new ApiError('VALIDATION_ERROR', `the verify did not finish (${verified.state}: ${verified.message ?? ''})`);
  const dir = resolve(flags.out ?? '.');
  await mkdir(dir, { recursive: true });
  const report = await callEngine(engine, 'verify.report', { missing: false });
  const status = await callEngine(engine, 'annotations.status', {});
  const summary = new AuditSummary();
  // The CSV is written as the rows are read (there can be millions): in blocks, synchronously (nothing piles up in
  // memory, a full disk stops it at once), under a temporary name until it is whole and synced.
  const csv = join(dir, 'audit.csv');
  const fd = openSync(`${csv}.partial`, 'w');
  let rows = 0;
  try {
    let block = `${csvLine(MISSING_CSV_HEADER)}\n`;
    engine.verify.eachMissing((m) => {
      summary.add(m);
      block += `${csvLine(missingCsvCells(m))}\n`;
      rows++;
      if (block.length > 1 << 20) {
        writeSync(fd, block);
        block = '';
      }
    });
    writeSync(fd, block);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  await rename(`${csv}.partial`, csv);
  const info = await callEngine(engine, 'app.info', {});
  const markdown = summary.markdown(report, {
    library: engine.library.current()?.name ?? '',
    annotations: Object.fromEntries(status.subsets.filter((s) => s.revision).map((s) => [s.id, s.revision as string])),
    level: `the \`${level}\` level`,
    createdAt: new Date().toISOString(),
    app: info.version,
  });
  await writeFileAtomic(join(dir, 'audit.md'), markdown);
  out(`${join(dir, 'audit.md')} and ${csv} (${rows.toLocaleString('en-US')} problems listed)`);
  return rows === 0 ? EXIT.ok : EXIT.problems;
}
