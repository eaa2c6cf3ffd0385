import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { clampPos, type Geometry, isScaled, posFromScrollTop, posShowing, scrollTopFromPos, spacerHeight, windowOf } from './scaled-scroll';

export interface ScaledListProps {
  total: number;
  rowHeight: number;
  /** A row's content; called only for the rows on screen. */
  renderRow: (index: number) => ReactNode;
  /** The rows on screen changed: load them. */
  onRange: (first: number, end: number) => void;
  selected: number | null;
  onSelect: (index: number) => void;
  label: string;
}

/**
 * A list of any length, every row reachable by the scrollbar, the wheel and the keyboard (scaled-scroll.ts says
 * how). Written for this rather than taken from a virtualiser: the maintained ones all keep one pixel of scroll per
 * pixel of rows and so stop short of the end of a list this long. Only the rows on screen are in the DOM; they sit in
 * a sticky window over a spacer that gives the scrollbar its length.
 */
export function ScaledList({ total, rowHeight, renderRow, onRange, selected, onSelect, label }: ScaledListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(480);
  const [pos, setPos] = useState(0);
  // The scrollTop this component set itself: the scroll event it causes must not move `pos` (a scaled scrollTop is
  // rounded to a pixel, which is a fraction of a row).
  const ownScroll = useRef<number | null>(null);
  const g: Geometry = { total, rowHeight, viewport };
  const geometry = useRef(g);
  geometry.current = g;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || 480);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const moveTo = useCallback((next: number) => {
    const el = ref.current;
    const clamped = clampPos(geometry.current, next);
    setPos(clamped);
    if (el) {
      el.scrollTop = scrollTopFromPos(geometry.current, clamped);
      ownScroll.current = el.scrollTop;
    }
  }, []);

  // A shorter list or a taller viewport keeps the position inside the list.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the geometry (read through its ref) changes
  useEffect(() => {
    setPos((p) => clampPos(geometry.current, p));
  }, [total, viewport]);

  // The wheel moves by rows on a scaled list (by pixels it would skip rows); a plain list scrolls natively.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const now = geometry.current;
      if (!isScaled(now)) return;
      e.preventDefault();
      const rows = e.deltaMode === 1 ? e.deltaY : e.deltaMode === 2 ? e.deltaY * (now.viewport / now.rowHeight) : e.deltaY / now.rowHeight;
      setPos((p) => {
        const next = clampPos(now, p + rows);
        el.scrollTop = scrollTopFromPos(now, next);
        ownScroll.current = el.scrollTop;
        return next;
      });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  // A newly selected row is brought on screen (keyboard, Home/End); scrolling away from it afterwards is free.
  const posNow = useRef(pos);
  posNow.current = pos;
  useEffect(() => {
    if (selected === null) return;
    const next = posShowing(geometry.current, posNow.current, selected);
    if (next !== posNow.current) moveTo(next);
  }, [selected, moveTo]);

  const { first, offsetPx, count } = windowOf(g, pos);
  useEffect(() => {
    if (total > 0) onRange(first, first + count);
  }, [first, count, total, onRange]);

  const rows: ReactNode[] = [];
  for (let i = first; i < first + count; i++) {
    rows.push(
      // biome-ignore lint/a11y/useKeyWithClickEvents: the list's keys (j/k, arrows, Home/End, PageUp/Down) are the page's
      <div
        key={i}
        role="option"
        tabIndex={-1}
        aria-selected={i === selected}
        aria-posinset={i + 1}
        aria-setsize={total}
        className={i === selected ? 'scaled-list__row scaled-list__row--selected' : 'scaled-list__row'}
        style={{ height: rowHeight }}
        onClick={() => onSelect(i)}
      >
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className="scaled-list"
      role="listbox"
      aria-label={label}
      tabIndex={0}
      data-scaled={isScaled(g) ? 'true' : 'false'}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        if (ownScroll.current !== null && Math.abs(top - ownScroll.current) < 1) return;
        ownScroll.current = null;
        setPos(posFromScrollTop(geometry.current, top));
      }}
    >
      <div className="scaled-list__window" style={{ height: viewport }}>
        <div style={{ transform: `translateY(${-offsetPx}px)` }}>{rows}</div>
      </div>
      <div style={{ height: Math.max(0, spacerHeight(g) - viewport) }} aria-hidden="true" />
    </div>
  );
}
