import { z } from "zod";
import type { MessageKey } from "~/i18n/i18n";

/**
 * The lifecycle settings form as posted: every field a string (checkboxes "on" or absent). Errors
 * are message keys, so the page shows them in the merchant's language next to the field.
 */

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const integerSchema = (min: number, max: number, message: MessageKey) =>
  z.coerce.number({ message }).int({ message }).min(min, { message }).max(max, { message });
const integer = (min: number, max: number, message: MessageKey) => z.preprocess(blankToUndefined, integerSchema(min, max, message));
// Blank means "not set": undefined reaches optional() before any coercion.
const optionalInteger = (min: number, max: number, message: MessageKey) => z.preprocess(blankToUndefined, integerSchema(min, max, message).optional());
const decimal = (min: number, max: number, message: MessageKey) =>
  z.preprocess(blankToUndefined, z.coerce.number({ message }).min(min, { message }).max(max, { message }));
// Shopify tags cannot hold commas; ours start with a short prefix the merchant recognises.
const tagPrefix = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,18}[:_-]$/, { message: "settings.errors.tagPrefix" satisfies MessageKey });
const checkbox = z.preprocess((value) => value === "on" || value === "true", z.boolean());

export const LifecycleSettingsForm = z
  .object({
    // Blank: the store's own rhythm decides.
    repurchaseIntervalDays: optionalInteger(1, 730, "settings.errors.interval"),
    lapseAfterDays: optionalInteger(2, 1825, "settings.errors.lapse"),
    atRiskMultiple: decimal(1.2, 10, "settings.errors.atRiskMultiple"),
    loyalMinOrders: integer(2, 20, "settings.errors.loyalMinOrders"),
    // Percentages in the form, shares in the database.
    valueLargePercent: decimal(1, 90, "settings.errors.valueShare"),
    valueMediumPercent: decimal(0, 90, "settings.errors.valueShare"),
    stageTagPrefix: tagPrefix,
    rfmTagPrefix: tagPrefix,
    valueTagPrefix: tagPrefix,
    writeTags: checkbox,
    writeMetafields: checkbox,
    writeSegments: checkbox,
  })
  .superRefine((form, context) => {
    if (form.repurchaseIntervalDays !== undefined && form.lapseAfterDays !== undefined && form.lapseAfterDays <= form.repurchaseIntervalDays) {
      context.addIssue({ code: "custom", path: ["lapseAfterDays"], message: "settings.errors.lapseAfterInterval" satisfies MessageKey });
    }
    if (form.valueLargePercent + form.valueMediumPercent >= 100) {
      context.addIssue({ code: "custom", path: ["valueMediumPercent"], message: "settings.errors.valueShareSum" satisfies MessageKey });
    }
    const prefixes = [form.stageTagPrefix, form.rfmTagPrefix, form.valueTagPrefix];
    // A prefix inside another would make one kind's tags look like the other's.
    for (const [index, prefix] of prefixes.entries()) {
      if (prefixes.some((other, otherIndex) => otherIndex !== index && (other.startsWith(prefix) || prefix.startsWith(other)))) {
        context.addIssue({
          code: "custom",
          path: [(["stageTagPrefix", "rfmTagPrefix", "valueTagPrefix"] as const)[index]!],
          message: "settings.errors.tagPrefixDistinct" satisfies MessageKey,
        });
      }
    }
    // Our segments select customers by our tags.
    if (form.writeSegments && !form.writeTags) {
      context.addIssue({ code: "custom", path: ["writeSegments"], message: "settings.errors.segmentsNeedTags" satisfies MessageKey });
    }
  });

export type LifecycleSettingsFormValues = z.infer<typeof LifecycleSettingsForm>;
export type LifecycleSettingsFormErrors = Partial<Record<keyof LifecycleSettingsFormValues, MessageKey>>;

/** The form parsed, or each field's first error. */
export function parseLifecycleSettingsForm(form: Record<string, unknown>): { values: LifecycleSettingsFormValues } | { errors: LifecycleSettingsFormErrors } {
  const parsed = LifecycleSettingsForm.safeParse(form);
  if (parsed.success) return { values: parsed.data };
  const errors: LifecycleSettingsFormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof LifecycleSettingsFormValues;
    errors[field] ??= (issue.message.startsWith("settings.errors.") ? issue.message : "settings.errors.invalid") as MessageKey;
  }
  return { errors };
}
