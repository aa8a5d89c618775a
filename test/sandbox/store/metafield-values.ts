/**
 * Shopify checks that a metafield's value fits its type. The common types are checked here the way
 * Shopify does; the other known types are accepted as given (the app does not write them).
 */
type ValueCheck = (value: string) => string | null;

const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?\d{1,13}(\.\d{1,9})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const URL_SCHEMES = new Set(["http:", "https:", "mailto:", "sms:", "tel:"]);

const CHECKED: Record<string, ValueCheck> = {
  single_line_text_field: (value) => (/[\r\n]/.test(value) ? "Value must be a single line of text." : null),
  multi_line_text_field: () => null,
  number_integer: (value) =>
    INTEGER.test(value) && Number.isSafeInteger(Number(value)) ? null : "Value must be an integer.",
  number_decimal: (value) => (DECIMAL.test(value) ? null : "Value must be a decimal number."),
  boolean: (value) => (value === "true" || value === "false" ? null : "Value must be true or false."),
  json: (value) => (parsesAsJson(value) ? null : "Value must be valid JSON."),
  date: (value) => (DATE.test(value) && isRealDate(`${value}T00:00:00Z`) ? null : "Value must be a date in ISO 8601 format (YYYY-MM-DD)."),
  date_time: (value) =>
    DATE_TIME.test(value) && isRealDate(value) ? null : "Value must be a date and time in ISO 8601 format.",
  url: (value) => (isAllowedUrl(value) ? null : "Value must be a URL with an http, https, mailto, sms or tel scheme."),
  color: (value) => (/^#[0-9a-fA-F]{6}$/.test(value) ? null : "Value must be a hexadecimal color code (#RRGGBB)."),
};

const ACCEPTED_AS_GIVEN = new Set([
  "rich_text_field", "money", "rating", "weight", "volume", "dimension", "link", "id", "language",
  "product_reference", "variant_reference", "collection_reference", "customer_reference", "company_reference",
  "file_reference", "metaobject_reference", "mixed_reference", "page_reference", "order_reference",
  "product_taxonomy_value_reference",
]);

export function isKnownMetafieldType(type: string): boolean {
  const base = type.startsWith("list.") ? type.slice("list.".length) : type;
  return base in CHECKED || ACCEPTED_AS_GIVEN.has(base);
}

/** Why `value` does not fit `type`, or null when it does. The type must be known. */
export function metafieldValueProblem(type: string, value: string): string | null {
  if (!type.startsWith("list.")) return CHECKED[type]?.(value) ?? null;
  const check = CHECKED[type.slice("list.".length)];
  let items: unknown;
  try {
    items = JSON.parse(value);
  } catch {
    return "Value must be a JSON array.";
  }
  if (!Array.isArray(items)) return "Value must be a JSON array.";
  if (!check) return null;
  for (const item of items) {
    const problem = check(String(item));
    if (problem) return `Every list item: ${problem}`;
  }
  return null;
}

function parsesAsJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

function isRealDate(value: string): boolean {
  return !Number.isNaN(new Date(value).getTime());
}

function isAllowedUrl(value: string): boolean {
  try {
    return URL_SCHEMES.has(new URL(value).protocol);
  } catch {
    return false;
  }
}
