import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive.server";

// Every subscription in shopify.app.toml points at /webhooks/<topic>; all share one inbox.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request);
