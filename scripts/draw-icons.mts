// Draws the Teams app icons: `npx node scripts/draw-icons.mts` (any working directory). The mark is an envelope
// with a check mark over its lower right corner, the check cut free of the envelope by a small gap:
// - manifest/color.png: 192x192, white mark on the accent colour (#1F5FA8, as `accentColor` in manifest.json),
//   kept inside the centre of the tile so Teams' rounded corners never clip it;
// - manifest/outline.png: 32x32, white on transparent, as Teams requires (edges anti-aliased through alpha only).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Point = [number, number];
/** How much of the point (x, y) a shape covers: 1 inside, 0 outside. */
type Shape = (x: number, y: number) => boolean;

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** A stroked open polyline with round joins and caps. */
function polyline(points: Point[], width: number): Shape {
  return (x, y) => points.slice(1).some((b, i) => distanceToSegment([x, y], points[i]!, b) <= width / 2);
}

/** The outline of a rectangle with rounded corners; the stroke lies inside the given bounds. */
function roundedFrame(left: number, top: number, right: number, bottom: number, radius: number, width: number): Shape {
  const inside = (x: number, y: number, inset: number) => {
    const r = Math.max(0, radius - inset);
    const [l, t, rt, b] = [left + inset, top + inset, right - inset, bottom - inset];
    if (x < l || x > rt || y < t || y > b) return false;
    const cx = Math.min(Math.max(x, l + r), rt - r);
    const cy = Math.min(Math.max(y, t + r), b - r);
    return Math.hypot(x - cx, y - cy) <= r;
  };
  return (x, y) => inside(x, y, 0) && !inside(x, y, width);
}

/** The mark in a box of `size` pixels at (`ox`, `oy`); `stroke` and `gap` in pixels. */
function mark(ox: number, oy: number, size: number, stroke: number, gap: number) {
  const p = (x: number, y: number): Point => [ox + x * size, oy + y * size];
  const [left, top, right, bottom] = [ox, oy + 0.12 * size, ox + 0.84 * size, oy + 0.72 * size];
  const envelope = roundedFrame(left, top, right, bottom, 0.07 * size, stroke);
  const flap = polyline([p(0.06, 0.2), p(0.42, 0.47), p(0.78, 0.2)], stroke);
  const check = [p(0.5, 0.8), p(0.64, 0.94), p(0.98, 0.6)];
  return {
    ink: (x: number, y: number) => envelope(x, y) || flap(x, y) || polyline(check, stroke)(x, y),
    cut: polyline(check, stroke + 2 * gap),
    check: polyline(check, stroke),
  };
}

/** Coverage of each pixel by a shape, sampled on a 4x4 grid so edges are smooth. */
function coverage(shape: Shape, x: number, y: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (shape(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits++;
  return hits / 16;
}

function draw(size: number, background: [number, number, number] | undefined, box: { at: number; size: number; stroke: number; gap: number }): Buffer {
  const png = new PNG({ width: size, height: size });
  const { check, cut, ink } = mark(box.at, box.at, box.size, box.stroke, box.gap);
  // The envelope, minus a gap around the check, plus the check.
  const shape: Shape = (x, y) => check(x, y) || (ink(x, y) && !cut(x, y));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(shape, x, y);
      const i = (y * size + x) * 4;
      if (background) {
        // White over the accent colour: an opaque tile.
        for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(background[c]! * (1 - a) + 255 * a);
        png.data[i + 3] = 255;
      } else {
        // White on transparent: the colour is always white, only alpha varies.
        png.data.set([255, 255, 255, Math.round(255 * a)], i);
      }
    }
  }
  return PNG.sync.write(png);
}

const out = path.resolve(path.dirname(process.argv[1]!), '..', 'manifest');
writeFileSync(path.join(out, 'color.png'), draw(192, [0x1f, 0x5f, 0xa8], { at: 38, size: 116, stroke: 10, gap: 8 }));
writeFileSync(path.join(out, 'outline.png'), draw(32, undefined, { at: 1, size: 30, stroke: 2.5, gap: 1.5 }));
process.stdout.write(`Icons written to ${path.relative(process.cwd(), out) || '.'}/color.png and outline.png.\n`);
