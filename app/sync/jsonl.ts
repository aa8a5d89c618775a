/** The complete lines of one chunk of a JSON Lines stream: consecutive lines numbered from `first` (1-based; blank lines are neither kept nor counted). */
export interface LineChunk {
  first: number;
  lines: string[];
}

/**
 * Reads a JSON Lines stream one chunk at a time, however large: only the current chunk and an
 * unfinished line are ever held. Yields each chunk's complete lines as text, unparsed, so that a
 * caller can hold a batch of them cheaply and parse each only when it writes it.
 */
export async function* readLineChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<LineChunk> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let pending = "";
  let lineNumber = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const chunk: LineChunk = { first: lineNumber + 1, lines: [] };
      let start = 0;
      for (let newline = pending.indexOf("\n"); newline !== -1; newline = pending.indexOf("\n", start)) {
        const line = pending.slice(start, newline);
        start = newline + 1;
        if (line.trim() !== "") chunk.lines.push(line);
      }
      pending = pending.slice(start);
      if (done && pending.trim() !== "") chunk.lines.push(pending);
      lineNumber += chunk.lines.length;
      if (chunk.lines.length > 0) yield chunk;
      if (done) break;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads a JSON Lines stream one parsed line at a time: [lineNumber (1-based), value]. */
export async function* readJsonLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<[number, unknown]> {
  for await (const chunk of readLineChunks(stream)) {
    for (let index = 0; index < chunk.lines.length; index += 1) yield [chunk.first + index, parseJsonLine(chunk.lines[index]!, chunk.first + index)];
  }
}

export class JsonLinesError extends Error {
  override name = "JsonLinesError";
}

export function parseJsonLine(line: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new JsonLinesError(`Line ${lineNumber} is not JSON: ${(error as Error).message}`);
  }
}
