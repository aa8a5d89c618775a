import prisma from "~/db.server";
import { requestWriteBack } from "~/jobs/catalogue.server";
import { lifecycleSettings } from "~/lifecycle-models/settings.server";
import { markWriteBackDue } from "./write-back.server";

/**
 * The merchant approves the dashboard's dry run: write-back starts. What was approved is a look at
 * everyone (the dry run): after a prefix change, everyone is re-tagged.
 */
export async function approveWriteBack(shop: string, now: Date) {
  // Made with its defaults if the shop has none yet.
  await lifecycleSettings(prisma, shop);
  await prisma.lifecycleSettings.update({ where: { shop }, data: { writeBackApprovedAt: now } });
  await markWriteBackDue(prisma, shop, "all");
  await requestWriteBack(prisma, shop);
}
