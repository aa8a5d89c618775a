import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider as PolarisAppProvider } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import enPolaris from "@shopify/polaris/locales/en.json";
import frPolaris from "@shopify/polaris/locales/fr.json";
import plPolaris from "@shopify/polaris/locales/pl.json";
import { boundary } from "@shopify/shopify-app-remix/server";
import { PolarisLink } from "~/components/PolarisLink";
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
    <>
      {/* App Bridge supplies session tokens, navigation, toasts and the save bar inside Shopify admin. */}
      <script src={appBridgeUrl} data-api-key={apiKey} />
      <PolarisAppProvider i18n={polarisTranslations[locale]} linkComponent={PolarisLink}>
        <I18nProvider locale={locale}>
          <AppNavigation />
          <Outlet />
        </I18nProvider>
      </PolarisAppProvider>
    </>
  );
}

function AppNavigation() {
  const { t } = useI18n();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.home")}
      </Link>
    </NavMenu>
  );
}

// Shopify needs Remix to catch some thrown responses so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
