import { z } from "zod";
import type { MessageKey } from "~/i18n/i18n";

/**
 * The loyalty programme's settings form as posted (strings; checkboxes "on" or absent). Errors are
 * message keys shown beside their fields in the merchant's language.
 */

const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const number = (min: number, max: number, message: MessageKey, integer = false) => {
  const base = z.coerce.number({ message }).min(min, { message }).max(max, { message });
  return z.preprocess(blank, integer ? base.int({ message }) : base);
};
const checkbox = z.preprocess((value) => value === "on" || value === "true", z.boolean());

export const LoyaltySettingsForm = z.object({
  enabled: checkbox,
  pointsPerUnit: number(0.01, 100, "loyalty.errors.pointsPerUnit"),
  basis: z.enum(["subtotal", "total"], { message: "loyalty.errors.basis" satisfies MessageKey }),
  pendingDays: number(0, 365, "loyalty.errors.pendingDays", true),
  // Blank: points never expire.
  expiryMonths: z.preprocess(
    blank,
    z.coerce
      .number({ message: "loyalty.errors.expiryMonths" })
      .int({ message: "loyalty.errors.expiryMonths" })
      .min(1, { message: "loyalty.errors.expiryMonths" })
      .max(60, { message: "loyalty.errors.expiryMonths" })
      .optional(),
  ),
  pointsPerReward: number(1, 1_000_000, "loyalty.errors.pointsPerReward", true),
  // In the shop currency's major units ("5.00"); stored in minor units.
  rewardValue: number(0.01, 100_000, "loyalty.errors.rewardValue"),
  referrerPoints: number(0, 1_000_000, "loyalty.errors.referrerPoints", true),
  returnWindowDays: number(0, 365, "loyalty.errors.returnWindowDays", true),
  friendDiscountPercent: number(1, 100, "loyalty.errors.friendDiscountPercent"),
  // The friend's order must reach this subtotal (major units, "20.00") to pay the referrer; stored in minor units.
  referralMinOrder: number(0, 100_000, "loyalty.errors.referralMinOrder"),
  // Orders from this day earn points; moving it back awards past orders.
  earnSince: z
    .string({ message: "loyalty.errors.earnSince" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "loyalty.errors.earnSince" })
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), { message: "loyalty.errors.earnSince" }),
});

export type LoyaltySettingsFormValues = z.infer<typeof LoyaltySettingsForm>;
export type LoyaltySettingsFormErrors = Partial<Record<keyof LoyaltySettingsFormValues, MessageKey>>;

export function parseLoyaltySettingsForm(form: Record<string, unknown>): { values: LoyaltySettingsFormValues } | { errors: LoyaltySettingsFormErrors } {
  const parsed = LoyaltySettingsForm.safeParse(form);
  if (parsed.success) return { values: parsed.data };
  const errors: LoyaltySettingsFormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof LoyaltySettingsFormValues;
    errors[field] ??= (issue.message.startsWith("loyalty.errors.") ? issue.message : "loyalty.errors.invalid") as MessageKey;
  }
  return { errors };
}
