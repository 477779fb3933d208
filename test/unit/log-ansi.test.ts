import { describe, expect, it } from "vitest";
import { displayText, parseAnsi, stripSgr, xterm256 } from "../../app/_components/logs/ansi";

const ESC = "\u001b";

describe("parseAnsi", () => {
  it("turns SGR colours into styled segments", () => {
    expect(parseAnsi(`plain ${ESC}[31mred${ESC}[0m back`)).toEqual([
      { text: "plain ", style: {} },
      { text: "red", style: { fg: 1 } },
      { text: " back", style: {} },
    ]);
  });

  it.each([
    [`${ESC}[1;92mx`, { bold: true, fg: 10 }],
    [`${ESC}[38;5;196mx`, { fg: 196 }],
    [`${ESC}[38;2;300;0;7mx`, { fg: "rgb(255,0,7)" }],
    [`${ESC}[48;5;4;3mx`, { bg: 4, italic: true }],
    [`${ESC}[4m${ESC}[24mx`, {}],
    [`${ESC}[mx`, {}],
  ])("%j", (raw, style) => expect(parseAnsi(raw)).toEqual([{ text: "x", style }]));

  it.each([
    ["clear screen", `a${ESC}[2Jb`, "a^[[2Jb"],
    ["window title (OSC)", `${ESC}]0;pwned\u0007x`, "^[]0;pwned^Gx"],
    ["cursor move", `${ESC}[10;10Hx`, "^[[10;10Hx"],
    ["carriage return and NUL", "a\rb\u0000", "a^Mb^@"],
    ["C1 CSI", "a\u009b2Jb", "a\\u009b2Jb"],
    ["bidi override", "abc\u202edef", "abc\\u202edef"],
    ["DEL", "a\u007f", "a^?"],
  ])("keeps %s visible as text", (_name, raw, shown) => {
    expect(displayText(raw)).toBe(shown);
    expect(parseAnsi(raw).map((s) => s.text).join("")).toBe(shown);
  });

  it("keeps tabs and leaves plain text alone", () => {
    expect(displayText("a\tb")).toBe("a\tb");
    expect(parseAnsi("")).toEqual([]);
  });

  it("flags control characters so they are drawn apart from printed text", () => {
    expect(parseAnsi(`${ESC}[31mA${ESC}[2JB`)).toEqual([
      { text: "A", style: { fg: 1 } },
      { text: "^[", style: { fg: 1, ctrl: true } },
      { text: "[2JB", style: { fg: 1 } },
    ]);
  });

  it("segments always join to displayText", () => {
    const raw = `${ESC}[33mwarn${ESC}[39m ${ESC}[2J\u0007 ${ESC}[1mbold`;
    expect(parseAnsi(raw).map((s) => s.text).join("")).toBe(displayText(raw));
  });

  it("stripSgr removes only colour codes", () => {
    expect(stripSgr(`${ESC}[31mred${ESC}[0m${ESC}[2J`)).toBe(`red${ESC}[2J`);
  });

  it("xterm256 maps the cube and the grey ramp", () => {
    expect(xterm256(16)).toBe("rgb(0,0,0)");
    expect(xterm256(196)).toBe("rgb(255,0,0)");
    expect(xterm256(255)).toBe("rgb(238,238,238)");
  });
});
