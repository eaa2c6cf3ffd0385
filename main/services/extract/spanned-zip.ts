import { open } from 'node:fs/promises';

/**
 * Info-ZIP's spanned ("split") archives — `x.z01`, `x.z02`, … `x.zip`, as `zip -s` and the TGIF-QA Dropbox share
 * make them — read as one single-disk zip without joining them on disk. Their parts laid end to end already hold
 * every local header and all the data in order; only the offsets differ: each entry's is relative to the start of
 * the part ("disk") it begins on. So the view is the parts' bytes followed by a central directory rebuilt with
 * absolute offsets (a Zip64 extra where one no longer fits in 32 bits) and a Zip64 end record; the parts' own
 * directory stays inside the stream, unreferenced. yauzl then reads the view like any zip, checks included.
 */

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const MAX_COMMENT = 0xffff;

export interface SpannedView {
  /** Bytes to read after the parts: the rebuilt directory and end records. */
  tail: Buffer;
  entries: number;
}

type Part = { path: string; size: number };

async function readAt(parts: readonly Part[], starts: readonly number[], position: number, length: number): Promise<Buffer> {
  const out = Buffer.alloc(length);
  let filled = 0;
  for (let i = 0; i < parts.length && filled < length; i++) {
    const partStart = starts[i] as number;
    const part = parts[i] as Part;
    const from = Math.max(position + filled, partStart);
    const to = Math.min(position + length, partStart + part.size);
    if (from >= to) continue;
    const handle = await open(part.path, 'r');
    try {
      await handle.read(out, from - position, to - from, from - partStart);
    } finally {
      await handle.close();
    }
    filled = to - position;
  }
  return out;
}

/** The end-of-directory record of the last part (its disk number says whether the archive spans). */
async function endRecord(last: Part): Promise<{ buffer: Buffer; at: number }> {
  const length = Math.min(last.size, 22 + MAX_COMMENT);
  const handle = await open(last.path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, last.size - length);
    for (let i = length - 22; i >= 0; i--) {
      if (buffer.readUInt32LE(i) === EOCD && i + 22 + buffer.readUInt16LE(i + 20) <= length) return { buffer: buffer.subarray(i), at: last.size - length + i };
    }
  } finally {
    await handle.close();
  }
  throw new Error(`${last.path} has no end-of-directory record: it is not the last part of a zip`);
}

/** Whether these parts (in order) are a spanned archive, i.e. its end record names a disk past the first. */
export async function isSpanned(parts: readonly Part[]): Promise<boolean> {
  if (parts.length < 2) return false;
  try {
    const { buffer } = await endRecord(parts.at(-1) as Part);
    return buffer.readUInt16LE(4) > 0;
  } catch {
    return false;
  }
}

/** The 64-bit value in a Zip64 extra field, in its order: sizes, then the offset, then the disk, each only when its field is saturated. */
function zip64Values(extra: Buffer, wanted: { uncompressed: boolean; compressed: boolean; offset: boolean; disk: boolean }) {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const size = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const take = (on: boolean, bytes: 8 | 4) => {
        if (!on) return null;
        const v = bytes === 8 ? Number(extra.readBigUInt64LE(q)) : extra.readUInt32LE(q);
        q += bytes;
        return v;
      };
      return { uncompressed: take(wanted.uncompressed, 8), compressed: take(wanted.compressed, 8), offset: take(wanted.offset, 8), disk: take(wanted.disk, 4) };
    }
    p += 4 + size;
  }
  return { uncompressed: null, compressed: null, offset: null, disk: null };
}

/** Extra fields without the Zip64 one (it is written anew). */
function withoutZip64(extra: Buffer): Buffer {
  const kept: Buffer[] = [];
  for (let p = 0; p + 4 <= extra.length; ) {
    const size = extra.readUInt16LE(p + 2);
    if (extra.readUInt16LE(p) !== 0x0001) kept.push(extra.subarray(p, p + 4 + size));
    p += 4 + size;
  }
  return Buffer.concat(kept);
}

/** Builds the view's tail: the directory with absolute offsets, then Zip64 end records placed after the parts. */
export async function spannedView(parts: readonly Part[]): Promise<SpannedView> {
  const starts: number[] = [];
  let total = 0;
  for (const part of parts) {
    starts.push(total);
    total += part.size;
  }
  const last = parts.at(-1) as Part;
  const { buffer: eocd, at: eocdAt } = await endRecord(last);
  let cdDisk = eocd.readUInt16LE(6);
  let entries = eocd.readUInt16LE(10);
  let cdSize = eocd.readUInt32LE(12);
  let cdOffset = eocd.readUInt32LE(16);
  if (cdDisk === 0xffff || entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = await readAt(parts, starts, (starts[parts.length - 1] as number) + eocdAt - 20, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new Error(`${last.path}: Zip64 fields without a Zip64 locator`);
    const recordDisk = locator.readUInt32LE(4);
    const record = await readAt(parts, starts, (starts[recordDisk] ?? 0) + Number(locator.readBigUInt64LE(8)), 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new Error(`${last.path}: the Zip64 end record is not where its locator says`);
    cdDisk = record.readUInt32LE(20);
    entries = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
  }
  if (cdDisk >= parts.length) throw new Error(`the directory is on part ${cdDisk + 1} of ${parts.length}: a part is missing`);
  const cd = await readAt(parts, starts, (starts[cdDisk] as number) + cdOffset, cdSize);
  const rebuilt: Buffer[] = [];
  let p = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw new Error(`directory entry ${n + 1} of ${entries} is damaged`);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const header = Buffer.from(cd.subarray(p, p + 46));
    const name = cd.subarray(p + 46, p + 46 + nameLength);
    const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    const comment = cd.subarray(p + 46 + nameLength + extraLength, p + 46 + nameLength + extraLength + commentLength);
    const compressed32 = header.readUInt32LE(20);
    const uncompressed32 = header.readUInt32LE(24);
    const disk16 = header.readUInt16LE(34);
    const offset32 = header.readUInt32LE(42);
    const z = zip64Values(extra, {
      uncompressed: uncompressed32 === 0xffffffff,
      compressed: compressed32 === 0xffffffff,
      offset: offset32 === 0xffffffff,
      disk: disk16 === 0xffff,
    });
    const disk = z.disk ?? disk16;
    if (disk >= parts.length) throw new Error(`${name.toString('utf8')} starts on part ${disk + 1} of ${parts.length}: a part is missing`);
    const absolute = (starts[disk] as number) + (z.offset ?? offset32);
    const big = absolute >= 0xffffffff;
    const values: bigint[] = [];
    if (uncompressed32 === 0xffffffff) values.push(BigInt(z.uncompressed ?? 0));
    if (compressed32 === 0xffffffff) values.push(BigInt(z.compressed ?? 0));
    if (big) values.push(BigInt(absolute));
    const zip64 = Buffer.alloc(values.length > 0 ? 4 + 8 * values.length : 0);
    if (values.length > 0) {
      zip64.writeUInt16LE(0x0001, 0);
      zip64.writeUInt16LE(8 * values.length, 2);
      values.forEach((v, i) => {
        zip64.writeBigUInt64LE(v, 4 + 8 * i);
      });
    }
    const newExtra = Buffer.concat([zip64, withoutZip64(extra)]);
    header.writeUInt16LE(newExtra.length, 30);
    header.writeUInt16LE(0, 34);
    header.writeUInt32LE(big ? 0xffffffff : absolute, 42);
    rebuilt.push(header, name, newExtra, comment);
    p += 46 + nameLength + extraLength + commentLength;
  }
  const directory = Buffer.concat(rebuilt);
  // After the parts: the directory, a Zip64 end record and its locator, and an end record pointing to them.
  const record = Buffer.alloc(56);
  record.writeUInt32LE(ZIP64_EOCD, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(entries), 24);
  record.writeBigUInt64LE(BigInt(entries), 32);
  record.writeBigUInt64LE(BigInt(directory.length), 40);
  record.writeBigUInt64LE(BigInt(total), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(ZIP64_LOCATOR, 0);
  locator.writeBigUInt64LE(BigInt(total + directory.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return { tail: Buffer.concat([directory, record, locator, end]), entries };
}
