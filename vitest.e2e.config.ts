import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// Browser tests against `npm run demo`: real Chromium, real app build, sandbox store.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    environment: "node",
    include: ["test/e2e/**/*.e2e.ts"],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".cache/test-results/e2e.json" }]] : ["default"],
  },
});
