import { createReadStream, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { ApiError } from '../../../shared/api/errors';

/**
 * A metadata table that maps each clip to its URL (WebVid's CSVs: `videoid,contentUrl,duration,page_dir,name`).
 * Read with csv-parse (quoted fields with commas and newlines, as WebVid's `name` column has), streamed so that a
 * 2.7 GB table never sits in memory, and kept only for the clips the annotations name.
 */
export interface ClipTableColumns {
  /** The column holding the clip's URL. */
  url: string;
  /** Where the clip goes under the source's root, from the row's columns: `{page_dir}/{videoid}.mp4`. */
  file: string;
}

export interface ClipMatch {
  file: string;
  url: string;
}

export interface ClipTableResult {
  matched: ClipMatch[];
  tables: number;
  rows: number;
  /** Rows that named a clip the annotations use but could not be used (no URL, not http/https), with file:line. */
  unusable: { count: number; examples: string[] };
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** The table files: each file given, and every `.csv` / `.csv.gz` below each folder given, in name order. */
export function tableFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new ApiError('NOT_FOUND', `${path}: no such metadata table or folder`);
    }
    if (!stat.isDirectory()) {
      files.push(path);
      continue;
    }
    const found = readdirSync(path, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.csv(\.gz)?$/i.test(name))
      .sort()
      .map((name) => join(path, name));
    if (found.length === 0) throw new ApiError('VALIDATION_ERROR', `${path}: no .csv or .csv.gz file in this folder`);
    files.push(...found);
  }
  return files;
}

/** A file name the template made that stays inside the root (the table is the user's: it is not trusted). */
const safeFile = (file: string) => file.length > 0 && !isAbsolute(file) && !file.includes('\\') && !file.split('/').some((p) => p === '..' || p === '');

export interface ClipPlan extends ClipTableResult {
  /** Clips already under the root (the user had them): not fetched again. */
  present: Array<{ file: string; bytes: number }>;
  /** Clips the annotations name that are neither under the root nor in any table row. */
  unmatched: string[];
}

/** What is left to fetch of `needed` under `root`, and from where: run on the media worker (it stats every clip). */
export async function planClips(
  paths: readonly string[],
  columns: ClipTableColumns,
  needed: readonly string[],
  root: string,
  options: Parameters<typeof readClipTables>[3] = {},
): Promise<ClipPlan> {
  const present: ClipPlan['present'] = [];
  const absent = new Set<string>();
  for (const file of needed) {
    try {
      const stat = statSync(join(root, file));
      if (stat.isFile() && stat.size > 0) present.push({ file, bytes: stat.size });
      else absent.add(file);
    } catch {
      absent.add(file);
    }
  }
  const read = await readClipTables(paths, columns, absent, options);
  const matched = new Set(read.matched.map((m) => m.file));
  return { ...read, present, unmatched: [...absent].filter((f) => !matched.has(f)) };
}

/** Reads the tables and keeps the rows whose clip is in `needed`; the first row of a file naming a clip wins. */
export async function readClipTables(
  paths: readonly string[],
  columns: ClipTableColumns,
  needed: ReadonlySet<string>,
  options: { signal?: AbortSignal; onProgress?: (done: { tables: number; rows: number; matched: number }) => void } = {},
): Promise<ClipTableResult> {
  const files = tableFiles(paths);
  const wanted = [...columns.file.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
  const found = new Map<string, string>();
  const unusable: ClipTableResult['unusable'] = { count: 0, examples: [] };
  let rows = 0;
  let tables = 0;
  for (const file of files) {
    options.signal?.throwIfAborted();
    const parser = parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true });
    // pipeline passes a read or gunzip error (a truncated .gz) on to the parser, whose iteration then throws it.
    const read = createReadStream(file);
    const piped = (/\.gz$/i.test(file) ? pipeline(read, createGunzip(), parser) : pipeline(read, parser)).catch((error: unknown) => {
      parser.destroy(error as Error);
    });
    let checked = false;
    try {
      for await (const entry of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        const { record, info } = entry;
        if (rows % 10_000 === 0) options.signal?.throwIfAborted();
        if (!checked && !(columns.url in record && wanted.every((name) => name in record))) {
          throw new ApiError(
            'VALIDATION_ERROR',
            `${file}: its header lacks ${[columns.url, ...wanted]
              .filter((c) => !(c in record))
              .map((c) => `"${c}"`)
              .join(', ')} (it has ${Object.keys(record).join(', ') || 'none'}); a ${columns.file} table needs ${[columns.url, ...wanted].join(', ')}`,
          );
        }
        checked = true;
        rows++;
        const missing = wanted.find((name) => !record[name]);
        if (missing) continue;
        const name = columns.file.replace(PLACEHOLDER, (_, key: string) => (record[key] as string).trim());
        if (!needed.has(name) || found.has(name) || !safeFile(name)) continue;
        const url = (record[columns.url] ?? '').trim();
        if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
          unusable.count++;
          if (unusable.examples.length < 5) unusable.examples.push(`${file}:${info.lines}: ${name} has ${url ? `the URL "${url.slice(0, 80)}"` : 'no URL'}`);
          continue;
        }
        found.set(name, url);
      }
      await piped;
    } catch (error) {
      parser.destroy();
      await piped;
      if (error instanceof ApiError || options.signal?.aborted) throw error;
      const where = (error as { lines?: number }).lines;
      throw new ApiError(
        'VALIDATION_ERROR',
        `${file}${where ? `:${where}` : ''}: not a readable CSV table (${(error as Error).message}); use the metadata CSVs as published`,
      );
    }
    tables++;
    options.onProgress?.({ tables, rows, matched: found.size });
  }
  return { matched: [...found].map(([file, url]) => ({ file, url })), tables, rows, unusable };
}
