import { describe, expect, it } from "vitest";
import { parseExactJson } from "~/webhooks/exact-json";
import { Random } from "@lifecycle/shopify-sandbox";

describe("parseExactJson", () => {
  it("keeps Shopify's 64-bit ids exact, as text, where JSON.parse rounds them", () => {
    const text = '{"id":890088186047892319,"order_id":820982911946154508,"user_id":548380009}';
    expect(JSON.parse(text)).toMatchObject({ order_id: 820982911946154500 });
    expect(parseExactJson(text)).toEqual({ id: "890088186047892319", order_id: "820982911946154508", user_id: 548380009 });
  });

  it("turns exactly the integers past Number.MAX_SAFE_INTEGER into text, on both sides of zero", () => {
    expect(parseExactJson("[9007199254740991, 9007199254740992, -9007199254740991, -9007199254740992, 18446744073709551615]")).toEqual([
      9007199254740991,
      "9007199254740992",
      -9007199254740991,
      "-9007199254740992",
      "18446744073709551615",
    ]);
    expect(parseExactJson("820982911946154508")).toBe("820982911946154508");
    expect(Object.is(parseExactJson("-0"), -0)).toBe(true);
  });

  it("leaves numbers that are not integer literals as JSON.parse reads them (fractions, exponents)", () => {
    const text = "[820982911946154508.0, 8.20982911946154508e17, 1e400, -1E-7, 12345678901234567e1, 0.1234567890123456789]";
    expect(parseExactJson(text)).toEqual(JSON.parse(text));
  });

  it("never touches digits inside strings: escaped quotes, escaped backslashes, unicode escapes, keys", () => {
    const text = String.raw`{"820982911946154508":"820982911946154508","a\"820982911946154508":1,"b\\":820982911946154508,"c":"\\\"\\","d":"\u0022 820982911946154508 \u005c","e":["\\",820982911946154508,"\""]}`;
    expect(parseExactJson(text)).toEqual({
      "820982911946154508": "820982911946154508",
      'a"820982911946154508': 1,
      "b\\": "820982911946154508",
      c: '\\"\\',
      d: '" 820982911946154508 \\',
      e: ["\\", "820982911946154508", '"'],
    });
  });

  it("reads nested arrays and objects with whitespace anywhere", () => {
    const text = ' [ [ 820982911946154508 , [ -820982911946154508 ] ] , { "x" :\n\t820982911946154508\r\n} , true , false , null , 7 ] ';
    expect(parseExactJson(text)).toEqual([["820982911946154508", ["-820982911946154508"]], { x: "820982911946154508" }, true, false, null, 7]);
  });

  it("refuses what JSON.parse refuses, with its SyntaxError, even where quoting a number would make it valid", () => {
    for (const text of ["{820982911946154508: 1}", "[0820982911946154508]", "[820982911946154508,]", "", "{\"a\": 820982911946154508", "[-]"]) {
      expect(() => parseExactJson(text), text).toThrow(SyntaxError);
    }
  });

  it("agrees with a reference reading on thousands of generated documents (seeded)", () => {
    const random = new Random(20261203);
    for (let round = 0; round < 3000; round += 1) {
      const value = generate(random, 0);
      const text = write(random, value);
      expect(parseExactJson(text), text).toEqual(expected(value));
    }
  });
});

// A generated document: JSON values whose integers are bigints, so the test knows their exact digits.
type Value = null | boolean | bigint | number | string | Value[] | { [key: string]: Value };

const STRING_PIECES = ["a", "é", "✓", "😀", "\\", '"', "\n", "\u0000", "/", " ", "820982911946154508", "-1", "e5", "{", "]", ":", ","];

function generate(random: Random, depth: number): Value {
  const kind = random.int(0, depth > 3 ? 4 : 6);
  switch (kind) {
    case 0:
      return random.pick([null, true, false]);
    case 1: {
      // Integers of every size around the safe limit, and far past it (64-bit and beyond).
      const digits = random.int(1, 22);
      let text = String(random.int(1, 9));
      for (let index = 1; index < digits; index += 1) text += String(random.int(0, 9));
      const magnitude = random.chance(0.2) ? 9007199254740991n + BigInt(random.int(-3, 3)) : BigInt(text);
      return random.chance(0.3) ? -magnitude : magnitude;
    }
    case 2:
      return random.pick([0.5, -1.25, 3.14159, 1e21, 2.5e-8]);
    case 3:
    case 4: {
      let text = "";
      for (let index = random.int(0, 6); index > 0; index -= 1) text += random.pick(STRING_PIECES);
      return text;
    }
    case 5:
      return Array.from({ length: random.int(0, 4) }, () => generate(random, depth + 1));
    default: {
      const object: { [key: string]: Value } = {};
      for (let index = random.int(0, 4); index > 0; index -= 1) object[String(generate(random, 4))] = generate(random, depth + 1);
      return object;
    }
  }
}

/** Serialises with bigints as bare digits and random whitespace between tokens. */
function write(random: Random, value: Value): string {
  const space = () => random.pick(["", "", " ", "\n", "\t ", "\r\n  "]);
  if (typeof value === "bigint") return `${space()}${value}${space()}`;
  if (Array.isArray(value)) return `[${space()}${value.map((item) => write(random, item)).join(",")}${space()}]`;
  if (value !== null && typeof value === "object") {
    return `{${space()}${Object.entries(value)
      .map(([key, item]) => `${space()}${JSON.stringify(key)}${space()}:${write(random, item)}`)
      .join(",")}${space()}}`;
  }
  return `${space()}${JSON.stringify(value)}${space()}`;
}

/** What parseExactJson must give: safe integers as numbers, the others as their exact digits. */
function expected(value: Value): unknown {
  if (typeof value === "bigint") {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : value.toString();
  }
  if (Array.isArray(value)) return value.map(expected);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expected(item)]));
  return value;
}
