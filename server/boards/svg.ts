import { BACKGROUND_ELEMENT_ID } from '../../signaling/shared/boardMerge';
import type { BoardElement } from './reconcile';

const esc = (v: unknown) =>
  String(v ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
const num = (v: unknown, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const color = (v: unknown, fallback: string) =>
  typeof v === 'string' && /^(#[0-9a-fA-F]{3,8}|transparent|[a-z]{3,20})$/.test(v) ? v : fallback;

function points(e: BoardElement): Array<[number, number]> {
  const raw = Array.isArray(e.points) ? (e.points as unknown[]) : [];
  return raw
    .filter((p): p is [number, number] => Array.isArray(p) && p.length >= 2)
    .map(([x, y]) => [num(x), num(y)]);
}

const FRAME = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/;

function shape(e: BoardElement, background: string | null): string {
  const x = num(e.x);
  const y = num(e.y);
  const w = num(e.width);
  const h = num(e.height);
  const stroke = color(e.strokeColor, '#1e1e1e');
  const fill = color(e.backgroundColor, 'transparent');
  const sw = Math.max(0.5, num(e.strokeWidth, 2));
  const opacity = Math.min(1, Math.max(0, num(e.opacity, 100) / 100));
  const common = `stroke="${stroke}" stroke-width="${sw}" opacity="${opacity}" stroke-linecap="round" stroke-linejoin="round"`;
  const rotate = num(e.angle)
    ? ` transform="rotate(${(num(e.angle) * 180) / Math.PI} ${x + w / 2} ${y + h / 2})"`
    : '';
  switch (e.type) {
    case 'rectangle':
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" ${common}${rotate}/>`;
    case 'ellipse':
      return `<ellipse cx="${x + w / 2}" cy="${y + h / 2}" rx="${Math.abs(w / 2)}" ry="${Math.abs(h / 2)}" fill="${fill}" ${common}${rotate}/>`;
    case 'diamond':
      return `<polygon points="${x + w / 2},${y} ${x + w},${y + h / 2} ${x + w / 2},${y + h} ${x},${y + h / 2}" fill="${fill}" ${common}${rotate}/>`;
    case 'freedraw':
    case 'line':
    case 'arrow': {
      const pts = points(e);
      if (pts.length === 0) return '';
      const d = pts.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${x + px} ${y + py}`).join(' ');
      let out = `<path d="${d}" fill="none" ${common}${rotate}/>`;
      if (e.type === 'arrow' && pts.length >= 2) {
        const [x1, y1] = pts[pts.length - 2]!;
        const [x2, y2] = pts[pts.length - 1]!;
        const angle = Math.atan2(y2 - y1, x2 - x1);
        const size = 10 + sw * 2;
        const a1 = angle + Math.PI - 0.4;
        const a2 = angle + Math.PI + 0.4;
        out += `<path d="M${x + x2 + size * Math.cos(a1)} ${y + y2 + size * Math.sin(a1)} L${x + x2} ${y + y2} L${x + x2 + size * Math.cos(a2)} ${y + y2 + size * Math.sin(a2)}" fill="none" ${common}/>`;
      }
      return out;
    }
    case 'image': {
      // The frozen screen frame is drawn where it lay on the board, at the size it had there. The
      // server keeps no other pictures: those show as a placeholder of their size.
      if (e.id === BACKGROUND_ELEMENT_ID && background) {
        return `<image href="${background}" x="${x}" y="${y}" width="${w}" height="${h}" preserveAspectRatio="none" opacity="${opacity}"${rotate}/>`;
      }
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#f1f3f5" stroke="#adb5bd" stroke-dasharray="6 4" opacity="${opacity}"${rotate}/>`;
    }
    case 'text': {
      const size = num(e.fontSize, 20);
      const lines = String(e.text ?? '').split('\n');
      return lines
        .map(
          (line, i) =>
            `<text x="${x}" y="${y + size * (i + 1)}" font-family="sans-serif" font-size="${size}" fill="${stroke}" opacity="${opacity}"${rotate}>${esc(line)}</text>`,
        )
        .join('');
    }
    default:
      return '';
  }
}

/**
 * A server-side SVG of a board: rectangles, ellipses, diamonds, free-hand strokes, lines, arrows and
 * text, over the frozen screen frame if there is one. Rendered on the server so the ticket gets
 * its image even when no browser is left to export one when the call ends.
 */
export function renderBoardSvg(allElements: readonly BoardElement[], backgroundUrl: string | null): string {
  const elements = allElements.filter((e) => e.isDeleted !== true);
  const background = backgroundUrl && FRAME.test(backgroundUrl) ? backgroundUrl : null;
  const placed = elements.some((e) => e.id === BACKGROUND_ELEMENT_ID && e.type === 'image');
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const e of elements) {
    const x = num(e.x);
    const y = num(e.y);
    const pts = points(e);
    const xs = pts.length ? pts.map(([px]) => x + px) : [x, x + num(e.width)];
    const ys = pts.length ? pts.map(([, py]) => y + py) : [y, y + num(e.height)];
    minX = Math.min(minX, ...xs);
    minY = Math.min(minY, ...ys);
    maxX = Math.max(maxX, ...xs);
    maxY = Math.max(maxY, ...ys);
  }
  if (!Number.isFinite(minX)) {
    minX = 0;
    minY = 0;
    maxX = 640;
    maxY = 360;
  }
  const pad = 20;
  const vx = minX - pad;
  const vy = minY - pad;
  const vw = Math.max(1, maxX - minX + pad * 2);
  const vh = Math.max(1, maxY - minY + pad * 2);
  // A frame without its element on the board (a board saved before frames became elements) is
  // fitted behind the drawing.
  const bg =
    background && !placed
      ? `<image href="${background}" x="${vx}" y="${vy}" width="${vw}" height="${vh}" preserveAspectRatio="xMidYMid meet"/>`
      : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${vx} ${vy} ${vw} ${vh}" width="${Math.round(vw)}" height="${Math.round(vh)}">`,
    `<rect x="${vx}" y="${vy}" width="${vw}" height="${vh}" fill="#ffffff"/>`,
    bg,
    // The frame at the back, whatever its place in the list.
    ...elements.filter((e) => e.id === BACKGROUND_ELEMENT_ID).map((e) => shape(e, background)),
    ...elements.filter((e) => e.id !== BACKGROUND_ELEMENT_ID).map((e) => shape(e, background)),
    '</svg>',
  ].join('');
}
