/**
 * Validation of Shopify's segment query language (the WHERE part of ShopifyQL customer segments)
 * for the filters the product uses: `customer_tags CONTAINS 'vip'`, `number_of_orders >= 2`,
 * `amount_spent > 100.50`, dates (`last_order_date >= -30d`), AND/OR/NOT and parentheses. Errors
 * read like Shopify's: "Query Line 1 Column 6: 'valid' is unexpected." (columns count from 0).
 */

type Kind = "number" | "date" | "list" | "enum" | "text" | "presence";

const FILTERS: Record<string, { kind: Kind; values?: readonly string[] }> = {
  number_of_orders: { kind: "number" },
  amount_spent: { kind: "number" },
  customer_tags: { kind: "list" },
  customer_countries: { kind: "list" },
  customer_cities: { kind: "list" },
  customer_regions: { kind: "list" },
  customer_added_date: { kind: "date" },
  first_order_date: { kind: "date" },
  last_order_date: { kind: "date" },
  abandoned_checkout_date: { kind: "date" },
  email_subscription_status: { kind: "enum", values: ["SUBSCRIBED", "NOT_SUBSCRIBED", "PENDING", "UNSUBSCRIBED", "INVALID"] },
  sms_subscription_status: { kind: "enum", values: ["SUBSCRIBED", "NOT_SUBSCRIBED", "PENDING", "UNSUBSCRIBED", "REDACTED"] },
  customer_account_status: { kind: "enum", values: ["ENABLED", "DISABLED", "INVITED", "DECLINED"] },
  predicted_spend_tier: { kind: "enum", values: ["HIGH", "MEDIUM", "LOW"] },
  rfm_group: {
    kind: "enum",
    values: ["CHAMPIONS", "LOYAL", "ACTIVE", "NEEDS_ATTENTION", "PROMISING", "NEW", "AT_RISK", "PREVIOUSLY_LOYAL", "ALMOST_LOST", "DORMANT", "PROSPECTS"],
  },
  customer_email_domain: { kind: "text" },
  customer_language: { kind: "text" },
  companies: { kind: "presence" },
};

const COMPARISONS = ["=", "!=", "<", "<=", ">", ">="];
const OPERATORS: Record<Kind, readonly string[]> = {
  number: [...COMPARISONS, "BETWEEN"],
  date: [...COMPARISONS, "BETWEEN"],
  list: ["CONTAINS", "NOT CONTAINS"],
  enum: ["=", "!="],
  text: ["=", "!="],
  presence: [],
};

type TokenType = "word" | "string" | "number" | "date" | "operator" | "open" | "close" | "other";

interface Token {
  type: TokenType;
  text: string;
  line: number;
  column: number;
}

const KEYWORDS = new Set(["AND", "OR", "NOT", "CONTAINS", "IS", "NULL", "BETWEEN"]);

class Unexpected extends Error {
  constructor(readonly token: Token | undefined) {
    super("unexpected");
  }
}

/** The userError messages Shopify would answer for `query`; empty when the query is valid. */
export function segmentQueryErrors(query: string): string[] {
  const tokens = tokenize(query);
  const unknownFilters: Token[] = [];
  let position = 0;
  const peek = () => tokens[position];
  const keyword = (word: string) => {
    const token = peek();
    return token?.type === "word" && token.text.toUpperCase() === word;
  };
  const take = () => {
    const token = tokens[position++];
    if (!token) throw new Unexpected(undefined);
    return token;
  };

  const orExpression = (): void => {
    andExpression();
    while (keyword("OR")) {
      position += 1;
      andExpression();
    }
  };
  const andExpression = (): void => {
    unary();
    while (keyword("AND")) {
      position += 1;
      unary();
    }
  };
  const unary = (): void => {
    if (keyword("NOT")) {
      position += 1;
      unary();
      return;
    }
    if (peek()?.type === "open") {
      position += 1;
      orExpression();
      if (peek()?.type !== "close") throw new Unexpected(peek());
      position += 1;
      return;
    }
    clause();
  };
  const clause = (): void => {
    const name = take();
    if (name.type !== "word" || KEYWORDS.has(name.text.toUpperCase())) throw new Unexpected(name);
    const filter = FILTERS[name.text];
    if (!filter) unknownFilters.push(name);
    operation(filter?.kind ?? null, filter?.values);
  };
  const operation = (kind: Kind | null, values: readonly string[] | undefined): void => {
    const token = peek();
    if (!token) throw new Unexpected(undefined);
    if (keyword("IS")) {
      position += 1;
      if (keyword("NOT")) position += 1;
      if (!keyword("NULL")) throw new Unexpected(peek());
      position += 1;
      return;
    }
    let operator: string;
    if (token.type === "operator") operator = token.text;
    else if (keyword("CONTAINS")) operator = "CONTAINS";
    else if (keyword("BETWEEN")) operator = "BETWEEN";
    else if (keyword("NOT") && tokens[position + 1]?.text.toUpperCase() === "CONTAINS") {
      position += 1;
      operator = "NOT CONTAINS";
    } else throw new Unexpected(token);
    if (kind && !OPERATORS[kind].includes(operator)) throw new Unexpected(token);
    position += 1;
    value(kind, values);
    if (operator === "BETWEEN") {
      if (!keyword("AND")) throw new Unexpected(peek());
      position += 1;
      value(kind, values);
    }
  };
  const value = (kind: Kind | null, values: readonly string[] | undefined): void => {
    const token = take();
    const fits =
      kind === null
        ? ["string", "number", "date"].includes(token.type)
        : kind === "number"
          ? token.type === "number"
          : kind === "date"
            ? token.type === "date" || token.type === "number"
            : token.type === "string" && (!values || values.includes(token.text));
    if (!fits) throw new Unexpected(token);
  };

  const errors: string[] = [];
  try {
    if (tokens.length === 0) throw new Unexpected(undefined);
    orExpression();
    if (position < tokens.length) throw new Unexpected(peek());
  } catch (error) {
    if (!(error instanceof Unexpected)) throw error;
    errors.push(
      error.token
        ? `Query Line ${error.token.line} Column ${error.token.column}: '${error.token.text}' is unexpected.`
        : "Query is incomplete.",
    );
  }
  for (const name of unknownFilters) errors.push(`Query Line ${name.line} Column ${name.column}: '${name.text}' filter cannot be found.`);
  return errors;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let index = 0;
  while (index < query.length) {
    const char = query[index]!;
    if (char === "\n") {
      line += 1;
      index += 1;
      lineStart = index;
      continue;
    }
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const column = index - lineStart;
    const rest = query.slice(index);
    let match: RegExpExecArray | null;
    let type: TokenType;
    let text: string;
    if (char === "'" || char === '"') {
      const end = query.indexOf(char, index + 1);
      const stop = end === -1 ? query.length : end + 1;
      type = "string";
      text = query.slice(index + 1, end === -1 ? query.length : end);
      index = stop;
      tokens.push({ type, text, line, column });
      continue;
    }
    if ((match = /^-?\d+[dwmy]\b/.exec(rest)) || (match = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?/.exec(rest))) type = "date";
    else if ((match = /^-?\d+(\.\d+)?/.exec(rest))) type = "number";
    else if ((match = /^(!=|<=|>=|=|<|>)/.exec(rest))) type = "operator";
    else if ((match = /^[A-Za-z_][\w.]*/.exec(rest))) type = "word";
    else if ((match = /^\(/.exec(rest))) type = "open";
    else if ((match = /^\)/.exec(rest))) type = "close";
    else {
      match = /^\S+/.exec(rest)!;
      type = "other";
    }
    text = match[0];
    tokens.push({ type, text, line, column });
    index += text.length;
  }
  return tokens;
}
