import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import enPolaris from "@shopify/polaris/locales/en.json";
import frPolaris from "@shopify/polaris/locales/fr.json";
import plPolaris from "@shopify/polaris/locales/pl.json";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { I18nProvider, useI18n } from "~/i18n/react";
import { localeFromRequest } from "~/i18n/request.server";
import { env } from "~/env.server";
import { authenticate } from "~/shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

const polarisTranslations = { en: enPolaris, fr: frPolaris, pl: plPolaris };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return {
    apiKey: env().SHOPIFY_API_KEY,
    appBridgeUrl: env().APP_BRIDGE_URL,
    locale: localeFromRequest(request),
  };
};

export default function AppLayout() {
  const { apiKey, appBridgeUrl, locale } = useLoaderData<typeof loader>();
  return (
    // App Bridge supplies session tokens, navigation, toasts and the save bar inside Shopify admin;
    // APP_BRIDGE_URL points it at the sandbox's stand-in when there is no Shopify admin.
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={polarisTranslations[locale]} __APP_BRIDGE_URL={appBridgeUrl}>
      <I18nProvider locale={locale}>
        <AppNavigation />
        <Outlet />
      </I18nProvider>
    </AppProvider>
  );
}

function AppNavigation() {
  const { t } = useI18n();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.home")}
      </Link>
      <Link to="/app/customers">{t("nav.customers")}</Link>
      <Link to="/app/segments">{t("nav.segments")}</Link>
      <Link to="/app/loyalty">{t("nav.loyalty")}</Link>
      <Link to="/app/settings">{t("nav.settings")}</Link>
      <Link to="/app/sync">{t("nav.sync")}</Link>
      <Link to="/app/data-requests">{t("nav.dataRequests")}</Link>
    </NavMenu>
  );
}

// Shopify needs Remix to catch some thrown responses so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
