import { type FileHandle, open } from 'node:fs/promises';
import { checkGif, checkJpeg, checkPng } from './images';
import { checkMatroska } from './matroska';
import { ContainerError, type ContainerInfo, MediaReader } from './media-reader';
import { checkMp4 } from './mp4';

/**
 * `opens`: the file's header and index could be read, so a player or ffprobe would open it; a file can open and
 * still be damaged further on (media data cut short), which is what this level is for.
 */
export type ContainerResult = { ok: true; opens: true; info: ContainerInfo } | { ok: false; opens: boolean; detail: string };

/** Picks the parser from the file's first bytes, not its extension (a .mp4 that is really WebM is still WebM). */
function parserFor(magic: Buffer): ((reader: MediaReader, options: ContainerOptions) => Promise<ContainerInfo>) | null {
  if (magic.toString('latin1', 4, 8) === 'ftyp' || ['moov', 'mdat', 'free', 'wide', 'skip'].includes(magic.toString('latin1', 4, 8))) return checkMp4;
  if (magic.readUInt32BE(0) === 0x1a45dfa3) return checkMatroska;
  if (magic.toString('latin1', 0, 4) === 'GIF8') return checkGif;
  if (magic[0] === 0xff && magic[1] === 0xd8) return checkJpeg;
  if (magic.toString('latin1', 1, 4) === 'PNG') return checkPng;
  return null;
}

/** The container level: parsed in-process, nothing spawned. */
export interface ContainerOptions {
  /** MP4: also the first video track's own length and frame rate (a clip's check; verify does not need it). */
  videoTiming?: boolean;
}

export async function checkContainer(path: string, options: ContainerOptions = {}): Promise<ContainerResult> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    // Gone or unreadable since the quick check: a verdict for this file, not a failed verify.
    return { ok: false, opens: false, detail: `the file could not be opened: ${(error as Error).message}` };
  }
  let reader: MediaReader | undefined;
  try {
    reader = new MediaReader(handle, (await handle.stat()).size);
    const { size } = reader;
    if (size < 12) return { ok: false, opens: false, detail: `too short to be a media file (${size} bytes)` };
    const parse = parserFor(await reader.read(0, 12));
    if (!parse) return { ok: false, opens: false, detail: 'not a recognised media format (MP4/MOV, WebM/Matroska, GIF, JPEG, PNG)' };
    return { ok: true, opens: true, info: await parse(reader, options) };
  } catch (error) {
    if (error instanceof ContainerError) return { ok: false, opens: reader?.opened ?? false, detail: error.message };
    // A field read past the end of a short structure: malformed, whatever the parser expected.
    if (error instanceof RangeError) return { ok: false, opens: reader?.opened ?? false, detail: `malformed: ${error.message}` };
    if ((error as NodeJS.ErrnoException).code) return { ok: false, opens: false, detail: `the file could not be read: ${(error as Error).message}` };
    throw error;
  } finally {
    await handle.close();
  }
}
