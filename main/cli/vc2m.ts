import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/api/errors';
import { audit } from './audit-command';
import { createCliEngine } from './cli-engine';
import { clips } from './clips-commands';
import {
  annotationsDetect,
  annotationsFetch,
  annotationsImport,
  type CommandContext,
  EXIT,
  exportCommand,
  importMedia,
  init,
  jobs,
  report,
  sources,
  status,
  verify,
} from './commands';
import { downloads, get } from './get-commands';
import { manifest } from './manifest-commands';
import { relink } from './relink-commands';
import { search, show } from './viewer-commands';

const USAGE = `vc2m: build and check a local copy of VideoChat2-IT (the engine of VC2 Media Manager, without a window)

usage: vc2m [--library <dir>] <command>

  init <dir>                          create a library in <dir> (library.sqlite + media/)
  annotations fetch [--revision R]    download the annotation JSONs from Hugging Face (token: Settings or HF_TOKEN;
                                      endpoint: Settings or HF_ENDPOINT) and ingest what changed
  annotations import <dir>            ingest the annotation JSONs from a folder holding the dataset's tree
                                      (or a Hugging Face cache snapshot folder)
  annotations detect [--json]         list copies of the dataset in the Hugging Face cache
  sources [--json]                    media sources: id, name, root folder, subsets
  sources set-root <source-id> <dir>  use an existing folder for a source's media
  sources set-mirror <source-id> <base-url> | --clear
                                      fetch a source's plain-HTTP archives from a mirror: the URL's scheme://host[:port]
                                      is replaced by <base-url> (which may carry a path), path and query are kept
  get <source-id>... [--only <glob>] [--retry-failed] [--download-only] [--table <csv-or-dir>]... [--task <name>]...
      [--json]
                                      download the media of sources with a Hugging Face, plain-HTTP or per-clip route
                                      (resumable, verified; a mirror from Settings or sources set-mirror is used); a
                                      source fetched by hand prints its steps; --download-only stops before extracting
                                      (the next get extracts what is here); --table: a per-clip route's metadata CSVs
                                      you have (WebVid: videoid, contentUrl, page_dir), instead of the Hub's;
                                      get m3it [--task <name>]...: each task's train.jsonl from the Hub, decoded into
                                      <task>/train/<i>.jpg on every core, then the index rule checked against the
                                      annotations (exit 1 on a mismatch); by default the tasks of ingested subsets
  import <source-id> <archive-or-folder> [--mode root|link|copy|move]
                                      media you already have: an archive (or one part of a byte-split one) is
                                      extracted into the library; a folder is used in place (root, the default),
                                      hard-linked, copied or moved; the folder its refs resolve under becomes the root
  show <subset> <index> [--json]      one record as stored, the file its media ref resolves to (and the rule), and
                                      what the last verify found (exit 1 when its media is missing, corrupt or
                                      not checked yet)
  search <query> [--subset ID] [--source ID] [--status ok|missing|corrupt|unchecked] [--limit N] [--json]
                                      full-text search over the conversations: words are ANDed, "a quoted phrase"
                                      matches adjacent words in order, word* a prefix; case and accents do not
                                      matter (the first search builds the index); the snippet marks matches **so**
  downloads [--failed] [--json]       the download ledger: every file's state, bytes, attempts and last error
  jobs [--json]                       the library's jobs (the app's and vc2m's): id, kind, state, progress
  jobs pause|resume|cancel <id>...|--all
                                      pause (a download keeps its partial files), resume (runs here, from where it
                                      stopped) or cancel jobs, whichever process runs them
  status [--json]                     per subset: records ingested, expected records, distinct media refs
  verify [--level quick] [--source ID] [--subset ID] [--force] [--json]
                                      check every media file the annotations need; prints the report
  report [--json | --csv] [--missing] per subset: records, media, present, missing, corrupt, records whose media is OK
  export <dir> [--level L] [--precut] training-ready copy: verified records per subset + instruction_data.py
                                      (--precut: records with start/end point at their clip from clips precut)
  relink <folder>... [--source ID] [--apply] [--mode link|copy|move] [--json] | relink --failed
                                      find the still-missing media in folders you have (renamed, moved, another
                                      layout): matched by path, name, stem or YouTube id, each shown with how; two
                                      files for one ref are shown, never picked; --apply places the unambiguous ones
                                      (hard link, else symbolic link; or copy, move), then verifies
  manifest [--level L] [--hash] [--out <file>]
                                      a shareable description of the copy (vc2m.manifest/1, gzip JSONL, or CSV for
                                      a .csv.gz name): per media ref its subsets, status after a verify at the level,
                                      size, duration and with --hash sha256 (unchanged files are not hashed again)
  clips plan|cut <youcook2|egoqa> --spec <file> --from <dir> [--mode accurate|copy] [--jobs N] [--json]
                                      clips cut from the raw videos you have, named as the annotations expect, into
                                      the source's folder: plan lists each clip's source video and what cannot be cut
                                      and why; cut cuts them (one ffmpeg per source video; exit 1 if some could not)
  clips precut [--subset ID] [--mode accurate|copy] [--jobs N] [--json]
                                      pre-cut for faster training I/O: each record's own start/end span of its video
                                      cut into <library>/precut/ (export --precut then points the records at them)
  audit [--level L] [--out <dir>]     verify, then audit.md (a summary to paste into an upstream issue: per subset
                                      missing, zero-byte, undecodable, with examples) and audit.csv (every one)
  manifest compare <theirs> [--json]  this copy against another's manifest, per subset: what they have that this
                                      one lacks, what differs (size, sha256), what only this one has (exit 1 if any)

options: --library <dir> (or VC2M_LIBRARY; default: the library the app opened last), --revision, --json, --help
exit codes: 0 done (verify/report: every media file OK), 1 done with problems (a file failed; media missing,
            corrupt or unchecked; get: a source is fetched by hand), 2 error, 130 interrupted`;

type Command = (context: CommandContext) => Promise<number>;

function pick(positionals: string[]): { command: Command; rest: string[] } | null {
  const [first, second, ...rest] = positionals;
  if (first === 'init') return { command: init, rest: positionals.slice(1) };
  if (first === 'status') return { command: status, rest: positionals.slice(1) };
  if (first === 'verify') return { command: verify, rest: positionals.slice(1) };
  if (first === 'report') return { command: report, rest: positionals.slice(1) };
  if (first === 'export') return { command: exportCommand, rest: positionals.slice(1) };
  if (first === 'sources') return { command: sources, rest: positionals.slice(1) };
  if (first === 'get') return { command: get, rest: positionals.slice(1) };
  if (first === 'downloads') return { command: downloads, rest: positionals.slice(1) };
  if (first === 'jobs') return { command: jobs, rest: positionals.slice(1) };
  if (first === 'import') return { command: importMedia, rest: positionals.slice(1) };
  if (first === 'show') return { command: show, rest: positionals.slice(1) };
  if (first === 'search') return { command: search, rest: positionals.slice(1) };
  if (first === 'manifest') return { command: manifest, rest: positionals.slice(1) };
  if (first === 'relink') return { command: relink, rest: positionals.slice(1) };
  if (first === 'audit') return { command: audit, rest: positionals.slice(1) };
  if (first === 'clips') return { command: clips, rest: positionals.slice(1) };
  if (first === 'annotations' && second === 'import') return { command: annotationsImport, rest };
  if (first === 'annotations' && second === 'detect') return { command: annotationsDetect, rest };
  if (first === 'annotations' && second === 'fetch') return { command: annotationsFetch, rest };
  return null;
}

const OPTIONS = {
  library: { type: 'string' },
  revision: { type: 'string' },
  level: { type: 'string' },
  source: { type: 'string' },
  subset: { type: 'string' },
  force: { type: 'boolean' },
  missing: { type: 'boolean' },
  csv: { type: 'boolean' },
  clear: { type: 'boolean' },
  only: { type: 'string' },
  'retry-failed': { type: 'boolean' },
  failed: { type: 'boolean' },
  all: { type: 'boolean' },
  mode: { type: 'string' },
  'download-only': { type: 'boolean' },
  table: { type: 'string', multiple: true },
  task: { type: 'string', multiple: true },
  hash: { type: 'boolean' },
  apply: { type: 'boolean' },
  precut: { type: 'boolean' },
  spec: { type: 'string' },
  from: { type: 'string' },
  jobs: { type: 'string' },
  out: { type: 'string' },
  limit: { type: 'string' },
  status: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`vc2m: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.error;
  }
  const { values, positionals } = parsed;
  const chosen = pick(positionals);
  if (values.help || !chosen) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? EXIT.ok : EXIT.error;
  }
  const engine = createCliEngine();
  try {
    return await chosen.command({
      engine,
      positionals: chosen.rest,
      json: values.json ?? false,
      revision: values.revision,
      flags: {
        level: values.level,
        source: values.source,
        subset: values.subset,
        force: values.force,
        csv: values.csv,
        missing: values.missing,
        clear: values.clear,
        only: values.only,
        retryFailed: values['retry-failed'],
        failed: values.failed,
        all: values.all,
        mode: values.mode,
        downloadOnly: values['download-only'],
        table: values.table,
        task: values.task,
        hash: values.hash,
        apply: values.apply,
        precut: values.precut,
        spec: values.spec,
        from: values.from,
        jobs: values.jobs,
        out: values.out,
        limit: values.limit,
        status: values.status,
      },
      library: values.library,
      out: (text) => process.stdout.write(`${text}\n`),
    });
  } catch (error) {
    const message =
      error instanceof ApiError || (error as Error).name === 'AnnotationFormatError' ? (error as Error).message : String((error as Error).stack ?? error);
    process.stderr.write(`vc2m: ${message}\n`);
    return EXIT.error;
  } finally {
    await engine.close();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
