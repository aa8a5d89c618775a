import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { loadDataRequestExport } from "~/compliance/data-request-pages.server";
import { shopDay } from "~/lifecycle-models/recompute.server";
import { authenticate } from "~/shopify.server";

// Database ids: digits only, within a 32-bit integer.
const RequestId = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

const notFound = () => new Response("No such data request", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** One customers/data_request's export, as the JSON file the merchant sends to the customer. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = RequestId.safeParse(params.requestId);
  if (!id.success) return notFound();
  const held = await loadDataRequestExport(session.shop, id.data);
  if (!held?.export) return notFound();
  // Stored as SQLite wrote it: ids in raw payloads exact, which parsing and printing it again would not keep.
  return new Response(held.export, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-${held.customerId}-data-${shopDay(held.requestedAt, null)}.json"`,
      "Cache-Control": "no-store",
    },
  });
};
