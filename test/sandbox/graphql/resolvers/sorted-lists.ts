import type { SandboxShopApi } from "../../store/shop-api";
import { compareKeys, type SortValue } from "../connection";

const caches = new WeakMap<SandboxShopApi, Map<string, readonly unknown[]>>();

/**
 * A shop-wide list (customers, orders) in a sort order, kept until the shop changes: paging
 * through 100,000 customers by UPDATED_AT must not sort them again for every page.
 */
export function sortedList<T>(
  shop: SandboxShopApi,
  key: string,
  items: readonly T[],
  sortValue: (item: T) => SortValue,
  idOf: (item: T) => number,
): readonly T[] {
  let cache = caches.get(shop);
  if (!cache) {
    const fresh = new Map<string, readonly unknown[]>();
    shop.onChange(() => fresh.clear());
    caches.set(shop, fresh);
    cache = fresh;
  }
  const cached = cache.get(key) as readonly T[] | undefined;
  // A list that grew or shrank without a change event (e.g. replaced data) is sorted afresh.
  if (cached && cached.length === items.length) return cached;
  const sorted = [...items].sort((a, b) => compareKeys(sortValue(a), idOf(a), sortValue(b), idOf(b)));
  cache.set(key, sorted);
  return sorted;
}
