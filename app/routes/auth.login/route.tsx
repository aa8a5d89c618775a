import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import enPolaris from "@shopify/polaris/locales/en.json";
import { useState } from "react";
import { createTranslator, type MessageKey } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/request.server";
import { login } from "~/shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

/** login() answers a redirect into OAuth for a valid shop, or which field is wrong. */
async function loginErrors(request: Request) {
  const t = createTranslator(localeFromRequest(request));
  const errors = await login(request);
  const keys: Partial<Record<string, MessageKey>> = { MISSING_SHOP: "login.errors.missingShop", INVALID_SHOP: "login.errors.invalidShop" };
  const key = errors.shop ? keys[errors.shop] : undefined;
  return { shopError: key ? t(key) : undefined };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const t = createTranslator(localeFromRequest(request));
  return {
    ...(await loginErrors(request)),
    text: { title: t("login.title"), shopLabel: t("login.shopLabel"), shopHelp: t("login.shopHelp"), submit: t("login.submit") },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => loginErrors(request);

export default function Login() {
  const { text, shopError: loaderError } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  return (
    <AppProvider i18n={enPolaris}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h1">
                {text.title}
              </Text>
              <TextField
                type="text"
                name="shop"
                label={text.shopLabel}
                helpText={text.shopHelp}
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={actionData?.shopError ?? loaderError}
              />
              <Button submit>{text.submit}</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
