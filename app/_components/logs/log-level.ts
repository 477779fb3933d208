/**
 * Log level of a line, guessed from the formats seen in containers: JSON ("level":"warn",
 * "severity":"ERROR", pino's "level":50), logfmt (level=info), bracketed ([ERROR], <warn>), glog/klog
 * (E1129 10:30:01…) and a leading or standalone upper-case word (2026-11-29 10:30:01 WARN …).
 * Only the head of the line is looked at: the level is always near the start.
 */

export const LEVELS = ["trace", "debug", "info", "warn", "error"] as const;
export type Level = (typeof LEVELS)[number];
/** Stored per line as a small number: 0 = none detected, 1..5 = LEVELS[n-1]. */
export type LevelCode = 0 | 1 | 2 | 3 | 4 | 5;

const HEAD = 240;

const WORDS: Record<string, LevelCode> = {
  trace: 1, trc: 1, verbose: 1,
  debug: 2, dbg: 2, dbug: 2,
  info: 3, inf: 3, information: 3, notice: 3,
  warn: 4, warning: 4, wrn: 4,
  error: 5, err: 5, eror: 5, fatal: 5, crit: 5, critical: 5, panic: 5, emerg: 5, alert: 5, severe: 5,
};

const JSON_LEVEL = /"(?:level|lvl|severity|loglevel|log\.level|levelname)"\s*:\s*(?:"([A-Za-z]+)"|(\d{1,2}))/i;
const LOGFMT_LEVEL = /(?:^|\s)(?:level|lvl|severity)=["']?([A-Za-z]+)/i;
const BRACKETED = /[[<(]([A-Za-z]{3,11})[\]>)]/;
const KLOG = /^([IWEF])\d{4} \d\d:\d\d:\d\d/;
const UPPER_WORD = /(?:^|[\s|:[-])(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|CRIT|PANIC|SEVERE)(?=[\s|:\]-]|$)/;
const KLOG_CODES: Record<string, LevelCode> = { I: 3, W: 4, E: 5, F: 5 };

function fromWord(word: string | undefined): LevelCode {
  return word ? (WORDS[word.toLowerCase()] ?? 0) : 0;
}

/** pino/bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function fromNumber(n: number): LevelCode {
  if (n >= 50) return 5;
  if (n >= 40) return 4;
  if (n >= 30) return 3;
  if (n >= 20) return 2;
  return n >= 10 ? 1 : 0;
}

export function detectLevel(text: string): LevelCode {
  const head = text.length > HEAD ? text.slice(0, HEAD) : text;
  const json = JSON_LEVEL.exec(head);
  if (json) return json[1] ? fromWord(json[1]) : fromNumber(Number(json[2]));
  const logfmt = LOGFMT_LEVEL.exec(head);
  if (logfmt) {
    const code = fromWord(logfmt[1]);
    if (code) return code;
  }
  const klog = KLOG.exec(head);
  if (klog) return KLOG_CODES[klog[1]!]!;
  const bracketed = BRACKETED.exec(head);
  if (bracketed) {
    const code = fromWord(bracketed[1]);
    if (code) return code;
  }
  return fromWord(UPPER_WORD.exec(head)?.[1]);
}

export function levelName(code: number): Level | null {
  return code >= 1 && code <= 5 ? LEVELS[code - 1]! : null;
}
