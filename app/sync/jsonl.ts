const NEWLINE = 0x0a;

/**
 * A piece of a JSON Lines stream cut at a line end: whole lines only, still as bytes. Lines are
 * numbered as in the file (1-based, blank ones counted); this piece's start at `first`.
 */
export interface LinePiece {
  first: number;
  lines: number;
  bytes: Uint8Array;
}

/**
 * Reads a JSON Lines stream however large, one network chunk at a time, cut at line ends: only
 * the current chunk and an unfinished line are ever held. The lines stay bytes, so that a caller
 * can hold a batch of them off the JavaScript heap and decode each only when it writes it.
 */
export async function* readLinePieces(stream: ReadableStream<Uint8Array>): AsyncGenerator<LinePiece> {
  const reader = stream.getReader();
  let carry: Uint8Array = new Uint8Array(0);
  let next = 1;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        if (carry.length > 0) yield { first: next, lines: 1, bytes: carry };
        return;
      }
      const lastNewline = value.lastIndexOf(NEWLINE);
      if (lastNewline === -1) {
        carry = concat(carry, value);
        continue;
      }
      const bytes = concat(carry, value.subarray(0, lastNewline + 1));
      carry = value.slice(lastNewline + 1);
      const lines = countNewlines(bytes);
      yield { first: next, lines, bytes };
      next += lines;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Cuts a piece after its first `lines` lines (fewer than it has). */
export function splitPiece(piece: LinePiece, lines: number): [LinePiece, LinePiece] {
  let end = -1;
  for (let line = 0; line < lines; line += 1) end = piece.bytes.indexOf(NEWLINE, end + 1);
  return [
    { first: piece.first, lines, bytes: piece.bytes.subarray(0, end + 1) },
    { first: piece.first + lines, lines: piece.lines - lines, bytes: piece.bytes.subarray(end + 1) },
  ];
}

/** The lines of a piece as text with their numbers, blank ones left out. */
export function* linesOf(piece: LinePiece): Generator<[number, string]> {
  const text = new TextDecoder().decode(piece.bytes);
  let lineNumber = piece.first;
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
    for (const [lineNumber, line] of linesOf(piece)) yield [lineNumber, parseJsonLine(line, lineNumber)];
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

function concat(head: Uint8Array, tail: Uint8Array): Uint8Array {
  if (head.length === 0) return tail;
  const joined = new Uint8Array(head.length + tail.length);
  joined.set(head);
  joined.set(tail, head.length);
  return joined;
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let index = bytes.indexOf(NEWLINE); index !== -1; index = bytes.indexOf(NEWLINE, index + 1)) count += 1;
  return count;
}
