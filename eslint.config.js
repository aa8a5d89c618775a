import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// What a pure module must not import: Shopify, Prisma, the database, any server module, the network, React.
const PURITY_FORBIDDEN = [
  "@shopify/*",
  "@prisma/*",
  "~/db.server",
  "*.server",
  "node:http",
  "node:https",
  "http",
  "https",
  "graphql-request",
  "react",
  "react-dom",
];
const PURITY_MESSAGE = "A pure module: put what needs this in a *.server module (or a component or route).";

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
    // A module in app/ that is not *.server, a component, a hook or a route is pure at run time: no Shopify, Prisma,
    // network or server module reaches the client bundle or the domain through it (types are erased, so allowed).
    files: ["app/**/*.ts"],
    // api-version.ts is configuration: it takes its value from Shopify's ApiVersion enum.
    ignores: ["app/**/*.server.ts", "app/components/**", "app/hooks/**", "app/routes/**", "app/types/**", "app/api-version.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: PURITY_FORBIDDEN, allowTypeImports: true, message: PURITY_MESSAGE }] },
      ],
    },
  },
  {
    // The domain folders import not even types from them (test/lifecycle/purity.test.ts also keeps them to themselves).
    files: ["app/lifecycle/**", "app/loyalty/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ group: PURITY_FORBIDDEN, message: PURITY_MESSAGE }] }],
    },
  },
);
