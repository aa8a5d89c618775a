/**
 * Renders our theme app extension's Liquid the way a storefront would, with liquidjs and the few
 * Shopify objects and filters the blocks use: `customer` with its app-owned metafields, `app` with
 * its app-data metafields, `routes`, `block`, the `t` filter over the extension's locales (with
 * plural forms) and `money`; and the schema's `available_if`, which keeps a block from rendering at
 * all unless the app-data metafield it names is true. What the blocks need beyond this fails loudly
 * (strict variables and filters), as the sandbox does elsewhere.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Liquid, Tag, type Context, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";

type MetafieldsByNamespace = Record<string, Record<string, { type: string; value: string }>>;

export interface StorefrontCustomer {
  id: number;
  /** App-owned metafields by the namespace the extension writes (`$app:loyalty`), values as stored. */
  metafields: MetafieldsByNamespace;
}

/** Liquid's `app`: the app-data metafields of our installation on the shop, by namespace. */
export interface LiquidApp {
  metafields: MetafieldsByNamespace;
}

export interface RenderOptions {
  customer: StorefrontCustomer | null;
  app: LiquidApp;
  locale: "en" | "fr" | "pl";
  currencyCode: string;
  /** The storefront's root for this visitor (as Shopify's `routes.root_url`, without a trailing slash). */
  rootUrl: string;
  blockId: string;
  settings: Record<string, unknown>;
}

type Messages = Record<string, unknown>;

function messages(extensionDir: string, locale: string): Messages {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  return JSON.parse(readFileSync(path.join(extensionDir, "locales", file), "utf8")) as Messages;
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

/** Liquid reads a metafield's `.value` (parsed for JSON, a boolean for boolean) and `.type`. */
function liquidMetafields(metafields: MetafieldsByNamespace) {
  return Object.fromEntries(
    Object.entries(metafields).map(([namespace, fields]) => [
      namespace,
      Object.fromEntries(
        Object.entries(fields).map(([key, field]) => [
          key,
          { type: field.type, value: field.type === "json" ? JSON.parse(field.value) : field.type === "boolean" ? field.value === "true" : field.value },
        ]),
      ),
    ]),
  );
}

/**
 * Shopify's `available_if`: a block whose schema names an app-data metafield renders only while
 * that (boolean) metafield is true; a missing one is false.
 */
function isAvailable(source: string, app: LiquidApp): boolean {
  const schema = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source);
  const condition = schema ? (JSON.parse(schema[1]!) as { available_if?: string }).available_if : undefined;
  if (condition === undefined) return true;
  const named = /^\{\{\s*app\.metafields\.([\w-]+)\.([\w-]+)\s*\}\}$/.exec(condition);
  if (!named) throw new Error(`available_if must name an app-data metafield: ${condition}`);
  const field = app.metafields[named[1]!]?.[named[2]!];
  if (field && field.type !== "boolean") throw new Error(`available_if names a ${field.type} metafield; Shopify takes a boolean`);
  return field?.value === "true";
}

export interface ThemeExtension {
  /** Whether Shopify renders the block (and loads its assets) on this shop: its `available_if`. */
  blockAvailable(file: string, app: LiquidApp): boolean;
  /** The block's HTML as the storefront serves it; empty when it is not available. */
  renderBlock(file: string, options: RenderOptions): string;
  /** Where one of the extension's assets/ files is. */
  assetFile(name: string): string;
}

/** A theme app extension on disk (`extensionDir` holds blocks/, locales/ and assets/), rendered as a storefront would. */
export function themeExtension(extensionDir: string): ThemeExtension {
  const blockSource = (file: string) => readFileSync(path.join(extensionDir, "blocks", file), "utf8");
  return {
    blockAvailable: (file, app) => isAvailable(blockSource(file), app),
    renderBlock: (file, options) => renderSource(blockSource(file), messages(extensionDir, options.locale), options),
    assetFile: (name) => path.join(extensionDir, "assets", name),
  };
}

function renderSource(source: string, catalog: Messages, options: RenderOptions): string {
  const engine = new Liquid({ strictFilters: true, jsTruthy: false });
  engine.registerTag("schema", SchemaTag);
  engine.registerFilter("t", (key: string, ...args: unknown[]) => translate(options.locale, catalog, key, keywordArguments(args)));
  engine.registerFilter("money", (minor: number) =>
    new Intl.NumberFormat(options.locale, { style: "currency", currency: options.currencyCode }).format(
      Number(minor) / 10 ** (new Intl.NumberFormat("en", { style: "currency", currency: options.currencyCode }).resolvedOptions().maximumFractionDigits ?? 2),
    ),
  );

  const customer = options.customer && { id: options.customer.id, metafields: liquidMetafields(options.customer.metafields) };
  if (!isAvailable(source, options.app)) return "";
  return engine.parseAndRenderSync(source, {
    customer,
    app: { metafields: liquidMetafields(options.app.metafields) },
    routes: { root_url: options.rootUrl || "/", account_login_url: `${options.rootUrl}/account/login` },
    block: { id: options.blockId, settings: options.settings, shopify_attributes: "" },
  });
}
