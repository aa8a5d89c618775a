import { describe, expect, it } from "vitest";
import { compileSearch, dateTerm, listTerm, numberTerm, textTerm, type SearchSpec } from "./query-filter";

interface Item {
  id: number;
  name: string;
  tags: string[];
  updatedAt: string;
}

const items: Item[] = [
  { id: 1, name: "Anna", tags: ["vip", "Newsletter"], updatedAt: "2026-03-01T10:00:00Z" },
  { id: 2, name: "Ben", tags: [], updatedAt: "2026-03-02T10:00:00Z" },
  { id: 3, name: "Bea", tags: ["vip"], updatedAt: "2026-03-03T10:00:00Z" },
];

const spec: SearchSpec<Item> = {
  fields: {
    id: numberTerm((item) => item.id),
    name: textTerm((item) => item.name),
    tag: listTerm((item) => item.tags),
    updated_at: dateTerm((item) => item.updatedAt),
  },
  text: (item, value) => item.name.toLowerCase().includes(value.toLowerCase()),
};

function ids(query: string): number[] {
  const { matches, warnings } = compileSearch(query, spec);
  expect(warnings).toEqual([]);
  return items.filter(matches).map((item) => item.id);
}

describe("Shopify search syntax", () => {
  it("compares timestamps, quoted or not, and dates by day", () => {
    expect(ids("updated_at:>'2026-03-01T10:00:00Z'")).toEqual([2, 3]);
    expect(ids('updated_at:>="2026-03-02T10:00:00Z"')).toEqual([2, 3]);
    expect(ids("updated_at:<2026-03-02T10:00:00Z")).toEqual([1]);
    expect(ids("updated_at:2026-03-02")).toEqual([2]);
    expect(ids("updated_at:>2026-03-02")).toEqual([3]);
    expect(ids("updated_at:<=2026-03-02")).toEqual([1, 2]);
  });

  it("combines terms with implicit AND, OR, NOT, - and parentheses", () => {
    expect(ids("tag:vip id:>1")).toEqual([3]);
    expect(ids("tag:vip AND id:<3")).toEqual([1]);
    expect(ids("name:ben OR tag:newsletter")).toEqual([1, 2]);
    expect(ids("-tag:vip")).toEqual([2]);
    expect(ids("NOT tag:vip")).toEqual([2]);
    expect(ids("(name:anna OR name:ben) tag:vip")).toEqual([1]);
    expect(ids("tag:vip OR name:ben id:>1")).toEqual([1, 2, 3]);
  });

  it("matches prefixes with * and bare words with the default search", () => {
    expect(ids("name:B*")).toEqual([2, 3]);
    expect(ids("be")).toEqual([2, 3]);
    expect(ids("name:'Anna'")).toEqual([1]);
  });

  it("warns about unknown fields and invalid values, then ignores the term", () => {
    const unknown = compileSearch("colour:blue name:anna", spec);
    expect(items.filter(unknown.matches).map((item) => item.id)).toEqual([1]);
    expect(unknown.warnings).toEqual([{ field: "colour", message: "Invalid search field for this query.", code: "invalid_field" }]);
    const invalid = compileSearch("updated_at:>yesterday-ish", spec);
    expect(invalid.warnings[0]).toMatchObject({ field: "updated_at", code: "invalid_value" });
  });
});
