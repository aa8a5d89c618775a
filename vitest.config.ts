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
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".cache/test-results/unit.json" }]] : ["default"],
  },
});
