import type { Page } from "playwright-core";
import type { RunningDemo } from "./demo";

/** The sandbox admin's customer list (Shopify admin's Customers), beside the app's admin page. */
export function sandboxCustomersUrl(demo: Pick<RunningDemo, "adminUrl">): string {
  return new URL("customers", demo.adminUrl.replace(/apps\/[^/]+$/, "")).href;
}

/** Opens a customer's page in the sandbox admin as a merchant does: the customer list, page by page, then their name. */
export async function openSandboxCustomer(store: Page, demo: Pick<RunningDemo, "adminUrl">, customerId: string): Promise<void> {
  await store.goto(sandboxCustomersUrl(demo));
  const row = store.locator(`tr[data-customer-id="${customerId}"]`);
  while ((await row.count()) === 0) {
    const next = store.getByRole("link", { name: "Next page" });
    if ((await next.count()) === 0) throw new Error(`The sandbox admin lists no customer ${customerId}`);
    await Promise.all([store.waitForURL(/[?&]page=\d+/), next.click()]);
  }
  await Promise.all([store.waitForURL(new RegExp(`/customers/${customerId}$`)), row.getByRole("link").click()]);
}

/** Every customer's tags as the sandbox admin lists them (all pages), by customer id. */
export async function sandboxCustomerTags(store: Page, demo: Pick<RunningDemo, "adminUrl">): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  let url: string | null = sandboxCustomersUrl(demo);
  while (url) {
    await store.goto(url);
    const rows = await store
      .locator("tr[data-customer-id]")
      .evaluateAll((elements) =>
        elements.map((row) => [row.getAttribute("data-customer-id") ?? "", [...row.querySelectorAll("[data-tags] .tag")].map((tag) => tag.textContent ?? "")] as const),
      );
    for (const [id, held] of rows) tags.set(id, held);
    const next = store.getByRole("link", { name: "Next page" });
    url = (await next.count()) ? new URL((await next.getAttribute("href"))!, store.url()).href : null;
  }
  return tags;
}
