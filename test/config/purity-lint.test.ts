import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";

// The lint rule is only a guard if it applies to the folders that exist; a probe file in each says it does.
const lint = async (filePath: string, code: string) => {
  const [result] = await new ESLint({ cwd: REPO_ROOT }).lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === "@typescript-eslint/no-restricted-imports").map((message) => message.line);
};

const IMPORTS = [
  'import { Prisma } from "@prisma/client";',
  'import prisma from "~/db.server";',
  'import { authenticate } from "~/shopify.server";',
  'import { upsertOrders } from "../sync/upserts.server";',
  'import { useState } from "react";',
  'import https from "node:https";',
  'import { GraphQLClient } from "graphql-request";',
  'import { ApiVersion } from "@shopify/shopify-api";',
].join("\n");

describe("the purity lint rule", () => {
  it.each(["app/lifecycle/probe.ts", "app/loyalty/probe.ts"])("refuses in %s every import of Shopify, Prisma, a server module, the network or React, types too", async (file) => {
    expect(await lint(file, `${IMPORTS}\nimport type { PrismaClient } from "@prisma/client";\n`)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("refuses them at run time in the app's other modules that are not *.server, allowing types", async () => {
    expect(await lint("app/sync/probe.ts", `${IMPORTS}\nimport type { PrismaClient } from "@prisma/client";\n`)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("leaves *.server modules, components and hooks alone", async () => {
    for (const file of ["app/sync/probe.server.ts", "app/components/probe.ts", "app/hooks/probe.ts"]) {
      expect({ file, lines: await lint(file, IMPORTS) }).toEqual({ file, lines: [] });
    }
  });

  it("refuses in routes only the database: a route calls model functions", async () => {
    expect(await lint("app/routes/probe.tsx", IMPORTS)).toEqual([1, 2]);
  });
});
