import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { API_VERSION } from "~/api-version";
import { ADMIN_SCHEMA_JSON } from "../../scripts/graphql/admin-schema-file";
import { ADMIN_SCHEMA_FILE, REPO_ROOT } from "../support/paths";

// A user's clone has nothing beside it: whatever the demo, the tests and codegen read must be in it.
const trackedFiles = () => execFileSync("git", ["ls-files", "-z"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\0").filter(Boolean);

describe("a bare clone", () => {
  it("carries the Admin schema the sandbox, the document checks and codegen read, for the app's API version", () => {
    const relative = path.relative(REPO_ROOT, ADMIN_SCHEMA_FILE);
    expect(relative.startsWith("..")).toBe(false);
    expect(trackedFiles()).toContain(relative.split(path.sep).join("/"));
    expect(path.basename(ADMIN_SCHEMA_FILE)).toContain(API_VERSION);
    const schema = JSON.parse(gunzipSync(readFileSync(ADMIN_SCHEMA_FILE)).toString("utf8")) as { data?: { __schema?: unknown }; __schema?: unknown };
    expect(schema.data?.__schema ?? schema.__schema).toBeTruthy();
    // Shopify's ISC licence travels with the copy.
    expect(existsSync(path.join(path.dirname(ADMIN_SCHEMA_FILE), "LICENSE-shopify-dev-mcp"))).toBe(true);
  });

  it("has no code, script or configuration that reads the folder beside the clone", () => {
    // Spelt in pieces, so this file does not find itself.
    const markers = [["..", "shared"].join("/"), ["LIFECYCLE", "SHARED", "DIR"].join("_")];
    const readers = trackedFiles()
      .filter((file) => /\.(ts|tsx|js|mjs|cjs|json|toml)$|^\.ci\//.test(file) && !file.endsWith("package-lock.json"))
      .filter((file) => {
        const text = readFileSync(path.join(REPO_ROOT, file), "utf8");
        return markers.some((marker) => text.includes(marker));
      });
    expect(readers).toEqual([]);
  });

  it("keeps what scripts/ reads and writes inside the clone", () => {
    expect(trackedFiles().some((file) => file.startsWith("scripts/"))).toBe(true);
    for (const file of [ADMIN_SCHEMA_FILE, ADMIN_SCHEMA_JSON]) {
      expect({ file, inside: !path.relative(REPO_ROOT, file).startsWith("..") }).toEqual({ file, inside: true });
    }
  });
});
