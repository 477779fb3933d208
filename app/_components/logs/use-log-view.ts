"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { displayText } from "./ansi";
import { FilteredIndex } from "./filtered-index";
import { compileSearch, type SearchQuery } from "./log-search";
import type { LogStore } from "./log-store";

/**
 * What one viewer shows of its store: level/stream filters, the search (matches found in slices over
 * everything loaded), "only matches", follow/pause with a count of lines that arrived while paused,
 * and the selected line. Redraws are coalesced to one per animation frame however fast lines arrive.
 */

export const ALL_LEVELS = 0b111111; // bit n = level code n (0 = none detected)
export const ALL_STREAMS = 0b11; // 1 = stdout, 2 = stderr

export function useFrameTick(): [number, () => void] {
  const [tick, setTick] = useState(0);
  const pending = useRef(false);
  const bump = useCallback(() => {
    if (pending.current) return;
    pending.current = true;
    requestAnimationFrame(() => {
      pending.current = false;
      setTick((t) => t + 1);
    });
  }, []);
  return [tick, bump];
}

export function useLogView(store: LogStore) {
  const [tick, bump] = useFrameTick();
  const [query, setQuery] = useState<SearchQuery>({ text: "", regex: false, caseSensitive: false });
  const [onlyMatches, setOnlyMatches] = useState(false);
  const [levelMask, setLevelMask] = useState(ALL_LEVELS);
  const [streamMask, setStreamMask] = useState(ALL_STREAMS);
  const [follow, setFollowState] = useState(true);
  const [pausedAt, setPausedAt] = useState(0);
  const [selected, setSelected] = useState<number | null>(null); // absolute position
  const [currentMatch, setCurrentMatch] = useState<number | null>(null); // absolute position

  useEffect(() => store.subscribe(bump), [store, bump]);

  const compiled = useMemo(() => compileSearch(query), [query]);
  const matcher = compiled.matcher;

  const passesFilters = useCallback(
    (i: number) => {
      if (store.isMarkerAt(i)) return true; // drops and gaps stay visible whatever the filter
      if (streamMask !== ALL_STREAMS && !((store.streamAt(i) === "stderr" ? 2 : 1) & streamMask)) return false;
      return levelMask === ALL_LEVELS || ((1 << store.levelAt(i)) & levelMask) !== 0;
    },
    [store, streamMask, levelMask],
  );

  const matchIndex = useMemo(
    () => (matcher ? new FilteredIndex(store, (i) => !store.isMarkerAt(i) && passesFilters(i) && matcher.test(displayText(store.textAt(i))), bump) : null),
    [store, matcher, passesFilters, bump],
  );
  const viewIndex = useMemo(() => {
    const filtering = levelMask !== ALL_LEVELS || streamMask !== ALL_STREAMS;
    if (!filtering && !(onlyMatches && matcher)) return null;
    return new FilteredIndex(store, (i) => passesFilters(i) && (!onlyMatches || !matcher || store.isMarkerAt(i) || matcher.test(displayText(store.textAt(i)))), bump);
  }, [store, levelMask, streamMask, onlyMatches, matcher, passesFilters, bump]);
  useEffect(() => () => matchIndex?.dispose(), [matchIndex]);
  useEffect(() => () => viewIndex?.dispose(), [viewIndex]);

  const count = viewIndex ? viewIndex.length : store.size;
  const indexAt = useCallback((k: number) => (viewIndex ? viewIndex.indexAt(k) : k), [viewIndex]);
  const keyOf = useCallback((k: number) => store.evicted + indexAt(k), [store, indexAt]);
  const positionOfKey = useCallback(
    (abs: number) => {
      const i = Math.max(0, abs - store.evicted);
      return viewIndex ? Math.min(viewIndex.lowerBound(i), Math.max(0, viewIndex.length - 1)) : Math.min(i, Math.max(0, store.size - 1));
    },
    [store, viewIndex],
  );

  const setFollow = useCallback(
    (on: boolean) => {
      setFollowState(on);
      if (!on) setPausedAt(store.evicted + store.size);
    },
    [store],
  );

  /** Moves to the next (+1) or previous (-1) match after/before `fromAbs` (the current one by default); wraps. */
  const jump = useCallback(
    (dir: 1 | -1, fromAbs?: number | null): number | null => {
      if (!matchIndex || matchIndex.length === 0) return null;
      const ref = fromAbs ?? currentMatch ?? selected;
      const n = matchIndex.length;
      let pos: number;
      if (ref === null) pos = dir === 1 ? 0 : n - 1;
      else {
        const i = ref - store.evicted;
        pos = dir === 1 ? matchIndex.lowerBound(i + 1) : matchIndex.lowerBound(i) - 1;
        if (pos >= n) pos = 0;
        if (pos < 0) pos = n - 1;
      }
      const abs = store.evicted + matchIndex.indexAt(pos);
      setCurrentMatch(abs);
      setSelected(abs);
      setFollow(false);
      return abs;
    },
    [matchIndex, currentMatch, selected, store, setFollow],
  );

  const changeQuery = useCallback((q: SearchQuery) => {
    setQuery(q);
    setCurrentMatch(null);
  }, []);

  const matchPosition = currentMatch !== null && matchIndex && currentMatch >= store.evicted ? matchIndex.lowerBound(currentMatch - store.evicted) : null;
  const total = store.evicted + store.size;

  return {
    tick,
    store,
    query,
    setQuery: changeQuery,
    searchError: compiled.error,
    matcher,
    matchIndex,
    matchCount: matchIndex?.length ?? 0,
    matchPosition,
    searching: (matchIndex?.pending ?? false) || (viewIndex?.pending ?? false),
    searchProgress: Math.min(matchIndex?.progress ?? 1, viewIndex?.progress ?? 1),
    onlyMatches,
    setOnlyMatches,
    levelMask,
    setLevelMask,
    streamMask,
    setStreamMask,
    follow,
    setFollow,
    newWhilePaused: follow ? 0 : Math.max(0, total - pausedAt),
    selected,
    setSelected,
    currentMatch,
    jump,
    count,
    indexAt,
    keyOf,
    positionOfKey,
  };
}

export type LogViewModel = ReturnType<typeof useLogView>;
