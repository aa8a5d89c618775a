/**
 * Reads a JSON Lines stream one line at a time, however large: only the current chunk and an
 * unfinished line are ever held. Yields [lineNumber (1-based), parsed value].
 */
export async function* readJsonLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<[number, unknown]> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let pending = "";
  let lineNumber = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline = pending.indexOf("\n");
      let start = 0;
      while (newline !== -1) {
        const line = pending.slice(start, newline);
        start = newline + 1;
        newline = pending.indexOf("\n", start);
        if (line.trim() === "") continue;
        lineNumber += 1;
        yield [lineNumber, parseLine(line, lineNumber)];
      }
      pending = pending.slice(start);
      if (done) break;
    }
    if (pending.trim() !== "") {
      lineNumber += 1;
      yield [lineNumber, parseLine(pending, lineNumber)];
    }
  } finally {
    reader.releaseLock();
  }
}

export class JsonLinesError extends Error {
  override name = "JsonLinesError";
}

function parseLine(line: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new JsonLinesError(`Line ${lineNumber} is not JSON: ${(error as Error).message}`);
  }
}
