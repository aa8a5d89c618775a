import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";

// The lifecycle rules must stay pure: no Shopify, Prisma, network or server modules.
const FORBIDDEN = /from\s+["'](?:@shopify\/|@prisma\/|node:|~\/(?!lifecycle\/)|\.\.\/|[^"']*\.server)/;

describe("app/lifecycle", () => {
  it("imports nothing but itself", () => {
    const dir = path.join(REPO_ROOT, "app", "lifecycle");
    const offenders = readdirSync(dir)
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) =>
        readFileSync(path.join(dir, file), "utf8")
          .split("\n")
          .filter((line) => FORBIDDEN.test(line))
          .map((line) => `${file}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
