import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";

const APP = path.join(REPO_ROOT, "app");
const SOURCE = /\.tsx?$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return SOURCE.test(name) && !name.endsWith(".d.ts") ? [file] : [];
  });
}

/** The app file an import names, or null for a package, a JSON file or anything outside app/. */
function resolveImport(from: string, specifier: string): string | null {
  const base = specifier.startsWith("~/") ? path.join(APP, specifier.slice(2)) : specifier.startsWith(".") ? path.resolve(path.dirname(from), specifier) : null;
  if (!base) return null;
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")];
  const file = candidates.find((candidate) => SOURCE.test(candidate) && existsSync(candidate) && statSync(candidate).isFile());
  return file && file.startsWith(APP + path.sep) ? file : null;
}

/** Every app file's imports of other app files, type-only ones and re-exports included: a cycle of types is still a cycle. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(APP)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = importedFiles.map(({ fileName }) => resolveImport(file, fileName)).filter((target): target is string => target !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Tarjan's strongly connected components; those of more than one file (or a file importing itself) hold cycles. */
function cyclicComponents(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  function visit(file: string) {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) components.push(component.sort());
  }

  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return components;
}

/** The shortest way back from `start` to itself inside its component. */
function shortestCycle(graph: Map<string, string[]>, component: string[], start: string): string[] {
  const members = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const target of graph.get(file) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const cycle = [file];
        while (cycle[0] !== start) cycle.unshift(previous.get(cycle[0]!)!);
        return [...cycle, start];
      }
      if (!previous.has(target)) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start];
}

describe("app/", () => {
  it("has no import cycle (each file's dependencies point one way)", () => {
    const graph = importGraph();
    const relative = (file: string) => path.relative(APP, file);
    // Each component with the shortest cycle through each of its files (the same cycle listed once).
    const cycles = cyclicComponents(graph).flatMap((component) => {
      const seen = new Set<string>();
      return component.flatMap((file) => {
        const cycle = shortestCycle(graph, component, file).slice(0, -1).map(relative);
        const key = [...cycle].sort().join();
        if (seen.has(key)) return [];
        seen.add(key);
        return [[...cycle, cycle[0]].join(" → ")];
      });
    });
    expect(cycles).toEqual([]);
  });

  // The worker and the queue serve every feature and know none: features register their handlers
  // by the catalogue's names (app/app-worker.server.ts composes them).
  it("keeps app/jobs a leaf: it imports no feature", () => {
    const graph = importGraph();
    const jobs = path.join(APP, "jobs") + path.sep;
    const allowed = [jobs, path.join(APP, "admin-api") + path.sep, path.join(APP, "db.server.ts"), path.join(APP, "db-url.ts"), path.join(APP, "sql.server.ts"), path.join(APP, "log.server.ts")];
    const offenders = [...graph]
      .filter(([file]) => file.startsWith(jobs))
      .flatMap(([file, targets]) => targets.filter((target) => !allowed.some((prefix) => target.startsWith(prefix))).map((target) => `${path.relative(APP, file)} → ${path.relative(APP, target)}`));
    expect(offenders).toEqual([]);
  });
});
