import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";

// The domain rules must stay pure: no Shopify, Prisma, network or server modules, nothing outside their own folder.
describe.each(["lifecycle", "loyalty"])("app/%s", (folder) => {
  it("imports nothing but itself", () => {
    const forbidden = new RegExp(`from\\s+["'](?:@shopify/|@prisma/|node:|~/(?!${folder}/)|\\.\\./|[^"']*\\.server)`);
    const dir = path.join(REPO_ROOT, "app", folder);
    const offenders = readdirSync(dir)
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) =>
        readFileSync(path.join(dir, file), "utf8")
          .split("\n")
          .filter((line) => forbidden.test(line))
          .map((line) => `${file}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
