import { describe, expect, it } from "vitest";
import { JsonLinesError, readJsonLines } from "~/sync/jsonl";

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

  it("reads a last line without a newline and skips blank lines", async () => {
    expect(await collect(streamOf('{"a":1}\n\n{"b', '":2}'))).toEqual([
      [1, { a: 1 }],
      [2, { b: 2 }],
    ]);
  });

  it("names the line that is not JSON", async () => {
    await expect(collect(streamOf('{"a":1}\n{oops}\n'))).rejects.toThrow(JsonLinesError);
    await expect(collect(streamOf('{"a":1}\n{oops}\n'))).rejects.toThrow(/Line 2/);
  });
});
