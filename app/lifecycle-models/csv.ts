/** Excel reads a CSV without a byte order mark in the system's legacy code page, garbling accents. */
export const CSV_BOM = "\uFEFF";

export type CsvCell = string | number | null | undefined;

// Spreadsheets run a cell starting with one of these as a formula (tab and CR can precede one).
const FORMULA_START = /^[=+\-@\t\r]/;
// A plain decimal number cannot be a formula: negative amounts stay numbers for the spreadsheet.
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** One field: formula injection neutralised with a leading `'`, then quoted per RFC 4180 when needed. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** Minor units as a plain decimal ("-1234.50"), exact (no floating point), for spreadsheets to parse in any locale. */
export function decimalFromMinor(minor: number, fractionDigits: number): string {
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(Math.round(minor))).padStart(fractionDigits + 1, "0");
  return fractionDigits === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -fractionDigits)}.${digits.slice(-fractionDigits)}`;
}

/**
 * A UTF-8 CSV body (BOM, header, records) read from `records` only as fast as the consumer reads:
 * each pull takes records until about `chunkChars` characters are ready, so a paged source fetches
 * its next page only when the consumer wants more. Stops, and releases the source, when `signal`
 * aborts or the consumer cancels.
 */
export function csvStream(
  header: readonly CsvCell[],
  records: AsyncIterable<readonly CsvCell[]>,
  { signal, chunkChars = 64 * 1024 }: { signal?: AbortSignal; chunkChars?: number } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = records[Symbol.asyncIterator]();
  let pending = CSV_BOM + csvLine(header);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (pending.length < chunkChars) {
        if (signal?.aborted) {
          await iterator.return?.();
          controller.error(signal.reason);
          return;
        }
        const next = await iterator.next();
        if (next.done) {
          if (pending) controller.enqueue(encoder.encode(pending));
          controller.close();
          return;
        }
        pending += csvLine(next.value);
      }
      controller.enqueue(encoder.encode(pending));
      pending = "";
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
