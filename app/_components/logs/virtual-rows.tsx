"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

/**
 * A hand-written virtual list of fixed-height rows: only the rows in view exist in the DOM. Browsers
 * cap an element's height (~16–33 M px), so past MAX_SCROLL_PX the scrollbar maps proportionally onto
 * the rows. While `follow` is on, the list sticks to the bottom; a user scrolling up turns it off
 * (onUserScrollAway). When not following, the row at the top stays put as lines are added or the
 * oldest discarded (`keyOf`/`positionOfKey` name rows by a stable key).
 */

const MAX_SCROLL_PX = 12_000_000;

export type VirtualRowsHandle = { scrollToRow: (k: number) => void };

export function VirtualRows({ count, rowHeight, version, follow, onUserScrollAway, keyOf, positionOfKey, renderRow, label, onKeyDown, handleRef, className }: {
  count: number;
  rowHeight: number;
  /** Changes whenever the rows' content may have changed. */
  version: number;
  follow: boolean;
  onUserScrollAway: () => void;
  keyOf: (k: number) => number;
  positionOfKey: (key: number) => number;
  renderRow: (k: number) => ReactNode;
  label: string;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
  handleRef?: (handle: VirtualRowsHandle) => void;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(400);
  const [scrollTop, setScrollTop] = useState(0);
  const topKey = useRef<number | null>(null);
  const lastUserInput = useRef(0);

  // The measured height can lag a layout change by a frame; the element's own height is the truth.
  const height = ref.current?.clientHeight || viewport;
  const totalPx = count * rowHeight;
  const spacerPx = Math.min(totalPx, MAX_SCROLL_PX);
  const maxScroll = Math.max(0, spacerPx - height);
  const maxVirtual = Math.max(0, totalPx - height);
  const toVirtual = useCallback((st: number) => (maxScroll > 0 ? (Math.min(st, maxScroll) / maxScroll) * maxVirtual : 0), [maxScroll, maxVirtual]);
  const toScroll = useCallback((v: number) => (maxVirtual > 0 ? (Math.max(0, Math.min(v, maxVirtual)) / maxVirtual) * maxScroll : 0), [maxScroll, maxVirtual]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    setViewport(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const setScroll = useCallback((st: number) => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = st;
    setScrollTop(el.scrollTop);
  }, []);

  // Follow: stick to the bottom. Otherwise keep the same line at the top.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (follow) {
      if (el.scrollTop !== maxScroll) setScroll(maxScroll);
      return;
    }
    if (topKey.current === null || count === 0) return;
    const k = positionOfKey(topKey.current);
    const want = toScroll(k * rowHeight);
    if (Math.abs(want - el.scrollTop) > 1 && Math.floor(toVirtual(el.scrollTop) / rowHeight) !== k) setScroll(want);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, count, follow, maxScroll, viewport]);

  const virtualTop = toVirtual(scrollTop);
  const first = Math.max(0, Math.min(count - 1, Math.floor(virtualTop / rowHeight)));
  const offset = virtualTop - first * rowHeight;
  const visible = Math.ceil(height / rowHeight) + 2;
  const last = Math.min(count, first + visible);
  useEffect(() => {
    topKey.current = count > 0 ? keyOf(first) : null;
  });

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    const atBottom = el.scrollTop >= maxScroll - 2;
    if (follow && !atBottom && performance.now() - lastUserInput.current < 1000) onUserScrollAway();
  };
  const markUser = () => {
    lastUserInput.current = performance.now();
  };

  useEffect(() => {
    handleRef?.({
      scrollToRow: (k: number) => {
        const el = ref.current;
        if (!el) return;
        const rowTop = k * rowHeight;
        const v = toVirtual(el.scrollTop);
        if (rowTop < v || rowTop + rowHeight > v + el.clientHeight) setScroll(toScroll(rowTop - el.clientHeight / 2 + rowHeight / 2));
      },
    });
  });

  const rows: ReactNode[] = [];
  for (let k = first; k < last; k++) rows.push(renderRow(k));
  return (
    <div
      ref={ref}
      role="log"
      aria-label={label}
      aria-live="off"
      tabIndex={0}
      onScroll={onScroll}
      onWheel={markUser}
      onPointerDown={markUser}
      onKeyDown={(e) => {
        markUser();
        onKeyDown?.(e);
      }}
      className={className}
      style={{ overflowY: "auto", overflowX: "hidden", position: "relative", overscrollBehavior: "contain" }}
    >
      <div style={{ position: "sticky", top: 0, height, overflow: "hidden" }}>
        <div style={{ transform: `translateY(${-offset}px)` }}>{rows}</div>
      </div>
      <div aria-hidden="true" style={{ height: Math.max(0, spacerPx - height) }} />
    </div>
  );
}
