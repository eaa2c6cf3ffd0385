import type { FileHandle } from 'node:fs/promises';

/** What a container check learns about a file; duration and size are shown by the viewer. */
export interface ContainerInfo {
  format: 'mp4' | 'matroska' | 'gif' | 'jpeg' | 'png';
  durationS: number | null;
  width: number | null;
  height: number | null;
  /** MP4: the first video track's own length and frame rate (from its media header and sample table). */
  video?: { durationS: number; frameRate: number } | null;
}

export class ContainerError extends Error {
  override readonly name = 'ContainerError';
}

/** Positioned reads with bounds checks, so a truncated file is an error with a reason, never a crash. */
export class MediaReader {
  /** Set by a parser once the header and index are read: later errors are damage in a file that still opens. */
  opened = false;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < 0 || offset + length > this.size) throw new ContainerError(`truncated: needs bytes ${offset}–${offset + length} of a ${this.size}-byte file`);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset);
    if (bytesRead !== length) throw new ContainerError(`short read at byte ${offset}`);
    return buffer;
  }

  /** Up to `length` bytes (fewer at the end of the file). */
  async readAtMost(offset: number, length: number): Promise<Buffer> {
    return this.read(offset, Math.max(0, Math.min(length, this.size - offset)));
  }
}
