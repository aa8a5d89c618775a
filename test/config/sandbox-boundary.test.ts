import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";

// The sandbox store is a workspace package (test/sandbox/package.json): the rest of the repository
// reaches it only through its name and declared entry points, and it reaches nothing of the app.
const PACKAGE_DIR = path.join(REPO_ROOT, "test", "sandbox");
const manifest = JSON.parse(readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as {
  name: string;
  exports: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const entryPoints = Object.keys(manifest.exports).map((subpath) => (subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));

const SKIPPED_DIRS = new Set(["node_modules", "build", ".cache", ".git", ".sandbox", ".react-router"]);
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) || full === path.join(REPO_ROOT, "public", "build") ? [] : sourceFiles(full);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

const IMPORTS = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /^\s*import\s*["']([^"']+)["']/gm, /\brequire\(\s*["']([^"']+)["']\s*\)/g];
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return IMPORTS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));
}

const isInside = (file: string) => !path.relative(PACKAGE_DIR, file).startsWith("..");
const relative = (file: string) => path.relative(REPO_ROOT, file).split(path.sep).join("/");
const packageNameOf = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

describe("the sandbox package's boundary", () => {
  const files = sourceFiles(REPO_ROOT);

  it("is reached from outside only through its name and entry points, never a path into it", () => {
    const deep = files
      .filter((file) => !isInside(file))
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) =>
            specifier.startsWith(".") ? isInside(path.resolve(path.dirname(file), specifier)) : packageNameOf(specifier) === manifest.name && !entryPoints.includes(specifier),
          )
          .map((specifier) => `${relative(file)} imports ${specifier}`),
      );
    expect(deep).toEqual([]);
  });

  it("imports nothing from outside itself: not the app, not the app's tests, only the packages it declares", () => {
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const outside = files.filter(isInside).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => {
          if (specifier.startsWith(".")) return !isInside(path.resolve(path.dirname(file), specifier));
          if (specifier.startsWith("node:") || builtins.has(specifier)) return false;
          return !declared.has(packageNameOf(specifier));
        })
        .map((specifier) => `${relative(file)} imports ${specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it("declares entry points that exist, and the root declares it as a workspace", () => {
    for (const target of Object.values(manifest.exports)) expect(readFileSync(path.join(PACKAGE_DIR, target), "utf8")).not.toBe("");
    const root = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { workspaces?: string[] };
    expect(root.workspaces).toContain("test/sandbox");
  });
});
