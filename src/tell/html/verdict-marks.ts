// Each verdict has a shape as well as a colour, so the timeline reads without colour (and in black-and-white print).
import type { Verdict } from '../../model/report.js';

export type Shape =
  | 'triangle-up' | 'diamond' | 'triangle-down' | 'hexagon' | 'square' | 'pentagon' | 'ring'
  | 'bar' | 'circle' | 'plus' | 'cross' | 'star' | 'hollow-square';

export const VERDICT_SHAPES: Record<Verdict, Shape> = {
  'kernel-oom': 'triangle-up',
  'cgroup-oom': 'diamond',
  'userspace-oom': 'triangle-down',
  'go-runtime-oom': 'hexagon',
  'go-panic': 'square',
  'go-fatal': 'pentagon',
  'startup-failure': 'ring',
  stopped: 'bar',
  exited: 'circle',
  signaled: 'plus',
  killed: 'cross',
  'host-reboot': 'star',
  unknown: 'hollow-square',
};

function polygon(points: number, radius: number, rotation: number): string {
  const out: string[] = [];
  for (let i = 0; i < points; i++) {
    const a = rotation + (i * 2 * Math.PI) / points;
    out.push(`${(radius * Math.cos(a)).toFixed(2)},${(radius * Math.sin(a)).toFixed(2)}`);
  }
  return `M${out.join('L')}Z`;
}

function star(radius: number): string {
  const out: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? radius : radius * 0.45;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    out.push(`${(r * Math.cos(a)).toFixed(2)},${(r * Math.sin(a)).toFixed(2)}`);
  }
  return `M${out.join('L')}Z`;
}

/** The path of a shape centred on 0,0, about 2·size across. */
export function shapePath(shape: Shape, size = 7): string {
  const s = size;
  switch (shape) {
    case 'triangle-up': return `M0,${-s * 1.15}L${s * 1.05},${s * 0.75}L${-s * 1.05},${s * 0.75}Z`;
    case 'triangle-down': return `M0,${s * 1.15}L${s * 1.05},${-s * 0.75}L${-s * 1.05},${-s * 0.75}Z`;
    case 'diamond': return `M0,${-s * 1.2}L${s},0L0,${s * 1.2}L${-s},0Z`;
    case 'hexagon': return polygon(6, s, 0);
    case 'pentagon': return polygon(5, s * 1.05, -Math.PI / 2);
    case 'square': return `M${-s * 0.85},${-s * 0.85}h${s * 1.7}v${s * 1.7}h${-s * 1.7}Z`;
    case 'hollow-square': return `M${-s * 0.8},${-s * 0.8}h${s * 1.6}v${s * 1.6}h${-s * 1.6}Z`;
    case 'bar': return `M${-s * 0.4},${-s * 1.1}h${s * 0.8}v${s * 2.2}h${-s * 0.8}Z`;
    case 'plus': {
      const w = s * 0.35;
      return `M${-w},${-s}h${2 * w}v${s - w}h${s - w}v${2 * w}h${-(s - w)}v${s - w}h${-2 * w}v${-(s - w)}h${-(s - w)}v${-2 * w}h${s - w}Z`;
    }
    case 'cross': {
      const w = s * 0.3;
      const d = s * 0.95;
      return `M${-d},${-d + w}L${-d + w},${-d}L0,${-w}L${d - w},${-d}L${d},${-d + w}L${w},0L${d},${d - w}L${d - w},${d}L0,${w}L${-d + w},${d}L${-d},${d - w}L${-w},0Z`;
    }
    case 'star': return star(s * 1.25);
    case 'circle': return `M${s},0A${s},${s} 0 1 1 ${-s},0A${s},${s} 0 1 1 ${s},0Z`;
    case 'ring': {
      const r = s * 0.75;
      return `M${r},0A${r},${r} 0 1 1 ${-r},0A${r},${r} 0 1 1 ${r},0Z`;
    }
  }
}

/** Shapes drawn as an outline rather than filled. */
export const HOLLOW: ReadonlySet<Shape> = new Set<Shape>(['ring', 'hollow-square']);

/** A mark as an SVG element at x,y; `title` is already escaped text. */
export function verdictMark(verdict: Verdict, x: number, y: number, title: string, extraClass = '', size = 7): string {
  const shape = VERDICT_SHAPES[verdict] ?? 'hollow-square';
  const hollow = HOLLOW.has(shape) ? ' hollow' : '';
  return `<path class="mk v-${verdict}${hollow}${extraClass ? ' ' + extraClass : ''}" data-verdict="${verdict}" transform="translate(${x.toFixed(1)} ${y.toFixed(1)})" d="${shapePath(shape, size)}"><title>${title}</title></path>`;
}

/** A small stand-alone SVG of a verdict's mark, for legends and headings. */
export function verdictIcon(verdict: Verdict, size = 16): string {
  const shape = VERDICT_SHAPES[verdict] ?? 'hollow-square';
  const hollow = HOLLOW.has(shape) ? ' hollow' : '';
  return `<svg class="icon" viewBox="-10 -10 20 20" width="${size}" height="${size}" aria-hidden="true"><path class="mk v-${verdict}${hollow}" d="${shapePath(shape, 7)}"/></svg>`;
}
