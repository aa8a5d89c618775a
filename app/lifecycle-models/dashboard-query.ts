import { z } from "zod";

/** The periods the dashboard's conversion covers, in days, and its query string. */
export const DASHBOARD_PERIODS = ["30", "90", "365"] as const;
export const DashboardQuery = z.object({ period: z.enum(DASHBOARD_PERIODS).default("90") });
