/** The recompute benchmark's measured side: one full recompute in a process of its own. */
import { createPrismaClient } from "~/db.server";
import { recomputeShop } from "~/lifecycle-models/recompute.server";
import { peakRssMb } from "./peak-rss";
import { BENCH_SHOP } from "./recompute";

const db = createPrismaClient(process.env.DATABASE_URL!);
const started = performance.now();
const result = await recomputeShop(db, BENCH_SHOP, new Date());
const seconds = (performance.now() - started) / 1000;
await db.$disconnect();
process.send?.({ seconds, peak_rss_mb: peakRssMb(), ...result });
