import { describe, expect, it } from "vitest";
import { decodePiece, JsonLinesError, linesOf, readJsonLines, readLinePieces, splitPiece, type LinePiece } from "~/sync/jsonl";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>) {
  const lines: [number, unknown][] = [];
  for await (const line of readJsonLines(stream)) lines.push(line);
  return lines;
}

describe("readJsonLines", () => {
  it("reads lines split anywhere across chunks, including inside a multi-byte character", async () => {
    const text = '{"name":"Łódź"}\n{"id":2}\n';
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // One byte at a time: every boundary, including the middle of "Ł" and "ź".
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    expect(await collect(stream)).toEqual([
      [1, { name: "Łódź" }],
      [2, { id: 2 }],
    ]);
  });

  it("reads a last line without a newline and skips blank lines, numbering lines as the file does", async () => {
    expect(await collect(streamOf('{"a":1}\n\n{"b', '":2}'))).toEqual([
      [1, { a: 1 }],
      [3, { b: 2 }],
    ]);
  });

  it("names the line that is not JSON", async () => {
    await expect(collect(streamOf('{"a":1}\n{oops}\n'))).rejects.toThrow(JsonLinesError);
    await expect(collect(streamOf('{"a":1}\n{oops}\n'))).rejects.toThrow(/Line 2/);
  });
});

describe("readLinePieces", () => {
  it("cuts the stream at line ends, keeping the bytes, and a piece can be cut again after any of its lines", async () => {
    const pieces: LinePiece[] = [];
    for await (const piece of readLinePieces(streamOf('{"a":1}\n{"b', '":"Łódź"}\n\n{"c":3}\n{"d"', ":4}"))) pieces.push(piece);
    expect(pieces.map(({ first, lines }) => ({ first, lines }))).toEqual([
      { first: 1, lines: 1 },
      { first: 2, lines: 3 },
      { first: 5, lines: 1 },
    ]);
    expect(pieces.flatMap((piece) => [...linesOf(decodePiece(piece))])).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":"Łódź"}'],
      [4, '{"c":3}'],
      [5, '{"d":4}'],
    ]);

    const [head, rest] = splitPiece(pieces[1]!, 2);
    expect([...linesOf(decodePiece(head))]).toEqual([[2, '{"b":"Łódź"}']]);
    expect(rest).toMatchObject({ first: 4, lines: 1 });
    expect([...linesOf(decodePiece(rest))]).toEqual([[4, '{"c":3}']]);
  });
});
