import { useNavigation } from "@remix-run/react";
import { useFormatters } from "~/hooks/use-formatters";

/** Dates in the shop's time zone, in the admin's language. */
export function useWhen(timeZone: string) {
  const formats = useFormatters();
  return (iso: string) => formats.dateTime(iso, timeZone);
}

/** Whether the form being submitted is this one (its intent and, for a row, its id). */
export function useSubmitting() {
  const navigation = useNavigation();
  return (intent: string, field?: string, id?: number | string) =>
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    (field === undefined || navigation.formData.get(field) === String(id));
}
