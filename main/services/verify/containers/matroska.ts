import { ContainerError, type ContainerInfo, type MediaReader } from './media-reader';

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TRACKS = 0x1654ae6b;
const CLUSTER = 0x1f43b675;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TRACK_ENTRY = 0xae;
const VIDEO = 0xe0;
const PIXEL_WIDTH = 0xb0;
const PIXEL_HEIGHT = 0xba;

interface Element {
  id: number;
  start: number;
  dataStart: number;
  /** null: "unknown size" (live streams), the element runs to the end of its parent. */
  size: number | null;
}

function vint(buf: Buffer, pos: number, keepMarker: boolean): { value: number; length: number; allOnes: boolean } {
  const first = buf[pos];
  if (first === undefined || first === 0) throw new ContainerError(`invalid EBML number at byte ${pos}`);
  let length = 1;
  while (!(first & (0x80 >> (length - 1)))) length++;
  if (pos + length > buf.length) throw new ContainerError('truncated EBML number');
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === (keepMarker ? first : 0xff >> length);
  for (let i = 1; i < length; i++) {
    const b = buf[pos + i] as number;
    value = value * 256 + b;
    if (b !== 0xff) allOnes = false;
  }
  return { value, length, allOnes };
}

async function elementAt(reader: MediaReader, offset: number): Promise<Element> {
  const head = await reader.readAtMost(offset, 12);
  const id = vint(head, 0, true);
  const size = vint(head, id.length, false);
  return { id: id.value, start: offset, dataStart: offset + id.length + size.length, size: size.allOnes ? null : size.value };
}

async function childrenOf(reader: MediaReader, parent: Element, end: number): Promise<Element[]> {
  const out: Element[] = [];
  for (let offset = parent.dataStart; offset < end; ) {
    const el = await elementAt(reader, offset);
    if (el.size === null) {
      out.push(el);
      break;
    }
    if (el.dataStart + el.size > end) throw new ContainerError(`truncated: element 0x${el.id.toString(16)} at byte ${offset} runs past the end of the file`);
    out.push(el);
    offset = el.dataStart + el.size;
  }
  return out;
}

/** The children that lie whole before the file ends, then the one it ends in, if its header is there (a file cut short). */
async function childrenUntilCut(reader: MediaReader, parent: Element, end: number): Promise<Element[]> {
  const out: Element[] = [];
  for (let offset = parent.dataStart; offset + 2 <= end; ) {
    const el = await elementAt(reader, offset).catch(() => null);
    if (!el) break;
    out.push(el);
    if (el.size === null || el.dataStart + el.size > end) break;
    offset = el.dataStart + el.size;
  }
  return out;
}

async function uint(reader: MediaReader, el: Element): Promise<number> {
  const data = await reader.read(el.dataStart, el.size ?? 0);
  return data.reduce((v, b) => v * 256 + b, 0);
}

/** WebM/Matroska: EBML header, a Segment complete to its declared size, Tracks and at least one Cluster. */
export async function checkMatroska(reader: MediaReader): Promise<ContainerInfo> {
  const header = await elementAt(reader, 0);
  if (header.id !== EBML || header.size === null) throw new ContainerError('no EBML header');
  const segment = await elementAt(reader, header.dataStart + header.size);
  if (segment.id !== SEGMENT) throw new ContainerError('no Segment after the EBML header');
  const end = segment.size === null ? reader.size : segment.dataStart + segment.size;
  const short =
    end > reader.size ? new ContainerError(`truncated: the Segment declares ${segment.size} bytes, the file ends ${end - reader.size} bytes early`) : null;
  let level1: Element[];
  let cut: ContainerError | null = short;
  try {
    level1 = await childrenOf(reader, segment, Math.min(end, reader.size));
  } catch (error) {
    if (!(error instanceof ContainerError) || !error.message.startsWith('truncated')) throw error;
    level1 = await childrenUntilCut(reader, segment, reader.size);
    cut = short ?? error;
  }
  const tracks = level1.find((e) => e.id === TRACKS && e.size !== null && e.dataStart + e.size <= reader.size);
  // As for ffmpeg, the file opens once its header and Tracks are read and a Cluster begins, whatever is cut short after.
  if (tracks && level1.some((e) => e.id === CLUSTER)) reader.opened = true;
  if (cut) throw cut;
  if (!level1.some((e) => e.id === CLUSTER)) throw new ContainerError('no Cluster: the file holds no media blocks');
  if (!tracks || tracks.size === null) throw new ContainerError('no Tracks element');

  let durationS: number | null = null;
  const info = level1.find((e) => e.id === INFO);
  if (info && info.size !== null) {
    const fields = await childrenOf(reader, info, info.dataStart + info.size);
    const scaleEl = fields.find((e) => e.id === TIMECODE_SCALE);
    const scale = scaleEl ? await uint(reader, scaleEl) : 1_000_000;
    const durationEl = fields.find((e) => e.id === DURATION);
    if (durationEl && (durationEl.size === 4 || durationEl.size === 8)) {
      const raw = await reader.read(durationEl.dataStart, durationEl.size);
      const ticks = durationEl.size === 4 ? raw.readFloatBE(0) : raw.readDoubleBE(0);
      durationS = (ticks * scale) / 1e9;
      if (!(durationS > 0)) throw new ContainerError('the Segment gives a duration of 0');
    }
  }
  let width: number | null = null;
  let height: number | null = null;
  for (const entry of (await childrenOf(reader, tracks, tracks.dataStart + tracks.size)).filter((e) => e.id === TRACK_ENTRY && e.size !== null)) {
    const video = (await childrenOf(reader, entry, entry.dataStart + (entry.size ?? 0))).find((e) => e.id === VIDEO && e.size !== null);
    if (!video) continue;
    for (const field of await childrenOf(reader, video, video.dataStart + (video.size ?? 0))) {
      if (field.id === PIXEL_WIDTH) width = await uint(reader, field);
      if (field.id === PIXEL_HEIGHT) height = await uint(reader, field);
    }
    break;
  }
  return { format: 'matroska', durationS, width, height };
}
