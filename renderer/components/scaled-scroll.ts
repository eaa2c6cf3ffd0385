/**
 * The arithmetic of a scaled scroller: a list of millions of rows whose scroll height would pass Chromium's cap on
 * an element's height (about 16.7M px: TanStack Virtual #616/#998, react-window #706) gets a spacer of at most
 * MAX_SCROLL_PX, and the scroll position is read as a fraction of the way through the list. The position `pos` is a
 * row index with a fraction (row 12.5 = halfway through row 12 at the top), so the top, the bottom and everything
 * between map onto rows: the last row is where the scrollbar ends, whatever the list's length. Below the cap the
 * mapping is exactly one pixel per pixel, as in a plain list.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface Geometry {
  total: number;
  rowHeight: number;
  /** Height of the visible area in px. */
  viewport: number;
}

export function spacerHeight(g: Geometry): number {
  return Math.max(g.viewport, Math.min(g.total * g.rowHeight, MAX_SCROLL_PX));
}

export function isScaled(g: Geometry): boolean {
  return g.total * g.rowHeight > MAX_SCROLL_PX;
}

export function maxScrollTop(g: Geometry): number {
  return Math.max(0, spacerHeight(g) - g.viewport);
}

/** The largest position: the last row's bottom at the bottom of the viewport. */
export function maxPos(g: Geometry): number {
  return Math.max(0, g.total - g.viewport / g.rowHeight);
}

export function clampPos(g: Geometry, pos: number): number {
  return Math.min(maxPos(g), Math.max(0, pos));
}

export function posFromScrollTop(g: Geometry, scrollTop: number): number {
  const max = maxScrollTop(g);
  return max > 0 ? clampPos(g, (scrollTop / max) * maxPos(g)) : 0;
}

export function scrollTopFromPos(g: Geometry, pos: number): number {
  const max = maxPos(g);
  return max > 0 ? (clampPos(g, pos) / max) * maxScrollTop(g) : 0;
}

/** The rows to draw for a position: the first (partly hidden by offsetPx) and how many fill the viewport. */
export function windowOf(g: Geometry, pos: number): { first: number; offsetPx: number; count: number } {
  const first = Math.floor(pos);
  const count = Math.min(Math.max(0, g.total - first), Math.ceil(g.viewport / g.rowHeight) + 1);
  return { first, offsetPx: (pos - first) * g.rowHeight, count };
}

/** The nearest position at which row `index` is wholly visible (unchanged when it already is). */
export function posShowing(g: Geometry, pos: number, index: number): number {
  const rows = g.viewport / g.rowHeight;
  if (index < pos) return clampPos(g, index);
  if (index + 1 > pos + rows) return clampPos(g, index + 1 - rows);
  return pos;
}
