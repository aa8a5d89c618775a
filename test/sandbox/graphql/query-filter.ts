/**
 * Shopify's search syntax for the `query` argument: terms `field:value` (with `:<`, `:<=`, `:>`,
 * `:>=`), quoted values, `*` prefix wildcards, `-`/`NOT` negation, `AND`/`OR` (implicit AND,
 * AND binding tighter) and parentheses. Unknown fields match everything and are reported as
 * search warnings, as Shopify reports them under `extensions.search`.
 */

export type Comparator = ":" | "<" | "<=" | ">" | ">=";

export interface SearchTerm {
  field: string;
  comparator: Comparator;
  value: string;
  /** `value*`: matches values starting with `value`. */
  prefix: boolean;
}

export interface SearchWarning {
  field: string;
  message: string;
  code: "invalid_field" | "invalid_value";
}

type Predicate<T> = (item: T) => boolean;
/** Turns one term into a test, or refuses its value. */
export type TermCompiler<T> = (term: SearchTerm) => Predicate<T> | { invalid: string };

export interface SearchSpec<T> {
  fields: Record<string, TermCompiler<T>>;
  /** A bare word (no field): Shopify's default search over names, emails and the like. */
  text: (item: T, value: string) => boolean;
}

type Node =
  | { kind: "and" | "or"; children: Node[] }
  | { kind: "not"; child: Node }
  | { kind: "term"; field: string | null; comparator: Comparator; value: string; prefix: boolean };

export function compileSearch<T>(
  query: string | null | undefined,
  spec: SearchSpec<T>,
): { matches: Predicate<T>; warnings: SearchWarning[] } {
  const warnings: SearchWarning[] = [];
  if (!query?.trim()) return { matches: () => true, warnings };
  const tree = parse(tokenize(query));
  const compile = (node: Node): Predicate<T> => {
    switch (node.kind) {
      case "and": {
        const parts = node.children.map(compile);
        return (item) => parts.every((part) => part(item));
      }
      case "or": {
        const parts = node.children.map(compile);
        return (item) => parts.some((part) => part(item));
      }
      case "not": {
        const inner = compile(node.child);
        return (item) => !inner(item);
      }
      case "term": {
        if (node.field === null) {
          const value = node.value;
          return (item) => spec.text(item, value);
        }
        const compiler = spec.fields[node.field.toLowerCase()];
        if (!compiler) {
          warnings.push({ field: node.field, message: "Invalid search field for this query.", code: "invalid_field" });
          return () => true;
        }
        const result = compiler({ field: node.field, comparator: node.comparator, value: node.value, prefix: node.prefix });
        if (typeof result === "function") return result;
        warnings.push({ field: node.field, message: result.invalid, code: "invalid_value" });
        return () => true;
      }
    }
  };
  return { matches: tree ? compile(tree) : () => true, warnings };
}

type Token = { kind: "open" } | { kind: "close" } | { kind: "word"; text: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const char = query[index]!;
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === "(" || char === ")") {
      tokens.push(char === "(" ? { kind: "open" } : { kind: "close" });
      index += 1;
    } else {
      let text = "";
      while (index < query.length && !/[\s()]/.test(query[index]!)) {
        const current = query[index]!;
        if (current === '"' || current === "'") {
          const end = query.indexOf(current, index + 1);
          const stop = end === -1 ? query.length : end + 1;
          text += query.slice(index, stop);
          index = stop;
        } else {
          text += current;
          index += 1;
        }
      }
      tokens.push({ kind: "word", text });
    }
  }
  return tokens;
}

function parse(tokens: Token[]): Node | null {
  let position = 0;
  const peekWord = () => {
    const token = tokens[position];
    return token?.kind === "word" ? token.text : null;
  };

  const parseOr = (): Node | null => {
    const children: Node[] = [];
    const first = parseAnd();
    if (first) children.push(first);
    while (peekWord() === "OR") {
      position += 1;
      const next = parseAnd();
      if (next) children.push(next);
    }
    if (children.length === 0) return null;
    return children.length === 1 ? children[0]! : { kind: "or", children };
  };

  const parseAnd = (): Node | null => {
    const children: Node[] = [];
    for (;;) {
      const token = tokens[position];
      if (!token || token.kind === "close" || peekWord() === "OR") break;
      if (peekWord() === "AND") {
        position += 1;
        continue;
      }
      const term = parseUnary();
      if (term) children.push(term);
    }
    if (children.length === 0) return null;
    return children.length === 1 ? children[0]! : { kind: "and", children };
  };

  const parseUnary = (): Node | null => {
    const token = tokens[position]!;
    if (token.kind === "open") {
      position += 1;
      const inner = parseOr();
      if (tokens[position]?.kind === "close") position += 1;
      return inner;
    }
    position += 1;
    if (token.kind === "close") return null;
    if (token.text === "NOT") {
      const next = tokens[position] ? parseUnary() : null;
      return next ? { kind: "not", child: next } : null;
    }
    if (token.text.startsWith("-") && token.text.length > 1) {
      return { kind: "not", child: term(token.text.slice(1)) };
    }
    return term(token.text);
  };

  return parseOr();
}

function term(text: string): Node {
  const colon = unquotedColon(text);
  if (colon === -1) {
    const { value, prefix } = unquote(text);
    return { kind: "term", field: null, comparator: ":", value, prefix };
  }
  const field = text.slice(0, colon);
  let rest = text.slice(colon + 1);
  let comparator: Comparator = ":";
  for (const candidate of ["<=", ">=", "<", ">"] as const) {
    if (rest.startsWith(candidate)) {
      comparator = candidate;
      rest = rest.slice(candidate.length);
      break;
    }
  }
  const { value, prefix } = unquote(rest);
  return { kind: "term", field, comparator, value, prefix };
}

function unquotedColon(text: string): number {
  let quote: string | null = null;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === ":") {
      return index;
    }
  }
  return -1;
}

function unquote(raw: string): { value: string; prefix: boolean } {
  const quoted = /^(["'])(.*)\1$/s.exec(raw);
  if (quoted) return { value: quoted[2]!, prefix: false };
  if (raw.endsWith("*") && raw.length > 1) return { value: raw.slice(0, -1), prefix: true };
  return { value: raw, prefix: false };
}

// Term compilers for the kinds of values resources are searched by.

function compare<V extends number | string>(comparator: Comparator, left: V, right: V): boolean {
  switch (comparator) {
    case ":":
      return left === right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
  }
}

/**
 * Timestamps: quoted ISO times (`updated_at:>'2024-05-01T10:00:00Z'`) or dates (`created_at:2024-05-01`).
 * Sandbox timestamps are all "YYYY-MM-DDTHH:MM:SSZ", so they compare as strings: no date parsing
 * per item when filtering 300,000 orders.
 */
export function dateTerm<T>(get: (item: T) => string | null): TermCompiler<T> {
  return ({ comparator, value }) => {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const at = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(at)) return { invalid: `Invalid timestamp: ${value}` };
    const instant = isoSeconds(at);
    const dayEnd = isoSeconds(at + 86_400_000);
    return (item) => {
      const time = get(item);
      if (time === null) return false;
      if (dateOnly && comparator === ":") return time >= instant && time < dayEnd;
      if (dateOnly && comparator === ">") return time >= dayEnd;
      if (dateOnly && comparator === "<=") return time < dayEnd;
      return compare(comparator, time, instant);
    };
  };
}

function isoSeconds(time: number): string {
  return `${new Date(time).toISOString().slice(0, 19)}Z`;
}

export function numberTerm<T>(get: (item: T) => number): TermCompiler<T> {
  return ({ comparator, value }) => {
    const target = Number(value.replace(/^gid:\/\/shopify\/\w+\//, ""));
    if (!Number.isFinite(target)) return { invalid: `Invalid number: ${value}` };
    return (item) => compare(comparator, get(item), target);
  };
}

/** Exact (case-insensitive) or, with `*`, prefix matches on a text value. */
export function textTerm<T>(get: (item: T) => string | null): TermCompiler<T> {
  return ({ value, prefix }) => {
    const wanted = value.toLowerCase();
    return (item) => {
      const actual = get(item)?.toLowerCase();
      if (actual === undefined) return false;
      return prefix ? actual.startsWith(wanted) : actual === wanted;
    };
  };
}

/** Membership in a list (tags): case-insensitive, `*` for prefixes. */
export function listTerm<T>(get: (item: T) => readonly string[]): TermCompiler<T> {
  return ({ value, prefix }) => {
    const wanted = value.toLowerCase();
    return (item) =>
      get(item).some((entry) => (prefix ? entry.toLowerCase().startsWith(wanted) : entry.toLowerCase() === wanted));
  };
}

export function booleanTerm<T>(get: (item: T) => boolean): TermCompiler<T> {
  return ({ value }) => {
    const lowered = value.toLowerCase();
    if (lowered !== "true" && lowered !== "false") return { invalid: `Invalid boolean: ${value}` };
    const wanted = lowered === "true";
    return (item) => get(item) === wanted;
  };
}

/** An enumerated value (`state:enabled`); `allowed` lists the lower-case values Shopify accepts. */
export function enumTerm<T>(get: (item: T) => string, allowed: readonly string[]): TermCompiler<T> {
  return ({ value }) => {
    const wanted = value.toLowerCase();
    if (!allowed.includes(wanted)) return { invalid: `Invalid value: ${value}` };
    return (item) => get(item).toLowerCase() === wanted;
  };
}
