import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generate, loadContext } from "@graphql-codegen/cli";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";
import { unpackAdminSchema } from "../../scripts/graphql/admin-schema-file";

describe("generated Admin API types in app/types", () => {
  beforeAll(() => {
    unpackAdminSchema();
  });

  it("are what graphql-codegen makes of app/ today (else: npm run graphql-codegen)", async () => {
    // The CLI's own config loading and generation, minus the writing: what `npm run graphql-codegen` would write.
    const context = await loadContext(path.join(REPO_ROOT, ".graphqlrc.ts"));
    const outputs: { filename: string; content: string }[] = await generate(context, false);

    expect(outputs.map((output) => output.filename).sort()).toEqual([
      "app/types/admin.generated.d.ts",
      "app/types/admin.types.d.ts",
    ]);
    const stale = outputs.filter((output) => {
      const file = path.join(REPO_ROOT, output.filename);
      return !existsSync(file) || readFileSync(file, "utf8") !== output.content;
    });
    expect(stale.map((output) => output.filename)).toEqual([]);
  });

  it("hold only what the app's documents use: under 5,000 lines in all, not the whole Admin API", () => {
    const dir = path.join(REPO_ROOT, "app", "types");
    const lines = readdirSync(dir).reduce((total, file) => total + readFileSync(path.join(dir, file), "utf8").split("\n").length, 0);
    expect(lines).toBeLessThan(5_000);
  });

  it("are made by tooling that reads nothing under test/ (.graphqlrc.ts, npm run graphql-codegen, scripts/graphql)", () => {
    const scripts = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const tooling = readdirSync(path.join(REPO_ROOT, "scripts", "graphql")).map((file) => path.join("scripts", "graphql", file));
    const readers = [".graphqlrc.ts", ...tooling].filter((file) => /["'](?:\.\.?\/)+test\/|["']\.\.\/\.\.\/\.\.\//.test(readFileSync(path.join(REPO_ROOT, file), "utf8")));
    expect(readers).toEqual([]);
    expect(scripts.scripts["graphql-codegen"]).not.toMatch(/\btest\//);
  });
});
