import { appInstallationLegacyId } from "../../store/ids";
import { gid } from "../gid";
import { objectResolvers, typed, type ResolverContext } from "./context";
import { ownerMetafieldFields } from "./metafields";

interface InstallationSource {
  id: number;
}

/** The calling app's installation on the shop (`currentAppInstallation`). */
export function currentAppInstallation(context: ResolverContext): InstallationSource {
  return typed("AppInstallation", { id: appInstallationLegacyId(context.shop.info) });
}

/**
 * What the sandbox models of an app installation: its id and its app-data metafields (owner type
 * API_PERMISSION), which themes read through Liquid's `app` object. Other fields fail loudly.
 */
export const appInstallationResolvers = {
  AppInstallation: objectResolvers<InstallationSource>({
    id: (installation) => gid("AppInstallation", installation.id),
    ...ownerMetafieldFields<InstallationSource>("API_PERMISSION", (installation) => installation.id),
  }),
};
