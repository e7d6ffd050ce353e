import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import opentype from 'opentype.js';

/*
 * Chinese text for posters without a native image library: Noto Sans SC (the @fontsource package,
 * SIL Open Font License) is shipped as ~100 WOFF subsets by Unicode range; the subsets a text needs
 * are parsed on first use with opentype.js, and each glyph outline is filled with a small anti-aliased
 * scan-line rasteriser (non-zero winding, 4 sub-rows per pixel, exact horizontal coverage).
 */

interface Face {
  file: string;
  ranges: [number, number][];
}

let faces: Face[] | null | undefined;
const fonts = new Map<string, opentype.Font>();
let fontDir = '';

function loadFaces(): Face[] | null {
  if (faces !== undefined) return faces;
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
    const css = readFileSync(join(dir, '700.css'), 'utf8');
    fontDir = join(dir, 'files');
    faces = [
      ...css.matchAll(/url\(\.\/files\/([^)]+\.woff)\) format\('woff'\);\s*unicode-range: ([^;]+);/g),
    ].map((m) => ({
      file: m[1] ?? '',
      ranges: (m[2] ?? '').split(',').map((range) => {
        const [a, b] = range.trim().slice(2).split('-');
        return [Number.parseInt(a ?? '0', 16), Number.parseInt(b ?? a ?? '0', 16)] as [number, number];
      }),
    }));
  } catch {
    faces = null;
  }
  return faces;
}

function fontFor(codePoint: number): opentype.Font | null {
  const face = loadFaces()?.find((f) => f.ranges.some(([a, b]) => codePoint >= a && codePoint <= b));
  if (!face) return null;
  let font = fonts.get(face.file);
  if (!font) {
    const path = join(fontDir, face.file);
    if (!existsSync(path)) return null;
    const bytes = readFileSync(path);
    font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    fonts.set(face.file, font);
  }
  return font;
}

const advance = (font: opentype.Font, ch: string, size: number) =>
  ((font.charToGlyph(ch).advanceWidth ?? font.unitsPerEm) * size) / font.unitsPerEm;

/** The width of a text at a pixel size, or null when the font is not installed. */
export function measureCjkText(text: string, pixelSize: number): number | null {
  if (!loadFaces()) return null;
  let width = 0;
  for (const ch of text) {
    const font = fontFor(ch.codePointAt(0) ?? 32);
    width += font ? advance(font, ch, pixelSize) : pixelSize / 2;
  }
  return width;
}

type Plot = (x: number, y: number, coverage: number) => void;

/** Flattens a glyph outline into closed polygons (curves as short segments). */
function polygons(path: opentype.Path): [number, number][][] {
  const out: [number, number][][] = [];
  let current: [number, number][] = [];
  let x = 0;
  let y = 0;
  for (const c of path.commands) {
    switch (c.type) {
      case 'M':
        if (current.length > 1) out.push(current);
        current = [[c.x, c.y]];
        x = c.x;
        y = c.y;
        break;
      case 'L':
        current.push([c.x, c.y]);
        x = c.x;
        y = c.y;
        break;
      case 'Q':
        for (let i = 1; i <= 8; i++) {
          const t = i / 8;
          const u = 1 - t;
          current.push([
            u * u * x + 2 * u * t * c.x1 + t * t * c.x,
            u * u * y + 2 * u * t * c.y1 + t * t * c.y,
          ]);
        }
        x = c.x;
        y = c.y;
        break;
      case 'C':
        for (let i = 1; i <= 12; i++) {
          const t = i / 12;
          const u = 1 - t;
          current.push([
            u * u * u * x + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t * t * t * c.x,
            u * u * u * y + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t * t * t * c.y,
          ]);
        }
        x = c.x;
        y = c.y;
        break;
      case 'Z':
        if (current.length > 1) out.push(current);
        current = [];
        break;
    }
  }
  if (current.length > 1) out.push(current);
  return out;
}

const SUB = 4;

/** Fills polygons (non-zero winding) with anti-aliasing, calling `plot` with each pixel's coverage. */
function fill(polys: [number, number][][], plot: Plot): void {
  const edges: { x0: number; y0: number; x1: number; y1: number; dir: number }[] = [];
  let minY = Infinity;
  let maxY = -Infinity;
  let minX = Infinity;
  let maxX = -Infinity;
  for (const poly of polys) {
    for (let i = 0; i < poly.length; i++) {
      const [ax, ay] = poly[i]!;
      const [bx, by] = poly[(i + 1) % poly.length]!;
      minX = Math.min(minX, ax);
      maxX = Math.max(maxX, ax);
      if (ay === by) continue;
      edges.push(
        ay < by ? { x0: ax, y0: ay, x1: bx, y1: by, dir: 1 } : { x0: bx, y0: by, x1: ax, y1: ay, dir: -1 },
      );
      minY = Math.min(minY, ay, by);
      maxY = Math.max(maxY, ay, by);
    }
  }
  if (edges.length === 0) return;
  const left = Math.floor(minX);
  const width = Math.ceil(maxX) - left + 1;
  const row = new Float64Array(width);
  for (let py = Math.floor(minY); py <= Math.ceil(maxY); py++) {
    row.fill(0);
    for (let s = 0; s < SUB; s++) {
      const sy = py + (s + 0.5) / SUB;
      const crossings: { x: number; dir: number }[] = [];
      for (const e of edges) {
        if (sy < e.y0 || sy >= e.y1) continue;
        crossings.push({ x: e.x0 + ((sy - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0), dir: e.dir });
      }
      crossings.sort((a, b) => a.x - b.x);
      let winding = 0;
      for (let i = 0; i < crossings.length - 1; i++) {
        winding += crossings[i]!.dir;
        if (winding === 0) continue;
        const a = crossings[i]!.x - left;
        const b = crossings[i + 1]!.x - left;
        for (let px = Math.floor(a); px < Math.ceil(b); px++) {
          const covered = Math.min(b, px + 1) - Math.max(a, px);
          if (covered > 0 && px >= 0 && px < width) row[px]! += covered / SUB;
        }
      }
    }
    for (let px = 0; px < width; px++) if (row[px]! > 0) plot(left + px, py, row[px]!);
  }
}

/** Draws a text with its top-left corner at (x, y); returns the width drawn. */
export function drawCjkText(text: string, pixelSize: number, x: number, y: number, plot: Plot): number {
  let cx = x;
  const baseline = y + pixelSize * 0.88;
  for (const ch of text) {
    const font = fontFor(ch.codePointAt(0) ?? 32);
    if (!font) {
      cx += pixelSize / 2;
      continue;
    }
    fill(polygons(font.charToGlyph(ch).getPath(cx, baseline, pixelSize)), plot);
    cx += advance(font, ch, pixelSize);
  }
  return cx - x;
}
