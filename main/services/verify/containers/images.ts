import { ContainerError, type ContainerInfo, type MediaReader } from './media-reader';

/** GIF: header, screen size, at least one image, and the trailer byte at the end of the block stream. */
export async function checkGif(reader: MediaReader): Promise<ContainerInfo> {
  const data = await reader.read(0, reader.size);
  const sig = data.toString('latin1', 0, 6);
  if (sig !== 'GIF87a' && sig !== 'GIF89a') throw new ContainerError('not a GIF header');
  if (data.length < 13) throw new ContainerError('truncated: no logical screen descriptor');
  const width = data.readUInt16LE(6);
  const height = data.readUInt16LE(8);
  reader.opened = true;
  const flags = data[10] as number;
  let pos = 13 + (flags & 0x80 ? 3 * (1 << ((flags & 7) + 1)) : 0);
  let frames = 0;
  let delay = 0;
  const skipSubBlocks = () => {
    for (;;) {
      const n = data[pos];
      if (n === undefined) throw new ContainerError(`truncated inside a data block at byte ${pos}`);
      pos += 1 + n;
      if (n === 0) return;
    }
  };
  for (;;) {
    const block = data[pos];
    if (block === undefined) throw new ContainerError(`truncated: no trailer after ${frames} frame(s)`);
    if (block === 0x3b) break;
    if (block === 0x21) {
      if (data[pos + 1] === 0xf9 && pos + 6 <= data.length) delay += data.readUInt16LE(pos + 4);
      pos += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      if (pos + 10 > data.length) throw new ContainerError('truncated image descriptor');
      const local = data[pos + 9] as number;
      pos += 10 + (local & 0x80 ? 3 * (1 << ((local & 7) + 1)) : 0) + 1;
      skipSubBlocks();
      frames++;
    } else throw new ContainerError(`unknown GIF block 0x${block.toString(16)} at byte ${pos}`);
  }
  if (frames === 0) throw new ContainerError('no image in the GIF');
  return { format: 'gif', durationS: delay > 0 ? delay / 100 : null, width, height };
}

/** JPEG: SOI, a frame header with dimensions, a scan, and the EOI marker at the end. */
export async function checkJpeg(reader: MediaReader): Promise<ContainerInfo> {
  if (reader.size < 4) throw new ContainerError('truncated JPEG');
  let pos = 2;
  let frame: { width: number; height: number } | null = null;
  while (!frame) {
    const marker = await reader.read(pos, 4);
    if (marker[0] !== 0xff) throw new ContainerError(`bad JPEG marker at byte ${pos}`);
    // A start of image followed by a marker segment is what ffmpeg's JPEG probe opens.
    reader.opened = true;
    const code = marker[1] as number;
    const length = marker.readUInt16BE(2);
    if (code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc) {
      const sof = await reader.read(pos + 4, 5);
      frame = { width: sof.readUInt16BE(3), height: sof.readUInt16BE(1) };
    } else if (code === 0xda) throw new ContainerError('scan data before any frame header');
    pos += 2 + length;
  }
  const tail = await reader.read(reader.size - 2, 2);
  if (tail[0] !== 0xff || tail[1] !== 0xd9) throw new ContainerError('truncated: no end-of-image marker');
  return { format: 'jpeg', durationS: null, ...frame };
}

/** PNG: signature, IHDR, chunks complete up to IEND. */
export async function checkPng(reader: MediaReader): Promise<ContainerInfo> {
  const head = await reader.read(0, 24);
  if (head.toString('latin1', 12, 16) !== 'IHDR') throw new ContainerError('no IHDR chunk');
  const width = head.readUInt32BE(16);
  const height = head.readUInt32BE(20);
  reader.opened = true;
  for (let pos = 8; ; ) {
    const chunk = await reader.read(pos, 8);
    const length = chunk.readUInt32BE(0);
    const type = chunk.toString('latin1', 4, 8);
    if (pos + 12 + length > reader.size) throw new ContainerError(`truncated: chunk ${type} at byte ${pos} runs past the end`);
    if (type === 'IEND') break;
    pos += 12 + length;
  }
  if (width === 0 || height === 0) throw new ContainerError('the image has no pixels');
  return { format: 'png', durationS: null, width, height };
}
