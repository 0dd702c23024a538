//! The signature pad's model: pointer positions (CSS px, relative to the pad) become strokes,
//! one per pen-down. Kept apart from the canvas so that it can be tested without one.

export type Point = [number, number];

const round = (v: number) => Math.round(v * 10) / 10;

export class StrokeRecorder {
  strokes: Point[][] = [];
  private current: Point[] | null = null;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** A point on the pad; a pointer dragged past the edge stays on the edge. */
  private point(x: number, y: number): Point {
    const cx = Math.min(Math.max(x, 0), this.width);
    const cy = Math.min(Math.max(y, 0), this.height);
    return [round(cx), round(cy)];
  }

  get drawing(): boolean {
    return this.current !== null;
  }

  get pointCount(): number {
    return this.strokes.reduce((n, s) => n + s.length, 0);
  }

  start(x: number, y: number): Point {
    const p = this.point(x, y);
    this.current = [p];
    this.strokes.push(this.current);
    return p;
  }

  /** Adds a point to the stroke being drawn; the previous point, to draw the segment from. */
  extend(x: number, y: number): { from: Point; to: Point } | null {
    const stroke = this.current;
    if (!stroke) return null;
    const from = stroke[stroke.length - 1];
    const to = this.point(x, y);
    if (to[0] === from[0] && to[1] === from[1]) return null;
    stroke.push(to);
    return { from, to };
  }

  end(): void {
    this.current = null;
  }

  clear(): void {
    this.strokes = [];
    this.current = null;
  }
}
