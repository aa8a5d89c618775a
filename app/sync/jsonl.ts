const NEWLINE = 0x0a;

/**
 * A piece of a JSON Lines stream cut at a line end: whole lines only, still as the bytes the network
 * delivered (views of them, not copies). Lines are numbered as in the file (1-based, blank ones
 * counted); this piece's start at `first`.
 */
export interface LinePiece {
  first: number;
  lines: number;
  parts: Uint8Array[];
}

/**
 * Reads a JSON Lines stream however large, one network chunk at a time, cut at line ends: only
 * the current chunk and an unfinished line are ever held. The lines stay bytes, so that a caller
 * can hold a batch of them off the JavaScript heap and decode each only when it writes it.
 */
export async function* readLinePieces(stream: ReadableStream<Uint8Array>): AsyncGenerator<LinePiece> {
  const reader = stream.getReader();
  // An unfinished line: the chunks (or their ends) it began in.
  let carry: Uint8Array[] = [];
  let next = 1;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        if (carry.length > 0) yield { first: next, lines: 1, parts: carry };
        return;
      }
      const lastNewline = value.lastIndexOf(NEWLINE);
      if (lastNewline === -1) {
        carry.push(value);
        continue;
      }
      const complete = value.subarray(0, lastNewline + 1);
      const lines = countNewlines(complete);
      yield { first: next, lines, parts: [...carry, complete] };
      carry = lastNewline + 1 < value.length ? [value.subarray(lastNewline + 1)] : [];
      next += lines;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Cuts a piece after its first `lines` lines (fewer than it has). */
export function splitPiece(piece: LinePiece, lines: number): [LinePiece, LinePiece] {
  let remaining = lines;
  for (let index = 0; index < piece.parts.length; index += 1) {
    const part = piece.parts[index]!;
    for (let newline = part.indexOf(NEWLINE); newline !== -1; newline = part.indexOf(NEWLINE, newline + 1)) {
      remaining -= 1;
      if (remaining > 0) continue;
      const rest = [part.subarray(newline + 1), ...piece.parts.slice(index + 1)].filter((bytes) => bytes.length > 0);
      return [
        { first: piece.first, lines, parts: [...piece.parts.slice(0, index), part.subarray(0, newline + 1)] },
        { first: piece.first + lines, lines: piece.lines - lines, parts: rest },
      ];
    }
  }
  throw new RangeError(`A piece of ${piece.lines} lines cannot be cut after ${lines}`);
}

/** A piece's lines as text: the first one's number and the text. */
export interface PieceText {
  first: number;
  text: string;
}

export function decodePiece(piece: LinePiece): PieceText {
  const decoder = new TextDecoder();
  // A multi-byte character may straddle two network chunks: decode them as one stream.
  const text = piece.parts.map((part, index) => decoder.decode(part, { stream: index < piece.parts.length - 1 })).join("");
  return { first: piece.first, text };
}

/** The lines of a decoded piece with their numbers, blank ones left out. */
export function* linesOf({ first, text }: PieceText): Generator<[number, string]> {
  let lineNumber = first;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    if (line.trim() !== "") yield [lineNumber, line];
    lineNumber += 1;
    start = end + 1;
  }
}

/** Reads a JSON Lines stream one parsed line at a time: [lineNumber (1-based), value]. */
export async function* readJsonLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<[number, unknown]> {
  for await (const piece of readLinePieces(stream)) {
    for (const [lineNumber, line] of linesOf(decodePiece(piece))) yield [lineNumber, parseJsonLine(line, lineNumber)];
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

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let index = bytes.indexOf(NEWLINE); index !== -1; index = bytes.indexOf(NEWLINE, index + 1)) count += 1;
  return count;
}
