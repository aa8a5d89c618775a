import type { LoaderFunctionArgs } from "@remix-run/node";
import { createTranslator, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/request.server";
import { CustomerListQuery } from "~/lifecycle-models/customer-list.server";
import { customerExport } from "~/lifecycle-models/customer-pages.server";
import { csvStream, decimalFromMinor } from "~/lifecycle-models/csv";
import { shopDay } from "~/lifecycle-models/recompute.server";
import { authenticate } from "~/shopify.server";
import { currencyFractionDigits } from "~/money";

/** The customer list, with the list page's filters, search and sort, as a CSV download streamed page by page. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  // The list page's own parameters but its cursor: the export starts from the first customer.
  const ours = Object.fromEntries(["stage", "rfm", "band", "q", "sort"].flatMap((key) => (params.get(key) ? [[key, params.get(key)]] : [])));
  const query = CustomerListQuery.safeParse(ours);
  if (!query.success) {
    const problems = query.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    return new Response(`Invalid export filter: ${problems}`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const filters = query.data;

  const t = createTranslator(localeFromRequest(request));
  const { currencyCode, timeZone, rows } = await customerExport(session.shop, filters);
  const digits = currencyFractionDigits(currencyCode);
  const adminCustomers = `https://admin.shopify.com/store/${session.shop.replace(/\.myshopify\.com$/, "")}/customers`;

  const header = [
    t("customers.csv.id"),
    t("customers.csv.name"),
    t("customers.csv.email"),
    t("customers.csv.stage"),
    t("customers.csv.rfm"),
    t("customers.csv.band"),
    t("customers.csv.orders"),
    t("customers.csv.revenue", { currency: currencyCode }),
    t("customers.csv.lastPurchase"),
    t("customers.csv.adminUrl"),
  ];
  async function* records() {
    for await (const row of rows) {
      yield [
        row.customerId,
        row.name,
        row.email,
        t(`lifecycle.stage.${row.stage}` as MessageKey),
        row.rfmGroup,
        t(`lifecycle.band.${row.valueBand}` as MessageKey),
        row.purchases,
        decimalFromMinor(row.trailingYearRevenueMinor, digits),
        row.lastPurchaseAt ? shopDay(row.lastPurchaseAt, timeZone) : null,
        `${adminCustomers}/${row.customerId}`,
      ];
    }
  }

  const filename = `customers-${filters.stage ?? "all"}-${shopDay(new Date(), timeZone)}.csv`;
  return new Response(csvStream(header, records(), { signal: request.signal }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
};
