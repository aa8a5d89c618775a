import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    environment: "node",
    include: ["app/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
    globalSetup: ["test/setup/global.ts"],
    setupFiles: ["test/setup/each-file.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI sums the JSON reports into the one closing line it reads (.ci/run).
    // The PostgreSQL run (npm run test:postgres) keeps a report of its own.
    reporters: process.env.CI
      ? ["default", ["json", { outputFile: `.cache/test-results/${process.env.TEST_DATABASE === "postgres" ? "postgres" : "unit"}.json` }]]
      : ["default"],
  },
});
