import type { LoyaltyAppInstallationQuery } from "~/types/admin.generated";
import type { AdminApi } from "./client.server";
import { setMetafields } from "./metafields.server";

export const APP_INSTALLATION_QUERY = `#graphql
  query LoyaltyAppInstallation {
    currentAppInstallation {
      id
    }
  }
`;

/** An app-data metafield: owned by our installation on the shop, readable in themes as `app.metafields.<namespace>.<key>`. */
export interface AppDataMetafield {
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** Writes app-data metafields on our installation (Shopify's way for an app to tell its theme blocks something). */
export async function setAppDataMetafields(api: AdminApi, metafields: readonly AppDataMetafield[]) {
  const data = await api.request<LoyaltyAppInstallationQuery>(APP_INSTALLATION_QUERY);
  const ownerId = data.currentAppInstallation.id;
  await setMetafields(
    api,
    metafields.map((metafield) => ({ ownerId, ...metafield })),
  );
}
