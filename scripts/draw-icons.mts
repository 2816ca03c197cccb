// Draws the Teams app icons: `npx node scripts/draw-icons.mts`, from the project root. An envelope with a check mark, white on
// the accent colour (color.png, 192x192) and white on transparent (outline.png, 32x32, as Teams requires).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Rgba = [number, number, number, number];

function draw(size: number, background: Rgba, ink: Rgba, stroke: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const set = (x: number, y: number, c: Rgba) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    png.data.set(c, (y * size + x) * 4);
  };
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) set(x, y, background);
  const line = (x0: number, y0: number, x1: number, y1: number) => {
    const steps = Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) * 2);
    for (let i = 0; i <= steps; i++) {
      const x = x0 + ((x1 - x0) * i) / steps;
      const y = y0 + ((y1 - y0) * i) / steps;
      for (let dy = -stroke / 2; dy < stroke / 2; dy++) for (let dx = -stroke / 2; dx < stroke / 2; dx++) set(Math.round(x + dx), Math.round(y + dy), ink);
    }
  };
  const s = (f: number) => f * size;
  // Envelope: frame and flap.
  const [left, right, top, bottom] = [s(0.14), s(0.8), s(0.2), s(0.64)];
  line(left, top, right, top);
  line(right, top, right, bottom);
  line(right, bottom, left, bottom);
  line(left, bottom, left, top);
  line(left, top, s(0.47), s(0.44));
  line(s(0.47), s(0.44), right, top);
  // Check mark at the lower right: the problem solved.
  line(s(0.6), s(0.78), s(0.7), s(0.88));
  line(s(0.7), s(0.88), s(0.9), s(0.68));
  return PNG.sync.write(png);
}

const out = path.resolve('manifest');
writeFileSync(path.join(out, 'color.png'), draw(192, [0x1f, 0x5f, 0xa8, 255], [255, 255, 255, 255], 10));
writeFileSync(path.join(out, 'outline.png'), draw(32, [0, 0, 0, 0], [255, 255, 255, 255], 2));
