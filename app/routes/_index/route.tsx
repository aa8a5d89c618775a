import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { createTranslator } from "~/i18n/i18n";
import { localeFromRequest } from "~/i18n/request.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app URL with ?shop=…; send it into the embedded app.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  const t = createTranslator(localeFromRequest(request));
  return {
    heading: t("landing.heading"),
    tagline: t("landing.tagline"),
    shopLabel: t("login.shopLabel"),
    shopHelp: t("login.shopHelp"),
    submit: t("login.submit"),
  };
};

export default function Landing() {
  const text = useLoaderData<typeof loader>();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "10vh auto", padding: "0 1rem" }}>
      <h1>{text.heading}</h1>
      <p>{text.tagline}</p>
      <Form method="post" action="/auth/login">
        <label>
          <span>{text.shopLabel}</span>{" "}
          <input type="text" name="shop" placeholder={text.shopHelp} />
        </label>{" "}
        <button type="submit">{text.submit}</button>
      </Form>
    </main>
  );
}
