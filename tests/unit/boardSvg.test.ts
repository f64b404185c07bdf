import { describe, expect, it } from 'vitest';
import { renderBoardSvg } from '../../server/boards/svg';
import { BACKGROUND_ELEMENT_ID, type BoardElement } from '../../signaling/shared/boardMerge';

// A 1×1 PNG: what a frozen screen frame looks like to the renderer.
const FRAME =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const el = (fields: Partial<BoardElement> & { id: string; type: string }): BoardElement =>
  ({
    version: 1,
    versionNonce: 1,
    isDeleted: false,
    x: 0,
    y: 0,
    width: 0,
    height: 0,
    ...fields,
  }) as BoardElement;

const frameElement = el({ id: BACKGROUND_ELEMENT_ID, type: 'image', x: 100, y: 50, width: 640, height: 360 });
const stroke = el({
  id: 's1',
  type: 'freedraw',
  x: 200,
  y: 100,
  points: [
    [0, 0],
    [30, 40],
  ],
  strokeColor: '#e03131',
});

describe('the saved image of a board', () => {
  it('draws the frozen frame where it lay on the board and at its size, behind the drawing', () => {
    // The frame element comes last in the list; it is still drawn first.
    const svg = renderBoardSvg([stroke, frameElement], FRAME);
    expect(svg).toContain(
      `<image href="${FRAME}" x="100" y="50" width="640" height="360" preserveAspectRatio="none"`,
    );
    expect(svg.indexOf('<image')).toBeLessThan(svg.indexOf('<path d="M200 100 L230 140"'));
    // The view covers the frame (20 px padding), not only the stroke.
    expect(svg).toContain('viewBox="80 30 680 400"');
    expect(svg.match(/<image /g)).toHaveLength(1);
  });

  it('fits a frame that has no element on the board behind the drawing', () => {
    const svg = renderBoardSvg([stroke], FRAME);
    expect(svg).toContain('preserveAspectRatio="xMidYMid meet"');
    expect(svg).toContain(`x="180" y="80" width="70" height="80"`);
  });

  it('shows other pictures as placeholders of their size, and leaves out deleted elements', () => {
    const picture = el({ id: 'p1', type: 'image', x: 10, y: 20, width: 50, height: 40 });
    const gone = el({ id: 'g1', type: 'rectangle', x: 500, y: 500, width: 10, height: 10, isDeleted: true });
    const svg = renderBoardSvg([picture, gone], null);
    expect(svg).toContain('<rect x="10" y="20" width="50" height="40" fill="#f1f3f5"');
    expect(svg).not.toContain('x="500"');
    expect(svg).not.toContain('<image');
  });

  it('never puts anything but a picture data URL into the image, and escapes text', () => {
    const text = el({ id: 't1', type: 'text', x: 0, y: 0, width: 100, height: 20, text: '<script>"&' });
    const svg = renderBoardSvg([frameElement, text], 'javascript:alert(1)');
    expect(svg).not.toContain('javascript:');
    expect(svg).toContain('&lt;script&gt;&quot;&amp;');
    // Without a usable picture the frame element is a placeholder.
    expect(svg).toContain('<rect x="100" y="50" width="640" height="360" fill="#f1f3f5"');
  });
});
