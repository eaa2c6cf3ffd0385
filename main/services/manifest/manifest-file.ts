import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { ApiError } from '../../../shared/api/errors';
import {
  CSV_COLUMNS,
  csvToRow,
  MANIFEST_SCHEMA,
  type ManifestHeader,
  ManifestHeaderSchema,
  type ManifestRow,
  ManifestRowSchema,
  parseCsvLine,
  rowToCsv,
} from './manifest-format';

export type ManifestFormat = 'jsonl' | 'csv';

/** The format a file name asks for: `.csv` or `.csv.gz` is CSV, anything else JSONL. */
export const formatOfPath = (path: string): ManifestFormat => (/\.csv(\.gz)?$/i.test(path) ? 'csv' : 'jsonl');

/** Writes a manifest, gzip-compressed, under a temporary name; fsynced, then renamed into place. */
export async function writeManifest(path: string, header: ManifestHeader, rows: Iterable<ManifestRow>, format: ManifestFormat): Promise<{ rows: number }> {
  const temp = `${path}.partial`;
  const gzip = createGzip({ level: 6 });
  const file = createWriteStream(temp);
  const done = new Promise<void>((resolve, reject) => {
    file.on('finish', resolve).on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(file);
  const put = async (line: string) => {
    if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
  };
  let count = 0;
  try {
    if (format === 'jsonl') await put(JSON.stringify(header));
    else {
      await put(`# ${MANIFEST_SCHEMA} ${JSON.stringify(header)}`);
      await put(CSV_COLUMNS.join(','));
    }
    for (const row of rows) {
      await put(format === 'jsonl' ? JSON.stringify(row) : rowToCsv(row));
      count++;
    }
    gzip.end();
    await done;
    const handle = await open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    gzip.destroy();
    file.destroy();
    await rm(temp, { force: true });
    throw error;
  }
  return { rows: count };
}

/** Reads a manifest (gzip or plain, JSONL or CSV): its header, then its rows one at a time; an error names the line. */
export async function readManifest(path: string): Promise<{ header: ManifestHeader; rows: AsyncGenerator<ManifestRow>; close: () => void }> {
  const head = Buffer.alloc(2);
  try {
    const handle = await open(path, 'r');
    try {
      await handle.read(head, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new ApiError('NOT_FOUND', `${path}: cannot read the manifest (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const raw = createReadStream(path);
  const input = head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
  const bad = (line: number, what: string) =>
    new ApiError('VALIDATION_ERROR', `${path}, line ${line}: ${what}. A manifest is what \`vc2m manifest\` writes (${MANIFEST_SCHEMA}).`);
  let first: IteratorResult<string>;
  try {
    first = await lines.next();
  } catch (error) {
    throw bad(1, `not readable (${(error as Error).message})`);
  }
  if (first.done) throw bad(1, 'the file is empty');
  const text = first.value;
  const csv = text.startsWith('# ');
  let parsedHeader: unknown;
  try {
    parsedHeader = JSON.parse(csv ? text.replace(/^# \S+ /, '') : text);
  } catch {
    throw bad(1, 'the first line is not a manifest header');
  }
  const schema = (parsedHeader as { schema?: unknown } | null)?.schema;
  if (schema !== MANIFEST_SCHEMA) throw bad(1, `the header says schema ${JSON.stringify(schema ?? null)}, which this app does not read`);
  const header = ManifestHeaderSchema.safeParse(parsedHeader);
  if (!header.success) throw bad(1, `the header is not complete (${header.error.issues[0]?.path.join('.')}: ${header.error.issues[0]?.message})`);
  async function* rows(): AsyncGenerator<ManifestRow> {
    let n = 1;
    if (csv) {
      n++;
      const columns = await lines.next();
      if (columns.done || columns.value !== CSV_COLUMNS.join(',')) throw bad(n, `expected the column row ${CSV_COLUMNS.join(',')}`);
    }
    for (let step = await lines.next(); !step.done; step = await lines.next()) {
      n++;
      if (step.value.trim() === '') continue;
      let value: unknown;
      try {
        value = csv ? csvToRow(parseCsvLine(step.value)) : JSON.parse(step.value);
      } catch {
        throw bad(n, 'not a JSON line');
      }
      const row = ManifestRowSchema.safeParse(value);
      if (!row.success) throw bad(n, `not a manifest row (${row.error.issues[0]?.path.join('.')}: ${row.error.issues[0]?.message})`);
      yield row.data;
    }
  }
  return { header: header.data, rows: rows(), close: () => raw.destroy() };
}
