import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { check } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";

const EXTENSION = path.join(REPO_ROOT, "extensions", "lifecycle-loyalty");
// theme-check's budget for an app block's JavaScript, and ours for every script we ship.
const MAX_JS_GZIP_BYTES = 10_000;

/** Every "a.b.c" key of a locale file (plural forms are one key). */
function keysOf(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([key]) => key === "other")) return [prefix];
  return entries.flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

describe("theme app extension", () => {
  it("passes Shopify's theme-check for app extensions with no error", async () => {
    const offenses = await check(EXTENSION, path.join(REPO_ROOT, "node_modules", "@shopify", "theme-check-node", "configs", "theme-app-extension.yml"));
    // Severity 0 is an error.
    expect(offenses.filter((offense) => offense.severity === 0).map((offense) => `${offense.check} ${offense.uri}: ${offense.message}`)).toEqual([]);
  }, 60_000);

  it("ships no JavaScript file over 10 KB compressed", () => {
    const scripts = readdirSync(path.join(EXTENSION, "assets")).filter((file) => file.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const size = gzipSync(readFileSync(path.join(EXTENSION, "assets", file))).length;
      expect({ file, fits: size <= MAX_JS_GZIP_BYTES, size }).toMatchObject({ file, fits: true });
    }
  });

  it.each(["", ".schema"])("has every text%s in English, French and Polish", (kind) => {
    const read = (name: string) => JSON.parse(readFileSync(path.join(EXTENSION, "locales", name), "utf8")) as unknown;
    const english = keysOf(read(`en.default${kind}.json`)).sort();
    expect(english.length).toBeGreaterThan(2);
    for (const language of ["fr", "pl"]) expect(keysOf(read(`${language}${kind}.json`)).sort()).toEqual(english);
  });

  it("uses only texts the locales define", () => {
    const english = new Set(keysOf(JSON.parse(readFileSync(path.join(EXTENSION, "locales", "en.default.json"), "utf8"))));
    const liquid = readdirSync(path.join(EXTENSION, "blocks")).map((file) => readFileSync(path.join(EXTENSION, "blocks", file), "utf8"));
    const used = liquid.flatMap((source) => [...source.matchAll(/'([a-z_.]+)'\s*\|\s*t\b/g)].map((match) => match[1]!));
    expect(used.length).toBeGreaterThan(5);
    for (const key of used) expect(english.has(key)).toBe(true);
    // The stage-aware message is looked up by stage: every stage has one.
    for (const stage of ["prospect", "new", "developing", "loyal", "advocate", "at_risk", "lapsed", "reactivated"])
      expect(english.has(`loyalty.stage_message.${stage}`)).toBe(true);
  });
});
