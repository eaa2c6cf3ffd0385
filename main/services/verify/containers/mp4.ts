import { ContainerError, type ContainerInfo, type MediaReader } from './media-reader';

interface Box {
  type: string;
  start: number;
  header: number;
  size: number;
  /** The file ends inside this box. */
  cut?: boolean;
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

/** Boxes from `start` to `end`; a box cut short by the end of the file ends the list and is reported, not thrown. */
async function boxesUntil(reader: MediaReader, start: number, end: number): Promise<{ boxes: Box[]; cut: ContainerError | null }> {
  const boxes: Box[] = [];
  for (let offset = start; offset < end; ) {
    if (end - offset < 8) return { boxes, cut: new ContainerError(`truncated: ${end - offset} stray bytes at the end`) };
    try {
      const box = await boxAt(reader, offset, end);
      boxes.push(box);
      offset += box.size;
    } catch (error) {
      if (!(error instanceof ContainerError) || !error.message.startsWith('truncated')) throw error;
      const head = await reader.read(offset, 8);
      boxes.push({ type: head.toString('latin1', 4, 8), start: offset, header: 8, size: end - offset, cut: true });
      return { boxes, cut: error };
    }
  }
  return { boxes, cut: null };
}

/** A box's child of a type, or null. */
async function child(reader: MediaReader, parent: Box | null, type: string): Promise<Box | null> {
  return parent ? ((await children(reader, parent)).find((b) => b.type === type) ?? null) : null;
}

/**
 * The first video track's length (its media header) and frame rate (its sample table's frame count over that
 * length): what a clip's check needs when there is no ffprobe to ask. Null for a track without them.
 */
async function videoTrack(reader: MediaReader, inMoov: Box[]): Promise<{ durationS: number; frameRate: number } | null> {
  for (const trak of inMoov.filter((b) => b.type === 'trak')) {
    // Only what a clip's check asks; a track it cannot read is no verdict on the file (verify has its own).
    const found = await trackTiming(reader, trak).catch(() => null);
    if (found) return found;
  }
  return null;
}

async function trackTiming(reader: MediaReader, trak: Box): Promise<{ durationS: number; frameRate: number } | null> {
  const mdia = await child(reader, trak, 'mdia');
  const hdlr = await child(reader, mdia, 'hdlr');
  if (!hdlr || hdlr.size - hdlr.header < 12 || (await reader.read(hdlr.start + hdlr.header + 8, 4)).toString('latin1') !== 'vide') return null;
  const mdhd = await child(reader, mdia, 'mdhd');
  const stts = await child(reader, await child(reader, await child(reader, mdia, 'minf'), 'stbl'), 'stts');
  if (!mdhd || !stts || mdhd.size - mdhd.header < 24 || stts.size - stts.header < 8) return null;
  const head = await reader.read(mdhd.start + mdhd.header, Math.min(32, mdhd.size - mdhd.header));
  const v1 = head[0] === 1;
  if (v1 && head.length < 32) return null;
  const timescale = head.readUInt32BE(v1 ? 20 : 12);
  const ticks = v1 ? Number(head.readBigUInt64BE(24)) : head.readUInt32BE(16);
  const table = await reader.read(stts.start + stts.header, stts.size - stts.header);
  const entries = Math.min(table.readUInt32BE(4), Math.floor((table.length - 8) / 8));
  const runs = Array.from({ length: entries }, (_, i) => ({ count: table.readUInt32BE(8 + i * 8), delta: table.readUInt32BE(12 + i * 8) }));
  const frames = runs.reduce((n, r) => n + r.count, 0);
  if (!timescale || !frames) return null;
  // Constant frame rate (every delta alike but perhaps the last, which muxers stretch to the track's end): the
  // length is frames × delta, as ffprobe gives it; a variable rate keeps the media header's length.
  const body = runs.at(-1)?.count === 1 && runs.length > 1 ? runs.slice(0, -1) : runs;
  const delta = body[0]?.delta ?? 0;
  if (delta > 0 && body.every((r) => r.delta === delta)) return { durationS: (frames * delta) / timescale, frameRate: timescale / delta };
  return ticks ? { durationS: ticks / timescale, frameRate: frames / (ticks / timescale) } : null;
}

/**
 * MP4/MOV: every top-level box complete to the end of the file, a moov with a duration, media data present.
 * The file "opens" once the moov's movie header is read, as for ffmpeg, even when boxes after it are cut short.
 */
export async function checkMp4(reader: MediaReader, options: { videoTiming?: boolean } = {}): Promise<ContainerInfo> {
  const { boxes: top, cut } = await boxesUntil(reader, 0, reader.size);
  // ffmpeg also finds a moov whose type was overwritten with "free" (a damaged header it recovers from).
  let moov = top.find((b) => b.type === 'moov');
  let hidden = false;
  // ffmpeg looks for it only when the file has no movie fragments (it fails on those before it looks).
  if (!moov && !top.some((b) => b.type === 'moof')) {
    for (const b of top.filter((t) => ['free', 'skip', 'hoov'].includes(t.type) && t.size >= 16)) {
      if ((await reader.readAtMost(b.start + b.header + 4, 4)).toString('latin1') === 'mvhd') {
        moov = b;
        hidden = true;
        break;
      }
    }
  }
  if (!moov) throw cut ?? new ContainerError('no moov box: the file has no index of its media (moov missing or never written)');
  const { boxes: inMoov, cut: innerCut } = await boxesUntil(reader, moov.start + moov.header, Math.min(moov.start + moov.size, reader.size));
  const mvhd = inMoov.find((b) => b.type === 'mvhd' && !b.cut);
  if (!mvhd) throw cut ?? new ContainerError('moov has no mvhd header');
  const body = await reader.read(mvhd.start + mvhd.header, Math.min(32, mvhd.size - mvhd.header));
  if (body.length < (body[0] === 1 ? 32 : 20)) throw new ContainerError(`the movie header (mvhd) is too short (${body.length} bytes)`);
  // With the movie header and one whole track, ffmpeg opens the file, whatever is cut short after them.
  if (!inMoov.some((b) => b.type === 'trak' && !b.cut)) throw cut ?? new ContainerError('moov has no track');
  reader.opened = true;
  if (cut) throw cut;
  // A box inside the moov that runs past the moov's own end: the index itself is damaged.
  if (innerCut) throw new ContainerError(`the moov box is damaged: ${innerCut.message}`);
  if (hidden)
    throw new ContainerError(`the moov box at byte ${moov.start} is marked "${moov.type}": the header is damaged (ffmpeg recovers it, other readers may not)`);
  if (!top.some((b) => b.type === 'mdat' && b.size > b.header)) throw new ContainerError('no media data (mdat missing or empty)');
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
    if (t.length < 8) continue;
    const w = t.readUInt32BE(t.length - 8) / 65536;
    const h = t.readUInt32BE(t.length - 4) / 65536;
    if (w > 0 && h > 0) {
      width = Math.round(w);
      height = Math.round(h);
      break;
    }
  }
  return {
    format: 'mp4',
    durationS: duration > 0 ? duration / timescale : null,
    width,
    height,
    video: options.videoTiming ? await videoTrack(reader, inMoov) : null,
  };
}
