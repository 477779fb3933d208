/** Calls onLine for every complete newline-terminated line of a byte stream; chunks may split lines anywhere. */
export function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = "";
  stream.on("data", (chunk: Buffer | string) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) onLine(line);
    }
    if (buffered.length > 1024 * 1024) buffered = ""; // no event is this large: drop garbage rather than grow
  });
}
