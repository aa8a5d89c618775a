import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest, TEST_SHOP, TEST_SHOP_NAME } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { messagesFor, SUPPORTED_LOCALES } from "~/i18n/i18n";
import { parseLifecycleSettingsForm } from "~/lifecycle-models/settings-form";
import { action, loader } from "~/routes/app.settings";
import { installTestSandbox } from "../support/sandbox";
import { BROWSER_USER_AGENT, openAppAsMerchant } from "../support/install";
import { countJobs, deleteJobs } from "../support/jobs";

installTestSandbox({ customers: 10, seed: 81 });

const signed = (init?: RequestInit) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: TEST_SHOP_NAME, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app/settings`, { ...init, headers: { "User-Agent": BROWSER_USER_AGENT } }),
  );
const post = async (form: Record<string, string>) =>
  action({ request: await signed({ method: "POST", body: new URLSearchParams(form) }), params: {}, context: {} });

const VALID = {
  repurchaseIntervalDays: "",
  lapseAfterDays: "",
  atRiskMultiple: "2",
  loyalMinOrders: "3",
  valueLargePercent: "20",
  valueMediumPercent: "30",
  stageTagPrefix: "lifecycle:",
  rfmTagPrefix: "rfm:",
  valueTagPrefix: "value:",
  writeTags: "on",
  writeMetafields: "on",
  writeSegments: "on",
};

beforeEach(async () => {
  await openAppAsMerchant();
  // Each test starts from the defaults, with nothing queued.
  await prisma.lifecycleSettings.deleteMany({ where: { shop: TEST_SHOP } });
  await deleteJobs({ shop: TEST_SHOP });
});

describe("lifecycle settings page", () => {
  it("shows the saved settings with the store's own rhythm beside them", async () => {
    const data = await loader({ request: await signed(), params: {}, context: {} });
    expect(data.values).toEqual({ ...VALID, writeTags: true, writeMetafields: true, writeSegments: true });
    expect(data.rhythm).toMatchObject({ interval: 60, lapse: 180, explanation: { key: "lifecycle.rhythm.defaults" } });
  });

  it("saves valid settings, converting percentages to shares, and places everyone again", async () => {
    const response = await post({ ...VALID, repurchaseIntervalDays: "45", lapseAfterDays: "150", valueLargePercent: "25", stageTagPrefix: "Stage:" });
    expect(response).toEqual({ saved: true, recomputing: true });
    const settings = await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(settings).toMatchObject({ repurchaseIntervalDays: 45, lapseAfterDays: 150, valueLargeShare: 0.25, stageTagPrefix: "stage:" });
    expect(await countJobs({ shop: TEST_SHOP, kind: "recompute", status: "queued", dueBy: new Date() })).toBe(1);
  });

  it("a changed tag prefix withdraws the write-back approval, places nobody again, and writes nothing until the new dry run is approved", async () => {
    await prisma.lifecycleSettings.create({ data: { shop: TEST_SHOP, writeBackApprovedAt: new Date() } });
    await prisma.writeBackRun.create({ data: { shop: TEST_SHOP, kind: "tags", mode: "direct", status: "completed" } });
    expect(await post({ ...VALID, stageTagPrefix: "vip-" })).toEqual({ saved: true, recomputing: false });
    expect(await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({ stageTagPrefix: "vip-", writeBackApprovedAt: null });
    expect(await countJobs({ shop: TEST_SHOP, dueBy: new Date() })).toBe(0);
    const data = await loader({ request: await signed(), params: {}, context: {} });
    expect(data.awaitingApproval).toBe(true);

    // Saving again without a prefix change keeps the approval.
    await prisma.lifecycleSettings.update({ where: { shop: TEST_SHOP }, data: { writeBackApprovedAt: new Date() } });
    await post({ ...VALID, stageTagPrefix: "vip-", atRiskMultiple: "3" });
    expect((await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).writeBackApprovedAt).not.toBeNull();
    await prisma.writeBackRun.deleteMany({ where: { shop: TEST_SHOP } });
  });

  it("switching a write-back off needs no recompute, only a write-back", async () => {
    const response = await post({ ...VALID, writeMetafields: "" });
    expect(response).toEqual({ saved: true, recomputing: false });
    expect(await prisma.lifecycleSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({ writeMetafields: false, writeTags: true });
    expect(await countJobs({ shop: TEST_SHOP, kind: "recompute", dueBy: new Date() })).toBe(0);
    expect(await countJobs({ shop: TEST_SHOP, kind: "write-back", status: "queued" })).toBe(1);
  });

  it.each([
    [{ atRiskMultiple: "" }, "atRiskMultiple", "settings.errors.atRiskMultiple"],
    [{ atRiskMultiple: "abc" }, "atRiskMultiple", "settings.errors.atRiskMultiple"],
    [{ loyalMinOrders: "2.5" }, "loyalMinOrders", "settings.errors.loyalMinOrders"],
    [{ repurchaseIntervalDays: "0" }, "repurchaseIntervalDays", "settings.errors.interval"],
    [{ repurchaseIntervalDays: "90", lapseAfterDays: "60" }, "lapseAfterDays", "settings.errors.lapseAfterInterval"],
    [{ valueLargePercent: "60", valueMediumPercent: "40" }, "valueMediumPercent", "settings.errors.valueShareSum"],
    [{ valueLargePercent: "0" }, "valueLargePercent", "settings.errors.valueShare"],
    [{ stageTagPrefix: "my, tag:" }, "stageTagPrefix", "settings.errors.tagPrefix"],
    [{ rfmTagPrefix: "lifecycle:" }, "rfmTagPrefix", "settings.errors.tagPrefixDistinct"],
    [{ writeTags: "" }, "writeSegments", "settings.errors.segmentsNeedTags"],
  ])("refuses %j with an error on %s and saves nothing", async (change, field, message) => {
    const before = await prisma.lifecycleSettings.findUnique({ where: { shop: TEST_SHOP } });
    const response = (await post({ ...VALID, ...change })) as Response;
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toMatchObject({ [field]: message });
    expect(await prisma.lifecycleSettings.findUnique({ where: { shop: TEST_SHOP } })).toEqual(before);
    expect(await countJobs({ shop: TEST_SHOP, kind: ["recompute", "write-back"], dueBy: new Date() })).toBe(0);
  });

  it("gives every error a message in the catalogs", () => {
    const parsed = parseLifecycleSettingsForm({ stageTagPrefix: "x", rfmTagPrefix: "x", valueTagPrefix: "" });
    if (!("errors" in parsed)) throw new Error("an empty form was accepted");
    for (const key of Object.values(parsed.errors)) for (const locale of SUPPORTED_LOCALES) expect(messagesFor(locale)[key]).toBeTruthy();
  });
});
