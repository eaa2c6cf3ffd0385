import { ContainerError, type ContainerInfo, type MediaReader } from './media-reader';

interface Box {
  type: string;
  start: number;
  header: number;
  size: number;
}

async function boxAt(reader: MediaReader, offset: number, end: number): Promise<Box> {
  const head = await reader.read(offset, 8);
  let size = head.readUInt32BE(0);
  const type = head.toString('latin1', 4, 8);
  let header = 8;
  if (size === 1) {
    size = Number((await reader.read(offset + 8, 8)).readBigUInt64BE(0));
    header = 16;
  } else if (size === 0) size = end - offset;
  if (size < header) throw new ContainerError(`box "${type}" at byte ${offset} has an impossible size ${size}`);
  if (offset + size > end) throw new ContainerError(`truncated: box "${type}" at byte ${offset} declares ${size} bytes, only ${end - offset} left`);
  return { type, start: offset, header, size };
}

async function children(reader: MediaReader, parent: Box): Promise<Box[]> {
  const out: Box[] = [];
  const end = parent.start + parent.size;
  for (let offset = parent.start + parent.header; offset + 8 <= end; ) {
    const box = await boxAt(reader, offset, end);
    out.push(box);
    offset += box.size;
  }
  return out;
}

/** MP4/MOV: every top-level box complete to the end of the file, a moov with a duration, media data present. */
export async function checkMp4(reader: MediaReader): Promise<ContainerInfo> {
  const top: Box[] = [];
  for (let offset = 0; offset < reader.size; ) {
    if (reader.size - offset < 8) throw new ContainerError(`truncated: ${reader.size - offset} stray bytes at the end`);
    const box = await boxAt(reader, offset, reader.size);
    top.push(box);
    offset += box.size;
  }
  const moov = top.find((b) => b.type === 'moov');
  if (!moov) throw new ContainerError('no moov box: the file has no index of its media (moov missing or never written)');
  if (!top.some((b) => b.type === 'mdat' && b.size > b.header)) throw new ContainerError('no media data (mdat missing or empty)');
  const inMoov = await children(reader, moov);
  const mvhd = inMoov.find((b) => b.type === 'mvhd');
  if (!mvhd) throw new ContainerError('moov has no mvhd header');
  const body = await reader.read(mvhd.start + mvhd.header, Math.min(32, mvhd.size - mvhd.header));
  const version = body[0];
  const timescale = version === 1 ? body.readUInt32BE(20) : body.readUInt32BE(12);
  let duration = version === 1 ? Number(body.readBigUInt64BE(24)) : body.readUInt32BE(16);
  const fragmented = inMoov.some((b) => b.type === 'mvex');
  if (duration === 0 && fragmented) {
    // Fragmented MP4 often leaves mvhd at 0: the media are in moof/mdat pairs after the moov.
    if (!top.some((b) => b.type === 'moof')) throw new ContainerError('fragmented MP4 without any movie fragment (moof)');
    duration = -1;
  }
  if (timescale === 0 || duration === 0) throw new ContainerError('the movie header gives a duration of 0');
  let width: number | null = null;
  let height: number | null = null;
  for (const trak of inMoov.filter((b) => b.type === 'trak')) {
    const tkhd = (await children(reader, trak)).find((b) => b.type === 'tkhd');
    if (!tkhd) continue;
    const t = await reader.read(tkhd.start + tkhd.header, tkhd.size - tkhd.header);
    const w = t.readUInt32BE(t.length - 8) / 65536;
    const h = t.readUInt32BE(t.length - 4) / 65536;
    if (w > 0 && h > 0) {
      width = Math.round(w);
      height = Math.round(h);
      break;
    }
  }
  return { format: 'mp4', durationS: duration > 0 ? duration / timescale : null, width, height };
}
