import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/** How often a page that follows work in progress (an import, a recompute) reloads its data. */
export const POLLING_INTERVAL_MS = 2_000;

/** While `active`, the page reloads its loader's data every `intervalMs`, skipping a beat while a reload is under way. */
export function usePolling(active: boolean, intervalMs = POLLING_INTERVAL_MS) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, revalidator]);
}
