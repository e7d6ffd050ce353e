import { crc32, deflateSync } from 'node:zlib';
import { qrMatrix } from './qr.js';
import { drawCjkText, measureCjkText } from './poster-font.js';

/*
 * 码上评 posters: a printable PNG (A5 portrait at 200 dpi) with the unit's name, the line above it in
 * the tree, a large QR code of the unit's rating address and that address in plain text. Drawn in
 * plain TypeScript (a grey-scale raster and a PNG encoder over node:zlib): no native image library.
 */

const WIDTH = 1181;
const HEIGHT = 1654;

class Raster {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height).fill(255);
  }
  /** Darkens a pixel to `ink` (0 black … 255 white) with coverage 0–1. */
  blend(x: number, y: number, coverage: number, ink = 0): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || coverage <= 0) return;
    const i = y * this.width + x;
    const c = Math.min(1, coverage);
    this.pixels[i] = Math.round(this.pixels[i]! * (1 - c) + ink * c);
  }
  fill(x: number, y: number, w: number, h: number, ink = 0): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      this.pixels.fill(ink, yy * this.width + Math.max(0, x), yy * this.width + Math.min(this.width, x + w));
    }
  }
}

/** The classic 5×7 (plus descender) dot font for printable ASCII, column-major, bit 0 at the top. */
const FONT5X8 = [
  '0000000000',
  '00005f0000',
  '0007000700',
  '147f147f14',
  '242a7f2a12',
  '2313086462',
  '3649562050',
  '0008070300',
  '001c224100',
  '0041221c00',
  '2a1c7f1c2a',
  '08083e0808',
  '0080703000',
  '0808080808',
  '0000606000',
  '2010080402',
  '3e5149453e',
  '00427f4000',
  '7249494946',
  '2141494d33',
  '1814127f10',
  '2745454539',
  '3c4a494931',
  '4121110907',
  '3649494936',
  '464949291e',
  '0000140000',
  '0040340000',
  '0008142241',
  '1414141414',
  '0041221408',
  '0201590906',
  '3e415d594e',
  '7c1211127c',
  '7f49494936',
  '3e41414122',
  '7f4141413e',
  '7f49494941',
  '7f09090901',
  '3e41415173',
  '7f0808087f',
  '00417f4100',
  '2040413f01',
  '7f08142241',
  '7f40404040',
  '7f021c027f',
  '7f0408107f',
  '3e4141413e',
  '7f09090906',
  '3e4151215e',
  '7f09192946',
  '2649494932',
  '03017f0103',
  '3f4040403f',
  '1f2040201f',
  '3f4038403f',
  '6314081463',
  '0304780403',
  '6159494d43',
  '007f414141',
  '0204081020',
  '004141417f',
  '0402010204',
  '4040404040',
  '0003070800',
  '2054547840',
  '7f28444438',
  '3844444428',
  '384444287f',
  '3854545418',
  '00087e0902',
  '18a4a49c78',
  '7f08040478',
  '00447d4000',
  '2040403d00',
  '7f10284400',
  '00417f4000',
  '7c04780478',
  '7c08040478',
  '3844444438',
  'fc18242418',
  '18242418fc',
  '7c08040408',
  '4854545424',
  '04043f4424',
  '3c4040207c',
  '1c2040201c',
  '3c4030403c',
  '4428102844',
  '4c9090907c',
  '4464544c44',
  '0008364100',
  '0000770000',
  '0041360800',
  '0201020402',
];

function drawAscii(r: Raster, text: string, x: number, y: number, scale: number): number {
  let cx = x;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    const glyph = FONT5X8[code >= 32 && code <= 126 ? code - 32 : 31] ?? '0000000000';
    for (let col = 0; col < 5; col++) {
      const bits = Number.parseInt(glyph.slice(col * 2, col * 2 + 2), 16);
      for (let row = 0; row < 8; row++) {
        if (bits & (1 << row)) r.fill(cx + col * scale, y + row * scale, scale, scale);
      }
    }
    cx += 6 * scale;
  }
  return cx - x;
}

const asciiWidth = (text: string, scale: number) => text.length * 6 * scale - scale;

/** Draws a line of text centred at y: Chinese through the bundled font when present, else ASCII dots. */
function centredLine(r: Raster, text: string, y: number, pixelSize: number): void {
  const cjk = measureCjkText(text, pixelSize);
  if (cjk !== null) {
    drawCjkText(text, pixelSize, Math.round((r.width - Math.min(cjk, r.width - 80)) / 2), y, (x, yy, c) =>
      r.blend(x, yy, c),
    );
    return;
  }
  const scale = Math.max(2, Math.round(pixelSize / 8));
  drawAscii(r, text, Math.round((r.width - asciiWidth(text, scale)) / 2), y, scale);
}

/** PNG (8-bit grey) of a raster. */
export function encodePng(r: Raster): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(r.width, 0);
  ihdr.writeUInt32BE(r.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  const raw = Buffer.alloc((r.width + 1) * r.height);
  for (let y = 0; y < r.height; y++) {
    raw[y * (r.width + 1)] = 0; // no filter
    raw.set(r.pixels.subarray(y * r.width, (y + 1) * r.width), y * (r.width + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface PosterContent {
  /** The unit's name (large). */
  title: string;
  /** The line above it in the tree, e.g. the department (small). */
  subtitle: string;
  code: string;
  /** What the QR code opens. */
  url: string;
}

/** The poster as PNG bytes. */
export async function posterPng(content: PosterContent): Promise<Buffer> {
  const r = new Raster(WIDTH, HEIGHT);
  // A frame and a header band.
  r.fill(40, 40, WIDTH - 80, 12);
  r.fill(40, HEIGHT - 52, WIDTH - 80, 12);
  centredLine(r, '政务服务“好差评” · 扫码评价', 110, 56);
  centredLine(r, content.subtitle, 210, 44);
  centredLine(r, content.title, 280, 84);
  const qr = qrMatrix(content.url);
  const quiet = 4;
  const module = Math.floor(760 / (qr.size + 2 * quiet));
  const side = module * (qr.size + 2 * quiet);
  const left = Math.round((WIDTH - side) / 2);
  const top = 440;
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (qr.dark(x, y)) r.fill(left + (x + quiet) * module, top + (y + quiet) * module, module, module);
    }
  }
  centredLine(r, '请用手机扫描二维码，为本次服务评价', top + side + 40, 44);
  const scale = 3;
  drawAscii(
    r,
    content.url,
    Math.round((WIDTH - asciiWidth(content.url, scale)) / 2),
    top + side + 130,
    scale,
  );
  drawAscii(r, content.code, Math.round((WIDTH - asciiWidth(content.code, 4)) / 2), top + side + 190, 4);
  return encodePng(r);
}
