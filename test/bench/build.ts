import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../support/paths";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the app for production unless build/ is newer than every file under app/. */
export function ensureProductionBuild(log: (line: string) => void = () => {}) {
  const serverBuild = path.join(REPO_ROOT, "build", "server", "index.js");
  if (existsSync(serverBuild) && statSync(serverBuild).mtimeMs > newestMtime(path.join(REPO_ROOT, "app"))) return;
  log("building the app (npm run build)…");
  execFileSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "vite:build"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
