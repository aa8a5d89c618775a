/**
 * JSON.parse for Shopify's REST payloads, except that an integer literal beyond
 * Number.MAX_SAFE_INTEGER comes back as a string of its exact digits. Shopify's ids are 64-bit:
 * JSON.parse reads the order id 820982911946154508 as 820982911946154500, which names another
 * order. Node 20's JSON.parse gives a reviver no source text, so the text is scanned instead.
 */

// MAX_SAFE_INTEGER has 16 digits: a text without a run of 16 digits has no unsafe integer.
const SIXTEEN_DIGITS = /\d{16}/;
const INTEGER = /^-?(?:0|[1-9]\d*)$/;

export function parseExactJson(text: string): unknown {
  // Parsing the text as it is first keeps JSON.parse's verdict (and SyntaxError) on invalid input:
  // the rewrite below is only ever applied to valid JSON, where it cannot change the structure.
  const value: unknown = JSON.parse(text);
  if (!SIXTEEN_DIGITS.test(text)) return value;
  const rewritten = quoteUnsafeIntegers(text);
  return rewritten === null ? value : JSON.parse(rewritten);
}

/**
 * The text with every unsafe integer literal outside strings wrapped in quotes, or null when there
 * is none. In valid JSON, outside strings, `-` or a digit always starts a number, and a number's
 * characters are digits, `-`, `+`, `.`, `e` and `E`.
 */
function quoteUnsafeIntegers(text: string): string | null {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = endOfString(text, index);
    } else if (code === MINUS || isDigit(code)) {
      const start = index;
      index += 1;
      while (index < text.length && isNumberCharacter(text.charCodeAt(index))) index += 1;
      const token = text.slice(start, index);
      if (token.length >= 16 && INTEGER.test(token) && !Number.isSafeInteger(Number(token))) {
        parts.push(text.slice(copiedUpTo, start), `"${token}"`);
        copiedUpTo = index;
      }
    } else {
      index += 1;
    }
  }
  if (parts.length === 0) return null;
  parts.push(text.slice(copiedUpTo));
  return parts.join("");
}

/** The index just past the string that opens at `start` (a backslash escapes the next character). */
function endOfString(text: string, start: number): number {
  let index = start + 1;
  for (;;) {
    const next = text.indexOf('"', index);
    if (next === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(next - 1 - backslashes) === BACKSLASH) backslashes += 1;
    // An even run of backslashes escapes itself, not the quote.
    if (backslashes % 2 === 0) return next + 1;
    index = next + 1;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isNumberCharacter(code: number): boolean {
  return isDigit(code) || code === MINUS || code === 0x2b || code === 0x2e || code === 0x45 || code === 0x65;
}

/** What is recorded for an authentic delivery whose payload is not JSON (it is kept, failed, never applied). */
export function malformedPayloadReason(error: unknown): string {
  return `Payload is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
}
