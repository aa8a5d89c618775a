import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", ".cache/**", "public/build/**", "extensions/**/assets/**", "app/types/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Thin routes: a route authenticates, parses its input, calls a model function and returns.
    files: ["app/routes/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [{ name: "@prisma/client", allowTypeImports: true, message: "Routes call model functions (app/<feature>/*.server.ts), which query the database." }],
          patterns: [
            {
              group: ["~/db.server", "**/db.server"],
              message: "Routes call model functions (app/<feature>/*.server.ts), which query the database; no prisma in app/routes.",
            },
          ],
        },
      ],
    },
  },
  {
    // Pure domain modules stay free of Shopify, Prisma and the network.
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["@shopify/*", "@prisma/*", "~/*.server", "*.server", "node:http", "node:https", "graphql-request"] },
      ],
    },
  },
);
