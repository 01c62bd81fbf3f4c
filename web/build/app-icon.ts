import { crc32, deflateSync } from "node:zlib";

/** The app's colours (web/src/styles.css: --brand, --brand-ink). */
const BRAND = [0x0f, 0x76, 0x6e] as const;
const INK = [0xff, 0xff, 0xff] as const;

/**
 * The app's icon as a PNG, `size` pixels square, drawn here so no image is downloaded or kept in git: a white
 * ring, the circle of the circular economy, on the brand's teal. The teal reaches every edge and the ring
 * stays inside the middle 80 %, so a launcher may crop it to any shape ("maskable").
 */
export function appIconPng(size: number): Buffer {
  const rows: Buffer[] = [];
  const centre = size / 2;
  const radius = size * 0.27;
  const half = size * 0.06;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // a leading 0: no PNG filter on this row
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x + 0.5 - centre, y + 0.5 - centre);
      // How much of this pixel the ring covers: one pixel of soft edge instead of stairs.
      const cover = Math.min(1, Math.max(0, half + 0.5 - Math.abs(distance - radius)));
      for (let channel = 0; channel < 3; channel++) {
        row[1 + x * 3 + channel] = Math.round(BRAND[channel]! + (INK[channel]! - BRAND[channel]!) * cover);
      }
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits a channel, RGB, deflate, no filter, not interlaced
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A PNG chunk: its length, type, data, and the CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const framed = Buffer.alloc(8 + typed.length);
  framed.writeUInt32BE(data.length, 0);
  typed.copy(framed, 4);
  framed.writeUInt32BE(crc32(typed), 4 + typed.length);
  return framed;
}
