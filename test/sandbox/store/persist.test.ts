import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { generateShopData } from "./generate";
import { SandboxDataFormatError, loadShopData, saveShopData } from "./persist";
import { SandboxShop } from "./shop";

const directory = mkdtempSync(path.join(tmpdir(), "sandbox-persist-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const data = generateShopData({ seed: 4, customers: 200, now: "2026-11-20T10:00:00Z" });

describe("saveShopData / loadShopData", () => {
  it("round-trips a shop through a gzipped file that is plain JSON inside", async () => {
    const file = path.join(directory, "shop.json.gz");
    await saveShopData(file, data);

    expect(await loadShopData(file)).toEqual(data);
    expect(JSON.parse(gunzipSync(readFileSync(file)).toString("utf8"))).toEqual(data);
    expect(readdirSync(directory)).toEqual(["shop.json.gz"]);
  });

  it("round-trips an uncompressed file and a shop with changes and empty lists", async () => {
    const shop = SandboxShop.empty(data.info, { clock: () => new Date("2026-11-20T10:00:00Z") });
    shop.createCustomer({ firstName: "Line\nbreak", email: "a@example.com", tags: ["x, y"] });
    const file = path.join(directory, "empty.json");
    await saveShopData(file, shop.snapshot());
    expect(await loadShopData(file)).toEqual(shop.snapshot());
  });

  it("replaces an existing file whole", async () => {
    const file = path.join(directory, "replace.json");
    await saveShopData(file, data);
    const smaller = generateShopData({ seed: 5, customers: 50, now: "2026-11-20T10:00:00Z" });
    await saveShopData(file, smaller);
    expect(await loadShopData(file)).toEqual(smaller);
  });

  it("refuses a file that is not a sandbox shop", async () => {
    const file = path.join(directory, "other.json");
    writeFileSync(file, '{\n"hello":"world"\n}\n');
    await expect(loadShopData(file)).rejects.toThrow(SandboxDataFormatError);
    writeFileSync(file, "not json at all\n");
    await expect(loadShopData(file)).rejects.toThrow(SandboxDataFormatError);
  });
});
