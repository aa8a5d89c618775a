import prisma from "~/db.server";
import { shopProfile } from "~/shops/profile.server";
import { currencyFractionDigits, fromMinorUnits, toMinorUnits } from "~/money";
import { requestLoyaltyMetafields, requestPastOrdersAward } from "~/jobs/catalogue.server";
import { turnProgrammeOff, turnProgrammeOn } from "./programme.server";
import type { LoyaltySettingsFormValues } from "./settings-form";
import { loyaltySettings } from "./settings.server";

/*
 * What the admin's loyalty settings page loads and saves.
 */

/** The settings as the form shows them (amounts in the shop's currency), with the points outstanding and the referrals held. */
export async function loadLoyaltySettingsPage(shop: string) {
  const [settings, currencyCode, accounts, held] = await Promise.all([
    loyaltySettings(prisma, shop),
    shopProfile(prisma, shop).then((profile) => profile.currencyCode),
    prisma.loyaltyAccount.aggregate({ where: { shop }, _sum: { available: true, pending: true }, _count: { _all: true } }),
    prisma.referral.count({ where: { shop, status: "held" } }),
  ]);
  return {
    currencyCode,
    values: {
      enabled: settings.enabled,
      pointsPerUnit: String(settings.pointsPerUnit),
      basis: settings.basis,
      pendingDays: String(settings.pendingDays),
      expiryMonths: settings.expiryMonths?.toString() ?? "",
      pointsPerReward: String(settings.pointsPerReward),
      rewardValue: fromMinorUnits(settings.rewardValueMinor, currencyCode),
      referrerPoints: String(settings.referrerPoints),
      returnWindowDays: String(settings.returnWindowDays),
      friendDiscountPercent: String(settings.friendDiscountPercent),
      referralMinOrder: fromMinorUnits(settings.referralMinOrderMinor, currencyCode),
      earnSince: settings.earnSince.toISOString().slice(0, 10),
    },
    outstanding: { available: accounts._sum.available ?? 0, pending: accounts._sum.pending ?? 0, customers: accounts._count._all },
    heldReferrals: held,
  };
}

/** The onboarding's one action: the programme runs from now on. */
export function turnLoyaltyOn(shop: string, now: Date) {
  return turnProgrammeOn(prisma, shop, now);
}

/**
 * Saves the form and requests what must follow: the past orders' award when the programme's start
 * moved back, and always the storefront's metafields. Returns the saved settings and the follow-ups
 * it requested.
 */
export async function saveLoyaltySettings(shop: string, values: LoyaltySettingsFormValues, now: Date) {
  const { rewardValue, referralMinOrder, expiryMonths, earnSince, enabled, ...rest } = values;
  const { currencyCode } = await shopProfile(prisma, shop);
  const before = await loyaltySettings(prisma, shop);
  const since = new Date(`${earnSince}T00:00:00Z`);
  // The form shows days; a start kept as it was keeps its exact time.
  const earnSinceAt = since.toISOString().slice(0, 10) === before.earnSince.toISOString().slice(0, 10) ? before.earnSince : since;
  const minor = (amount: number) => toMinorUnits(amount.toFixed(currencyFractionDigits(currencyCode)), currencyCode);
  let settings = await prisma.loyaltySettings.update({
    where: { shop },
    data: {
      ...rest,
      expiryMonths: expiryMonths ?? null,
      rewardValueMinor: minor(rewardValue),
      referralMinOrderMinor: minor(referralMinOrder),
      earnSince: earnSinceAt,
    },
  });
  // The form can turn the programme off; it is turned on from the onboarding, which starts it now.
  if (before.enabled && !enabled) settings = await turnProgrammeOff(prisma, shop, now);
  // Moved back: the orders now inside the programme earn (each once; those already earned are untouched).
  const pastOrdersAward = earnSinceAt < before.earnSince;
  if (pastOrdersAward) await requestPastOrdersAward(prisma, shop);
  // What the storefront shows (next reward, friend discount) follows the new rules.
  await requestLoyaltyMetafields(prisma, shop);
  return { settings, followUps: { pastOrdersAward, storefrontMetafields: true as const } };
}
