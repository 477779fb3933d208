/**
 * Text from containers, agents and users, made safe to show anywhere as plain text: control
 * characters (ANSI/terminal escapes, bidi overrides, NUL…) become visible escapes instead of acting.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function plainText(value: string): string {
  return value.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
