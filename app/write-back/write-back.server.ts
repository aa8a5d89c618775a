import type { LifecycleSettings, PrismaClient } from "@prisma/client";
import type { AdminApi } from "~/admin-api/client.server";
import { deleteMetafields, ensureMetafieldDefinition, METAFIELDS_PER_SET, setMetafields } from "~/admin-api/metafields.server";
import { createSegment, updateSegment } from "~/admin-api/segments.server";
import { addCustomerTags, removeCustomerTags } from "~/admin-api/tags.server";
import { STAGES } from "~/lifecycle/model";
import { RFM_GROUPS } from "~/lifecycle/rfm";
import { lifecycleTags, splitTags, tagChanges, type TagSettings } from "~/lifecycle/tags";
import { VALUE_BANDS } from "~/lifecycle/value-band";
import { lifecycleSettings } from "~/lifecycle-store/settings.server";

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

interface Candidate {
  customerId: string;
  tags: string;
  stage: string;
  rfmGroup: string;
  valueBand: string;
  recency: number | null;
  frequency: number | null;
  monetary: number | null;
  writtenMetafields: string | null;
}

export const tagSettingsOf = (settings: LifecycleSettings): TagSettings => ({
  stagePrefix: settings.stageTagPrefix,
  rfmPrefix: settings.rfmTagPrefix,
  valuePrefix: settings.valueTagPrefix,
});

async function candidates(db: PrismaClient, shop: string): Promise<Candidate[]> {
  return db.$queryRaw<Candidate[]>`
    SELECT l."customerId", c."tags", l."stage", l."rfmGroup", l."valueBand", l."recency", l."frequency", l."monetary", l."writtenMetafields"
    FROM "CustomerLifecycle" l JOIN "Customer" c ON c."shop" = l."shop" AND c."id" = l."customerId"
    WHERE l."shop" = ${shop}
    ORDER BY l."customerId"`;
}

export interface TagPlan {
  customerId: string;
  current: string[];
  add: string[];
  remove: string[];
}

/** Which customers need which of our tags added or removed; customers already in step are left out. */
export async function planTags(db: PrismaClient, shop: string, settings: LifecycleSettings): Promise<TagPlan[]> {
  const tagSettings = tagSettingsOf(settings);
  // Tags under a prefix the merchant has since changed are ours too: they go.
  const prefixes = [tagSettings.stagePrefix, tagSettings.rfmPrefix, tagSettings.valuePrefix, ...(JSON.parse(settings.retiredTagPrefixes) as string[])];
  return (await candidates(db, shop)).flatMap((row) => {
    const current = splitTags(row.tags);
    const { add, remove } = tagChanges(current, lifecycleTags(row, tagSettings), prefixes);
    return add.length || remove.length ? [{ customerId: row.customerId, current, add, remove }] : [];
  });
}

/** The dry run shown before the first write: how many customers would get each tag, and lose each of ours. */
export async function dryRun(db: PrismaClient, shop: string) {
  const settings = await lifecycleSettings(db, shop);
  const plan = await planTags(db, shop, settings);
  const added = new Map<string, number>();
  const removed = new Map<string, number>();
  for (const entry of plan) {
    for (const tag of entry.add) added.set(tag, (added.get(tag) ?? 0) + 1);
    for (const tag of entry.remove) removed.set(tag, (removed.get(tag) ?? 0) + 1);
  }
  const sorted = (counts: Map<string, number>) =>
    [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag, customers]) => ({ tag, customers }));
  return { customers: plan.length, added: sorted(added), removed: sorted(removed) };
}

export const customerGid = (customerId: string) => `gid://shopify/Customer/${customerId}`;
const gid = customerGid;

/**
 * Brings Shopify's tags in step with the lifecycle, customer by customer, through tagsAdd and
 * tagsRemove (only our own tags, only customers that changed). The local copy of the customer's
 * tags is updated as each write succeeds, so a retry after a failure continues where it stopped.
 */
export async function writeTagsDirectly(db: PrismaClient, api: AdminApi, shop: string, plan: readonly TagPlan[]): Promise<number> {
  for (const entry of plan) {
    if (entry.add.length) await addCustomerTags(api, gid(entry.customerId), entry.add);
    if (entry.remove.length) await removeCustomerTags(api, gid(entry.customerId), entry.remove);
    const removed = new Set(entry.remove.map((tag) => tag.toLowerCase()));
    const tags = [...entry.current.filter((tag) => !removed.has(tag.toLowerCase())), ...entry.add].join(", ");
    await db.customer.updateMany({ where: { shop, id: entry.customerId }, data: { tags } });
  }
  return plan.length;
}

type MetafieldKey = (typeof LIFECYCLE_METAFIELDS)[number]["key"];
/** Our metafield values for a customer; "" for a field the customer has no value for (a prospect's scores). */
export type MetafieldValues = Record<MetafieldKey, string>;

function metafieldValues(row: Candidate): MetafieldValues {
  return {
    stage: row.stage,
    rfm_group: row.rfmGroup,
    rfm_scores: row.recency === null ? "" : `${row.recency}${row.frequency}${row.monetary}`,
    value_band: row.valueBand,
  };
}

export interface MetafieldPlan {
  customerId: string;
  /** Everything as it should be once written (stored as what was written). */
  values: MetafieldValues;
  /** Fields whose value changed since the last write. */
  set: [key: MetafieldKey, value: string][];
  /** Fields written before that now have no value: deleted, not left stale. */
  remove: MetafieldKey[];
}

/** Which customers' metafields differ from what we last wrote, field by field; customers in step are left out. */
export async function planMetafields(db: PrismaClient, shop: string): Promise<MetafieldPlan[]> {
  return (await candidates(db, shop)).flatMap((row) => {
    const values = metafieldValues(row);
    const written = (row.writtenMetafields ? JSON.parse(row.writtenMetafields) : {}) as Partial<MetafieldValues>;
    const keys = Object.keys(values) as MetafieldKey[];
    const set = keys.filter((key) => values[key] !== "" && values[key] !== written[key]).map((key): [MetafieldKey, string] => [key, values[key]]);
    const remove = keys.filter((key) => values[key] === "" && (written[key] ?? "") !== "");
    return set.length || remove.length ? [{ customerId: row.customerId, values, set, remove }] : [];
  });
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
  for (let start = 0; start < written.length; start += 500) {
    await db.$transaction(
      written
        .slice(start, start + 500)
        .map(({ customerId, values }) => db.customerLifecycle.updateMany({ where: { shop, customerId }, data: { writtenMetafields: JSON.stringify(values) } })),
    );
  }
}

/**
 * Writes only the fields that changed, packed 25 to a metafieldsSet call across customers (the
 * fewest calls), and deletes fields that lost their value. A customer is recorded as written once
 * all of their fields are, so a retry after a failure redoes only what is left.
 */
export async function writeMetafieldsDirectly(db: PrismaClient, api: AdminApi, shop: string, plan: readonly MetafieldPlan[]): Promise<number> {
  const removals = plan.filter((entry) => entry.remove.length > 0);
  const identifiers = removals.flatMap((entry) => entry.remove.map((key) => ({ ownerId: gid(entry.customerId), namespace: METAFIELD_NAMESPACE, key })));
  for (let start = 0; start < identifiers.length; start += METAFIELDS_PER_SET)
    await deleteMetafields(api, identifiers.slice(start, start + METAFIELDS_PER_SET));
  await markMetafieldsWritten(
    db,
    shop,
    removals.filter((entry) => entry.set.length === 0),
  );

  const fields = plan.flatMap((entry) => entry.set.map(([key, value]) => ({ entry, key, value })));
  const left = new Map(plan.map((entry) => [entry.customerId, entry.set.length]));
  for (let start = 0; start < fields.length; start += METAFIELDS_PER_SET) {
    const call = fields.slice(start, start + METAFIELDS_PER_SET);
    await setMetafields(
      api,
      call.map(({ entry, key, value }) => ({ ownerId: gid(entry.customerId), namespace: METAFIELD_NAMESPACE, key, type: "single_line_text_field", value })),
    );
    const done = call.filter(({ entry }) => {
      const remaining = left.get(entry.customerId)! - 1;
      left.set(entry.customerId, remaining);
      return remaining === 0;
    });
    await markMetafieldsWritten(
      db,
      shop,
      done.map(({ entry }) => entry),
    );
  }
  return plan.length;
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

/** The segments missing in Shopify or whose query or name changed (e.g. a new tag prefix), with the one we hold if any. */
export async function staleSegments(db: PrismaClient, shop: string, settings: LifecycleSettings) {
  const groups = await db.customerLifecycle.groupBy({ by: ["rfmGroup"], where: { shop } });
  const managed = new Map((await db.managedSegment.findMany({ where: { shop } })).map((segment) => [`${segment.kind}:${segment.value}`, segment]));
  return desiredSegments(
    settings,
    groups.map((group) => group.rfmGroup),
  ).flatMap((wanted) => {
    const held = managed.get(`${wanted.kind}:${wanted.value}`);
    return held && held.query === wanted.query && held.name === wanted.name ? [] : [{ wanted, held }];
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
