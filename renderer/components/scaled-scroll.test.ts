import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_PX, maxScrollTop, posFromScrollTop, posShowing, scrollTopFromPos, spacerHeight, windowOf } from './scaled-scroll';

const big = { total: 2_160_000, rowHeight: 52, viewport: 624 };

describe('the scaled scroller', () => {
  it('keeps the spacer under the browser height cap for 2.16M rows, and the bottom of the scrollbar shows the last row', () => {
    expect(spacerHeight(big)).toBe(MAX_SCROLL_PX);
    const bottom = windowOf(big, posFromScrollTop(big, maxScrollTop(big)));
    expect(bottom.first + bottom.count).toBe(big.total);
    // the last row's bottom is the viewport's bottom
    expect(bottom.first * big.rowHeight + bottom.offsetPx - (big.total * big.rowHeight - big.viewport)).toBeCloseTo(0, 3);
    expect(windowOf(big, posFromScrollTop(big, 0)).first).toBe(0);
    expect(windowOf(big, posFromScrollTop(big, maxScrollTop(big) / 2)).first).toBeCloseTo(1_079_994, -1);
  });

  it('maps positions to scroll offsets and back, and moves just enough to show a row', () => {
    for (const pos of [0, 1, 12.5, 1_000_000, 2_159_988]) expect(posFromScrollTop(big, scrollTopFromPos(big, pos))).toBeCloseTo(pos, 6);
    expect(posShowing(big, 100, 105)).toBe(100);
    expect(posShowing(big, 100, 99)).toBe(99);
    expect(posShowing(big, 100, 120)).toBe(109);
    expect(posShowing(big, 0, big.total - 1)).toBe(big.total - 12);
  });

  it('is a plain list below the cap: one pixel of scroll is one pixel of rows', () => {
    const small = { total: 1000, rowHeight: 50, viewport: 500 };
    expect(spacerHeight(small)).toBe(50_000);
    expect(posFromScrollTop(small, 125)).toBe(2.5);
    expect(windowOf(small, 2.5)).toEqual({ first: 2, offsetPx: 25, count: 11 });
    expect(windowOf({ total: 3, rowHeight: 50, viewport: 500 }, 0).count).toBe(3);
  });
});
