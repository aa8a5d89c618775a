/**
 * Renders our theme app extension's Liquid the way a storefront would, with liquidjs and the few
 * Shopify objects and filters the blocks use: `customer` with its app-owned metafields, `routes`,
 * `block`, the `t` filter over the extension's locales (with plural forms) and `money`. What the
 * blocks need beyond this fails loudly (strict variables and filters), as the sandbox does elsewhere.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Liquid, Tag, type Context, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";
import { REPO_ROOT } from "../../support/paths";

export const EXTENSION_DIR = path.join(REPO_ROOT, "extensions", "lifecycle-loyalty");

export interface StorefrontCustomer {
  id: number;
  /** App-owned metafields by the namespace the extension writes (`$app:loyalty`), values as stored. */
  metafields: Record<string, Record<string, { type: string; value: string }>>;
}

export interface RenderOptions {
  customer: StorefrontCustomer | null;
  locale: "en" | "fr" | "pl";
  currencyCode: string;
  /** The storefront's root for this visitor (as Shopify's `routes.root_url`, without a trailing slash). */
  rootUrl: string;
  blockId: string;
  settings: Record<string, unknown>;
}

type Messages = Record<string, unknown>;

function messages(locale: string): Messages {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  return JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales", file), "utf8")) as Messages;
}

function lookup(catalog: Messages, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), catalog);
}

/** Shopify's `t`: the key's text (the plural form for `count`), with `{{ name }}` filled in; a missing key is an error. */
function translate(locale: string, catalog: Messages, key: string, values: Record<string, unknown>): string {
  let text = lookup(catalog, key);
  if (text && typeof text === "object") {
    const count = Number(values.count);
    const form = new Intl.PluralRules(locale).select(count);
    text = (text as Record<string, unknown>)[count === 0 && "zero" in text ? "zero" : form] ?? (text as Record<string, unknown>).other;
  }
  if (typeof text !== "string") throw new Error(`Translation missing: ${locale}.${key}`);
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => String(values[name] ?? ""));
}

/** `{% schema %}…{% endschema %}` is for the theme editor: it renders nothing. */
class SchemaTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    while (remainTokens.length) {
      const next = remainTokens.shift()!;
      if ("name" in next && (next as TagToken).name === "endschema") return;
    }
    throw new Error("{% schema %} without {% endschema %}");
  }
  *render(_context: Context, _emitter: Emitter): Generator<unknown, void, unknown> {}
}

/** Keyword arguments reach liquidjs filters as [name, value] pairs. */
function keywordArguments(args: unknown[]): Record<string, unknown> {
  return Object.fromEntries(args.filter((arg): arg is [string, unknown] => Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string"));
}

export function renderBlock(file: string, options: RenderOptions): string {
  const catalog = messages(options.locale);
  const engine = new Liquid({ strictFilters: true, jsTruthy: false });
  engine.registerTag("schema", SchemaTag);
  engine.registerFilter("t", (key: string, ...args: unknown[]) => translate(options.locale, catalog, key, keywordArguments(args)));
  engine.registerFilter("money", (minor: number) =>
    new Intl.NumberFormat(options.locale, { style: "currency", currency: options.currencyCode }).format(
      Number(minor) / 10 ** (new Intl.NumberFormat("en", { style: "currency", currency: options.currencyCode }).resolvedOptions().maximumFractionDigits ?? 2),
    ),
  );

  const customer = options.customer && {
    id: options.customer.id,
    // Liquid reads a metafield's `.value` (parsed for JSON) and `.type`.
    metafields: Object.fromEntries(
      Object.entries(options.customer.metafields).map(([namespace, fields]) => [
        namespace,
        Object.fromEntries(
          Object.entries(fields).map(([key, field]) => [key, { type: field.type, value: field.type === "json" ? JSON.parse(field.value) : field.value }]),
        ),
      ]),
    ),
  };
  const source = readFileSync(path.join(EXTENSION_DIR, "blocks", file), "utf8");
  return engine.parseAndRenderSync(source, {
    customer,
    routes: { root_url: options.rootUrl || "/", account_login_url: `${options.rootUrl}/account/login` },
    block: { id: options.blockId, settings: options.settings, shopify_attributes: "" },
  });
}
