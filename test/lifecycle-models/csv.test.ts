import { describe, expect, it } from "vitest";
import { CSV_BOM, csvCell, csvLine, csvStream, decimalFromMinor, type CsvCell } from "~/lifecycle-models/csv";

const bytesOf = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());

describe("CSV cells and lines", () => {
  it("leaves plain fields alone and writes nothing for missing values", () => {
    expect(csvLine(["123", "Zoé Łukasiewicz", 4, null, undefined, ""])).toBe("123,Zoé Łukasiewicz,4,,,\r\n");
  });

  it("quotes fields with commas, quotes, CR or LF, doubling quotes (RFC 4180)", () => {
    expect(csvCell("Smith, Jane")).toBe('"Smith, Jane"');
    expect(csvCell('The "best" customer')).toBe('"The ""best"" customer"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvLine(['a"b', "c,d"])).toBe('"a""b","c,d"\r\n');
  });

  it.each([
    ["=1+2", "'=1+2"],
    ["+33 6 12 34 56 78", "'+33 6 12 34 56 78"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1+2", "'\t=1+2"],
  ])("neutralises the formula %j with a leading quote", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("neutralises before quoting, so a quoted formula stays inert", () => {
    expect(csvCell('=HYPERLINK("https://evil.example","Click")')).toBe('"\'=HYPERLINK(""https://evil.example"",""Click"")"');
    expect(csvCell("\r=1+2")).toBe('"\'\r=1+2"');
  });

  it("keeps negative numbers numeric", () => {
    expect(csvCell("-12.50")).toBe("-12.50");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("writes minor units as exact plain decimals", () => {
    expect(decimalFromMinor(123450, 2)).toBe("1234.50");
    expect(decimalFromMinor(5, 2)).toBe("0.05");
    expect(decimalFromMinor(-1999, 2)).toBe("-19.99");
    expect(decimalFromMinor(0, 2)).toBe("0.00");
    expect(decimalFromMinor(1500, 0)).toBe("1500");
    expect(decimalFromMinor(1234567, 3)).toBe("1234.567");
  });
});

describe("CSV stream", () => {
  async function* numbered(count: number, seen: { pulled: number; finished: boolean }): AsyncGenerator<CsvCell[]> {
    try {
      for (let index = 0; index < count; index += 1) {
        seen.pulled += 1;
        yield [index, `name ${index}`];
      }
    } finally {
      seen.finished = true;
    }
  }

  it("starts with a UTF-8 byte order mark, then the header and CRLF-terminated records", async () => {
    const seen = { pulled: 0, finished: false };
    const bytes = await bytesOf(csvStream(["ID", "Prénom"], numbered(2, seen)));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)).toBe(`${CSV_BOM}ID,Prénom\r\n0,name 0\r\n1,name 1\r\n`);
    expect(seen.finished).toBe(true);
  });

  it("reads its records only as the consumer asks for more", async () => {
    const seen = { pulled: 0, finished: false };
    const reader = csvStream(["ID", "Name"], numbered(10_000, seen), { chunkChars: 100 }).getReader();
    await reader.read();
    // The first chunk and the stream's one-chunk read-ahead: a few records, not ten thousand.
    expect(seen.pulled).toBeLessThan(30);
    await reader.cancel();
    expect(seen.finished).toBe(true);
    expect(seen.pulled).toBeLessThan(30);
  });

  it("stops and releases its records when the request is aborted", async () => {
    const seen = { pulled: 0, finished: false };
    const aborted = new AbortController();
    const reader = csvStream(["ID", "Name"], numbered(10_000, seen), { signal: aborted.signal, chunkChars: 100 }).getReader();
    await reader.read();
    aborted.abort(new Error("client went away"));
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return;
      })(),
    ).rejects.toThrow("client went away");
    expect(seen.finished).toBe(true);
    expect(seen.pulled).toBeLessThan(30);
  });
});
