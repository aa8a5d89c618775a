import prisma from "~/db.server";

/** The Shopify segments the app manages, each with how many customers we place in it and its path in Shopify admin. */
export async function loadManagedSegments(shop: string) {
  const [segments, stages, groups, bands] = await Promise.all([
    prisma.managedSegment.findMany({ where: { shop }, orderBy: [{ kind: "asc" }, { name: "asc" }] }),
    prisma.customerLifecycle.groupBy({ by: ["stage"], where: { shop }, _count: { _all: true } }),
    prisma.customerLifecycle.groupBy({ by: ["rfmGroup"], where: { shop }, _count: { _all: true } }),
    prisma.customerLifecycle.groupBy({ by: ["valueBand"], where: { shop }, _count: { _all: true } }),
  ]);
  const counts = new Map<string, number>([
    ...stages.map((row) => [`stage:${row.stage}`, row._count._all] as const),
    ...groups.map((row) => [`rfm:${row.rfmGroup}`, row._count._all] as const),
    ...bands.map((row) => [`value:${row.valueBand}`, row._count._all] as const),
  ]);
  return segments.map((segment) => ({
    key: `${segment.kind}:${segment.value}`,
    name: segment.name,
    query: segment.query,
    // Ours: the customers we tag for it (Shopify counts them once the tags are written). Other segments: Shopify's own rule.
    customers: counts.get(`${segment.kind}:${segment.value}`) ?? null,
    adminPath: `shopify://admin/customers/segments/${segment.segmentId.split("/").pop()}`,
  }));
}
