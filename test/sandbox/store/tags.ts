import { SandboxUserError } from "./errors";

export const MAX_TAG_LENGTH = 255;
export const MAX_TAGS = 250;

/**
 * Tags as Shopify reads them: each string may hold several comma-separated tags; each tag is
 * trimmed, blanks are dropped, and duplicates are compared case-insensitively (first spelling wins).
 */
export function parseTags(input: readonly string[]): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of input) {
    for (const part of raw.split(",")) {
      const tag = part.trim();
      if (tag === "") continue;
      if (tag.length > MAX_TAG_LENGTH) {
        throw new SandboxUserError(["tags"], `Tag "${tag.slice(0, 20)}…" is too long (maximum is ${MAX_TAG_LENGTH} characters)`, "TOO_LONG");
      }
      const key = tag.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      tags.push(tag);
    }
  }
  return tags;
}

/** Existing tags plus new ones, kept in Shopify's alphabetical order. */
export function withTags(existing: readonly string[], added: readonly string[]): string[] {
  const merged = parseTags([...existing, ...added]);
  if (merged.length > MAX_TAGS) {
    throw new SandboxUserError(["tags"], `A resource can have at most ${MAX_TAGS} tags`, "TOO_LONG");
  }
  return sortTags(merged);
}

export function withoutTags(existing: readonly string[], removed: readonly string[]): string[] {
  const drop = new Set(parseTags(removed).map((tag) => tag.toLowerCase()));
  return existing.filter((tag) => !drop.has(tag.toLowerCase()));
}

export function sortTags(tags: string[]): string[] {
  return tags.sort((a, b) => {
    const left = a.toLowerCase();
    const right = b.toLowerCase();
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, index) => tag === b[index]);
}
