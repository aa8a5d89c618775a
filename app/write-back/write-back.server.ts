import { Prisma, type LifecycleSettings, type PrismaClient } from "@prisma/client";
import type { AdminApi } from "~/admin-api/client.server";
import { AdminApiUserErrors } from "~/admin-api/errors";
import { fetchCustomer } from "~/admin-api/customers.server";
import { customerGid } from "~/admin-api/gid";
import { deleteMetafields, ensureMetafieldDefinition, METAFIELDS_PER_SET } from "~/admin-api/metafields.server";
import { createSegment, updateSegment } from "~/admin-api/segments.server";
import { addCustomerTags, removeCustomerTags } from "~/admin-api/tags.server";
import { STAGES } from "~/lifecycle/model";
import { RFM_GROUPS } from "~/lifecycle/rfm";
import { lifecycleTags, ownTags, splitTags, tagChanges, type TagSettings } from "~/lifecycle/tags";
import { VALUE_BANDS } from "~/lifecycle/value-band";
import { lifecycleSettings } from "~/lifecycle-models/settings.server";
import { jsonTable, markDueStatement, queryJsonRows, sqliteDateTime } from "~/sql.server";
import { customerFromGraphql } from "~/sync/records";
import { upsertCustomers } from "~/sync/upserts.server";
import { setMetafieldsExceptRefused, type OwnedMetafield } from "./metafield-calls.server";

/** The app-owned namespace ("$app:lifecycle" resolves to this app's own). */
export const METAFIELD_NAMESPACE = "$app:lifecycle";
/** Stages, RFM groups and value bands are the merchant's view of a customer: not for storefronts. */
export const LIFECYCLE_STOREFRONT_ACCESS = "NONE";

export const LIFECYCLE_METAFIELDS = [
  {
    key: "stage",
    name: "Lifecycle stage",
    description: "Where the customer is in their lifecycle (prospect, new, developing, loyal, advocate, at_risk, lapsed, reactivated).",
    type: "single_line_text_field",
  },
  {
    key: "rfm_group",
    name: "RFM group",
    description: "The customer's RFM group (CHAMPIONS, LOYAL, …), from recency, frequency and monetary scores within the store.",
    type: "single_line_text_field",
  },
  { key: "rfm_scores", name: "RFM scores", description: 'Recency, frequency and monetary scores from 1 to 5, e.g. "545".', type: "single_line_text_field" },
  { key: "value_band", name: "Value band", description: "small, medium or large by net revenue over the last twelve months.", type: "single_line_text_field" },
] as const;

export const tagSettingsOf = (settings: LifecycleSettings): TagSettings => ({
  stagePrefix: settings.stageTagPrefix,
  rfmPrefix: settings.rfmTagPrefix,
  valuePrefix: settings.valueTagPrefix,
});

const parseList = (json: string | null) => (json ? (JSON.parse(json) as string[]) : []);

// Rows a statement writes at once (one JSON parameter).
const ROWS_PER_STATEMENT = 1_000;

// [customerId, writeBackDue, the customer's tags (null: no longer held), writtenTags, pendingTags,
//  stage, rfmGroup, valueBand, recency, frequency, monetary, writtenMetafields]
type CandidateRow = [string, number, string | null, string | null, string | null, string, string, string, number | null, number | null, number | null, string | null];
const CANDIDATE_COLUMNS = Prisma.sql`l."customerId", l."writeBackDue", c."tags", l."writtenTags", l."pendingTags", l."stage", l."rfmGroup", l."valueBand",
  l."recency", l."frequency", l."monetary", l."writtenMetafields"`;

/** Which customers a plan looks at: those whose lifecycle, tags or settings changed since write-back last looked (`due`), or every one (the dry run). */
export type PlanScope = "due" | "all";

async function candidates(db: PrismaClient, shop: string, scope: PlanScope): Promise<CandidateRow[]> {
  const rows = await queryJsonRows<CandidateRow>(
    db,
    CANDIDATE_COLUMNS,
    Prisma.sql`FROM "CustomerLifecycle" l LEFT JOIN "Customer" c ON c."shop" = l."shop" AND c."id" = l."customerId"
      WHERE l."shop" = ${shop} ${scope === "due" ? Prisma.sql`AND l."writeBackDue" > 0` : Prisma.empty}`,
  );
  return rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export interface TagPlan {
  customerId: string;
  /** The customer's tags as we hold them, and which of them are ours. */
  current: string[];
  ours: string[];
  add: string[];
  remove: string[];
  /**
   * An earlier call for this customer was never recorded (its worker died, or the database went away,
   * after Shopify answered): whether it went through is read from Shopify before writing again.
   */
  unsure: boolean;
}

type MetafieldKey = (typeof LIFECYCLE_METAFIELDS)[number]["key"];
/** Our metafield values for a customer; "" for a field the customer has no value for (a prospect's scores). */
export type MetafieldValues = Record<MetafieldKey, string>;

export interface MetafieldPlan {
  customerId: string;
  /** Everything as it should be once written (stored as what was written). */
  values: MetafieldValues;
  /** Fields whose value changed since the last write. */
  set: [key: MetafieldKey, value: string][];
  /** Fields written before that now have no value: deleted, not left stale. */
  remove: MetafieldKey[];
}

/** A customer's due mark as read: write-back has dealt with that version once they are written. */
export interface DueMark {
  customerId: string;
  due: number;
}

export interface WriteBackPlan {
  /** Every due customer looked at: once the plan is carried out, each is written, in step, or refused. */
  looked: DueMark[];
  /** Customers with tags to add or remove. */
  tags: TagPlan[];
  /** Customers whose metafields differ from what we last wrote, field by field. */
  metafields: MetafieldPlan[];
  /** The RFM groups of the customers looked at (segments exist per group in use). */
  rfmGroups: string[];
}

function metafieldPlan(customerId: string, values: MetafieldValues, writtenMetafields: string | null): MetafieldPlan | null {
  const written = (writtenMetafields ? JSON.parse(writtenMetafields) : {}) as Partial<MetafieldValues>;
  const keys = Object.keys(values) as MetafieldKey[];
  const set = keys.filter((key) => values[key] !== "" && values[key] !== written[key]).map((key): [MetafieldKey, string] => [key, values[key]]);
  const remove = keys.filter((key) => values[key] === "" && (written[key] ?? "") !== "");
  return set.length || remove.length ? { customerId, values, set, remove } : null;
}

/**
 * What Shopify needs to be told about the customers in scope: our tags to add, and to remove (only
 * the exact tags we wrote, never a merchant's), and the metafields that differ from what we last
 * wrote. Customers already in step are only counted as looked at.
 */
export async function planWriteBack(db: PrismaClient, shop: string, settings: LifecycleSettings, scope: PlanScope): Promise<WriteBackPlan> {
  const tagSettings = tagSettingsOf(settings);
  const plan: WriteBackPlan = { looked: [], tags: [], metafields: [], rfmGroups: [] };
  const groups = new Set<string>();
  for (const [customerId, due, tags, writtenTags, pendingTags, stage, rfmGroup, valueBand, recency, frequency, monetary, writtenMetafields] of await candidates(
    db,
    shop,
    scope,
  )) {
    if (due > 0) plan.looked.push({ customerId, due });
    // Gone from our copy of the store (deleted; the next recompute drops the lifecycle): nothing to write.
    if (tags === null) continue;
    groups.add(rfmGroup);
    const current = splitTags(tags);
    // A call whose answer was never recorded: what it asked for and the customer carries is ours.
    const ours = ownTags(current, [...parseList(writtenTags), ...parseList(pendingTags)]);
    const { add, remove } = tagChanges(current, lifecycleTags({ stage, rfmGroup, valueBand }, tagSettings), ours);
    if (add.length || remove.length) plan.tags.push({ customerId, current, ours, add, remove, unsure: parseList(pendingTags).length > 0 });
    const values: MetafieldValues = {
      stage,
      rfm_group: rfmGroup,
      rfm_scores: recency === null ? "" : `${recency}${frequency}${monetary}`,
      value_band: valueBand,
    };
    const metafields = metafieldPlan(customerId, values, writtenMetafields);
    if (metafields) plan.metafields.push(metafields);
  }
  plan.rfmGroups = [...groups];
  return plan;
}

/** The dry run shown before a write is approved: how many customers would get each tag, and lose each of the tags we wrote. */
export async function dryRun(db: PrismaClient, shop: string) {
  const settings = await lifecycleSettings(db, shop);
  const plan = await planWriteBack(db, shop, settings, "all");
  const added = new Map<string, number>();
  const removed = new Map<string, number>();
  for (const entry of plan.tags) {
    for (const tag of entry.add) added.set(tag, (added.get(tag) ?? 0) + 1);
    for (const tag of entry.remove) removed.set(tag, (removed.get(tag) ?? 0) + 1);
  }
  const sorted = (counts: Map<string, number>) =>
    [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag, customers]) => ({ tag, customers }));
  return { customers: plan.tags.length, added: sorted(added), removed: sorted(removed) };
}

/**
 * Everyone is looked at again by the next write-back (approval, a write-back setting changed), or
 * these customers (their tags changed in Shopify). A write-back under way keeps what it read: its
 * marks no longer match, so it leaves these due.
 */
export async function markWriteBackDue(db: PrismaClient, shop: string, customerIds: readonly string[] | "all") {
  if (customerIds === "all" || customerIds.length > 0) await markDueStatement(db, "writeBack", shop, customerIds);
}

/** Write-back has dealt with these versions of the customers' marks; a mark changed since stays due. */
export async function finishDue(db: PrismaClient, shop: string, looked: readonly DueMark[]) {
  for (let start = 0; start < looked.length; start += ROWS_PER_STATEMENT) {
    const batch = looked.slice(start, start + ROWS_PER_STATEMENT).map(({ customerId, due }) => [customerId, due]);
    await db.$executeRaw`
      ${jsonTable(db, "j", batch, ["text", "integer"])}
      UPDATE "CustomerLifecycle" SET "writeBackDue" = -"writeBackDue" FROM j
      WHERE "CustomerLifecycle"."shop" = ${shop} AND "CustomerLifecycle"."customerId" = j.c0 AND "CustomerLifecycle"."writeBackDue" = j.c1`;
  }
}

/** Customers Shopify refused to take our writes for, and why: shown on the health page, tried again when they next change. */
export async function recordRefusals(db: PrismaClient, shop: string, refused: ReadonlyMap<string, string>, now: Date) {
  const rows = [...refused];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    await db.$executeRaw`
      ${jsonTable(db, "j", rows.slice(start, start + ROWS_PER_STATEMENT), ["text", "text"])}
      UPDATE "CustomerLifecycle" SET "writeBackRefused" = j.c1, "writeBackRefusedAt" = ${now}, "pendingTags" = NULL FROM j
      WHERE "CustomerLifecycle"."shop" = ${shop} AND "CustomerLifecycle"."customerId" = j.c0`;
  }
}

/** What a tag write left: the tags we wrote as Shopify confirmed them, our copy of the customer, and when Shopify says the write happened. */
export interface TagWriteResult {
  customerId: string;
  /** The customer as the mutation answered (null: it did not say; `tags` is then our best knowledge). */
  node: unknown;
  tags: string[];
  ours: string[];
}

/**
 * Records tag writes Shopify confirmed: the customer as Shopify answered (so its own
 * customers/update webhook brings nothing new), our tags among theirs, and the customer's
 * updatedAt after the write, which recognises that webhook as our echo.
 */
export async function recordTagWrites(db: PrismaClient, shop: string, results: readonly TagWriteResult[], now: Date) {
  for (let start = 0; start < results.length; start += ROWS_PER_STATEMENT) {
    const batch = results.slice(start, start + ROWS_PER_STATEMENT);
    const records = batch.flatMap((result) => (result.node ? [customerFromGraphql(result.node)] : []));
    const updatedAt = new Map(records.map((record) => [record.id, sqliteDateTime(record.updatedAt)]));
    // Our copy first: if the process dies before the lifecycle row is written, pendingTags still says which tags are ours.
    if (records.length) await upsertCustomers(db, shop, records, now);
    const rows = batch.map((result) => [result.customerId, JSON.stringify(ownTags(result.tags, result.ours)), updatedAt.get(result.customerId) ?? null]);
    await db.$executeRaw`
      ${jsonTable(db, "j", rows, ["text", "text", "timestamp"])}
      UPDATE "CustomerLifecycle" SET "writtenTags" = j.c1, "pendingTags" = NULL, "tagsUpdatedAt" = coalesce(j.c2, "tagsUpdatedAt"),
        "writeBackRefused" = NULL, "writeBackRefusedAt" = NULL
      FROM j WHERE "CustomerLifecycle"."shop" = ${shop} AND "CustomerLifecycle"."customerId" = j.c0`;
  }
}

/** The tags Shopify answered with, or (no answer) what the change made of the tags we held. */
export function tagsAfter(node: unknown, current: readonly string[], change: { add?: readonly string[]; remove?: readonly string[] }): string[] {
  if (node && typeof node === "object" && "tags" in node && Array.isArray(node.tags)) return node.tags as string[];
  const removed = new Set((change.remove ?? []).map((tag) => tag.toLowerCase()));
  return [...current.filter((tag) => !removed.has(tag.toLowerCase())), ...(change.add ?? [])];
}

/**
 * Brings Shopify's tags in step, customer by customer, through tagsAdd and tagsRemove (only the
 * tags we wrote are removed). What each write leaves is recorded as it succeeds, so a retry after
 * a failure continues where it stopped. A customer Shopify refuses (deleted there, say) is set
 * aside with the reason and does not hold up the others.
 */
export async function writeTagsDirectly(
  db: PrismaClient,
  api: AdminApi,
  shop: string,
  plan: readonly TagPlan[],
  now: () => Date,
): Promise<{ written: number; refused: Map<string, string> }> {
  const refused = new Map<string, string>();
  let written = 0;
  for (const planned of plan) {
    const entry = planned.unsure ? await asShopifyHoldsIt(api, planned) : { ...planned, node: null };
    // Noted before asking: if the answer is never recorded, those of these the customer then carries are ours.
    if (entry.add.length) await db.customerLifecycle.updateMany({ where: { shop, customerId: entry.customerId }, data: { pendingTags: JSON.stringify(entry.add) } });
    let node: unknown = entry.node;
    let tags: string[] = entry.current;
    let answered = false;
    try {
      if (entry.add.length) {
        node = await addCustomerTags(api, customerGid(entry.customerId), entry.add);
        answered = true;
        tags = tagsAfter(node, tags, { add: entry.add });
      }
      if (entry.remove.length) {
        node = await removeCustomerTags(api, customerGid(entry.customerId), entry.remove);
        tags = tagsAfter(node, tags, { remove: entry.remove });
      }
    } catch (error) {
      if (!(error instanceof AdminApiUserErrors)) throw error;
      refused.set(entry.customerId, error.message);
      // An addition that went through before the removal was refused is still ours.
      if (!answered) continue;
    }
    await recordTagWrites(db, shop, [{ customerId: entry.customerId, node, tags, ours: [...entry.ours, ...entry.add] }], now());
    if (!refused.has(entry.customerId)) written += 1;
  }
  return { written, refused };
}

/**
 * The plan for a customer whose last write was never recorded, against the tags Shopify holds now: what
 * that write added is not added again (a second tagsAdd of a tag changes nothing at Shopify, but it is
 * a write done twice), what it removed is not removed again. A customer Shopify no longer has keeps the
 * plan, and the write is refused with Shopify's reason.
 */
async function asShopifyHoldsIt(api: AdminApi, entry: TagPlan): Promise<TagPlan & { node: unknown }> {
  const customer = await fetchCustomer(api, customerGid(entry.customerId));
  if (!customer) return { ...entry, node: null };
  const has = new Set(customer.tags.map((tag) => tag.toLowerCase()));
  return {
    ...entry,
    node: customer,
    current: customer.tags,
    // What the lost write added is ours as much as what this one adds.
    ours: [...entry.ours, ...entry.add.filter((tag) => has.has(tag.toLowerCase()))],
    add: entry.add.filter((tag) => !has.has(tag.toLowerCase())),
    remove: entry.remove.filter((tag) => has.has(tag.toLowerCase())),
  };
}

/**
 * Our definitions, created once so merchants see the fields in admin. No storefront reads them (the
 * loyalty block reads only `$app:loyalty.summary`), so they are not published to it.
 */
export async function ensureLifecycleMetafieldDefinitions(db: PrismaClient, api: AdminApi, shop: string, settings: LifecycleSettings) {
  if (settings.metafieldDefinitionsAt) return;
  for (const definition of LIFECYCLE_METAFIELDS) await ensureMetafieldDefinition(api, { namespace: METAFIELD_NAMESPACE, ...definition, storefront: LIFECYCLE_STOREFRONT_ACCESS });
  await db.lifecycleSettings.update({ where: { shop }, data: { metafieldDefinitionsAt: new Date() } });
}

/** Records what was written for these customers, so the next plan compares against it. */
export async function markMetafieldsWritten(db: PrismaClient, shop: string, written: readonly { customerId: string; values: MetafieldValues }[]) {
  for (let start = 0; start < written.length; start += ROWS_PER_STATEMENT) {
    const rows = written.slice(start, start + ROWS_PER_STATEMENT).map(({ customerId, values }) => [customerId, JSON.stringify(values)]);
    await db.$executeRaw`
      ${jsonTable(db, "j", rows, ["text", "text"])}
      UPDATE "CustomerLifecycle" SET "writtenMetafields" = j.c1 FROM j
      WHERE "CustomerLifecycle"."shop" = ${shop} AND "CustomerLifecycle"."customerId" = j.c0`;
  }
}

/**
 * Writes only the fields that changed, packed 25 to a metafieldsSet call across customers (the
 * fewest calls), and deletes fields that lost their value. A customer is recorded as written once
 * all of their fields are, so a retry after a failure redoes only what is left. Customers Shopify
 * refuses are split out of their call (the others' fields are set) and returned with the reason.
 */
export async function writeMetafieldsDirectly(
  db: PrismaClient,
  api: AdminApi,
  shop: string,
  plan: readonly MetafieldPlan[],
): Promise<{ written: number; refused: Map<string, string> }> {
  const removals = plan.filter((entry) => entry.remove.length > 0);
  const identifiers = removals.flatMap((entry) => entry.remove.map((key) => ({ ownerId: customerGid(entry.customerId), namespace: METAFIELD_NAMESPACE, key })));
  for (let start = 0; start < identifiers.length; start += METAFIELDS_PER_SET)
    await deleteMetafields(api, identifiers.slice(start, start + METAFIELDS_PER_SET));
  await markMetafieldsWritten(
    db,
    shop,
    removals.filter((entry) => entry.set.length === 0),
  );

  const refused = new Map<string, string>();
  const entries = new Map(plan.map((entry) => [entry.customerId, entry]));
  const fields = plan.flatMap((entry) =>
    entry.set.map(
      ([key, value]): OwnedMetafield => ({
        owner: entry.customerId,
        input: { ownerId: customerGid(entry.customerId), namespace: METAFIELD_NAMESPACE, key, type: "single_line_text_field", value },
      }),
    ),
  );
  const left = new Map(plan.map((entry) => [entry.customerId, entry.set.length]));
  for (let start = 0; start < fields.length; start += METAFIELDS_PER_SET) {
    const call = fields.slice(start, start + METAFIELDS_PER_SET);
    for (const [customerId, reason] of await setMetafieldsExceptRefused(api, call)) refused.set(customerId, reason);
    const done = call.filter(({ owner }) => {
      const remaining = left.get(owner)! - 1;
      left.set(owner, remaining);
      return remaining === 0 && !refused.has(owner);
    });
    await markMetafieldsWritten(
      db,
      shop,
      done.map(({ owner }) => entries.get(owner)!),
    );
  }
  return { written: plan.length - refused.size, refused };
}

/** The segments we manage: one per stage, per RFM group in use and per value band, each matching our tag. */
export function desiredSegments(settings: LifecycleSettings, rfmGroupsInUse: readonly string[]) {
  const tagSettings = tagSettingsOf(settings);
  const segment = (kind: string, value: string, label: string, tag: string) => ({
    kind,
    value,
    name: `Lifecycle: ${label}`,
    query: `customer_tags CONTAINS '${tag}'`,
  });
  return [
    ...STAGES.map((stage) => segment("stage", stage, stage.replaceAll("_", " "), `${tagSettings.stagePrefix}${stage}`)),
    ...RFM_GROUPS.filter((group) => rfmGroupsInUse.includes(group)).map((group) =>
      segment("rfm", group, `RFM ${group.toLowerCase().replaceAll("_", " ")}`, `${tagSettings.rfmPrefix}${group.toLowerCase()}`),
    ),
    ...VALUE_BANDS.map((band) => segment("value", band, `${band} value`, `${tagSettings.valuePrefix}${band}`)),
  ];
}

/**
 * The segments missing in Shopify or whose query or name changed (e.g. a new tag prefix), with the
 * one we hold if any: those we manage, and one for each RFM group of `rfmGroups` new to us.
 */
export async function staleSegments(db: PrismaClient, shop: string, settings: LifecycleSettings, rfmGroups: readonly string[]) {
  const held = await db.managedSegment.findMany({ where: { shop } });
  const managed = new Map(held.map((segment) => [`${segment.kind}:${segment.value}`, segment]));
  const groups = new Set([...rfmGroups, ...held.filter((segment) => segment.kind === "rfm").map((segment) => segment.value)]);
  return desiredSegments(settings, [...groups]).flatMap((wanted) => {
    const segment = managed.get(`${wanted.kind}:${wanted.value}`);
    return segment && segment.query === wanted.query && segment.name === wanted.name ? [] : [{ wanted, held: segment }];
  });
}

/** Creates the missing segments and updates the changed ones. */
export async function writeSegments(db: PrismaClient, api: AdminApi, shop: string, stale: Awaited<ReturnType<typeof staleSegments>>): Promise<number> {
  for (const { wanted, held } of stale) {
    const segment = held ? await updateSegment(api, held.segmentId, wanted.name, wanted.query) : await createSegment(api, wanted.name, wanted.query);
    await db.managedSegment.upsert({
      where: { shop_kind_value: { shop, kind: wanted.kind, value: wanted.value } },
      create: { shop, kind: wanted.kind, value: wanted.value, segmentId: segment.id, name: segment.name, query: segment.query },
      update: { segmentId: segment.id, name: segment.name, query: segment.query },
    });
  }
  return stale.length;
}
