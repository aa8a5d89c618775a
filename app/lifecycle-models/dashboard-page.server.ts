import prisma from "~/db.server";
import { dashboardData } from "./dashboard.server";
import { lifecycleSummary } from "./summary.server";

/** The dashboard over the last `periodDays` days, with the lifecycle summary (rhythm, write-back state and its dry run). */
export async function loadDashboard(shop: string, periodDays: number) {
  const [dashboard, lifecycle] = await Promise.all([dashboardData(prisma, shop, periodDays), lifecycleSummary(prisma, shop)]);
  return { dashboard, lifecycle };
}
