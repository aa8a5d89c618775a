import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { enqueueJob } from "~/jobs/queue.server";
import type { JobHandler, WorkContext } from "~/jobs/types";
import { createWorker } from "~/jobs/worker.server";
import { logEvent, resetLogLevel } from "~/log.server";

const SHOP = "logs-shop.myshopify.com";
const TOKEN = "shpat_0123456789abcdef0123456789abcdef";
const EMAIL = "jane.doe@example.com";

/** Every JSON line this process writes to stdout and stderr while the test runs. */
let lines: { stream: "stdout" | "stderr"; line: Record<string, unknown> }[] = [];
beforeEach(async () => {
  // The suite's setup keeps only warnings; these tests read every line.
  vi.stubEnv("LOG_LEVEL", "info");
  resetLogLevel();
  lines = [];
  for (const stream of ["stdout", "stderr"] as const) {
    vi.spyOn(process[stream], "write").mockImplementation((chunk: string | Uint8Array) => {
      for (const text of String(chunk).split("\n").filter(Boolean)) lines.push({ stream, line: JSON.parse(text) as Record<string, unknown> });
      return true;
    });
  }
  await prisma.job.deleteMany();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  resetLogLevel();
});

async function runOneJob(handler: JobHandler) {
  const context: WorkContext = { db: prisma, now: () => new Date(), adminFor: () => Promise.reject(new Error("no Admin API here")) };
  await enqueueJob(prisma, { shop: SHOP, kind: "probe", runAt: new Date(Date.now() - 1_000) });
  await createWorker({ context, handlers: { probe: handler }, leaseMs: 60_000 }).runOnce();
  return lines.filter(({ line }) => line.event === "job.finished");
}

describe("structured logs", () => {
  it("write one JSON line per job, with its shop, kind, duration and outcome", async () => {
    const [finished, ...more] = await runOneJob(async () => {});
    expect(more).toEqual([]);
    expect(finished!.stream).toBe("stdout");
    expect(finished!.line).toMatchObject({ level: "info", event: "job.finished", shop: SHOP, job: "probe", attempt: 1, outcome: "done" });
    expect(typeof finished!.line.durationMs).toBe("number");
    expect(Date.parse(String(finished!.line.time))).not.toBeNaN();
  });

  it("never carry a token or an email address, even when an error quotes them", async () => {
    const [failed] = await runOneJob(async () => {
      throw new Error(`Shopify refused ${TOKEN} (Authorization: Bearer ${TOKEN}) for ${EMAIL}; refresh_token=${TOKEN}`);
    });
    expect(failed!.stream).toBe("stderr");
    expect(failed!.line).toMatchObject({ level: "error", shop: SHOP, job: "probe", outcome: "retrying" });
    const written = JSON.stringify(failed!.line);
    expect(written).not.toContain("0123456789abcdef");
    expect(written).not.toContain(EMAIL);
    expect(failed!.line.error).toBe("Error: Shopify refused shpat_[redacted] (Authorization: Bearer [redacted]) for [email]; refresh_token=[redacted]");
    // What the merchant sees on the Sync page is the job's own record, unchanged.
    expect((await prisma.job.findFirstOrThrow({ where: { shop: SHOP } })).lastError).toContain(EMAIL);
  });

  it("follow LOG_LEVEL", () => {
    vi.stubEnv("LOG_LEVEL", "warn");
    resetLogLevel();
    logEvent("info", "probe.quiet", { shop: SHOP });
    logEvent("warn", "probe.loud", { shop: SHOP });
    expect(lines.map(({ line }) => line.event)).toEqual(["probe.loud"]);
  });
});
