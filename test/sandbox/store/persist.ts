/**
 * Saves and loads a shop's data as one JSON document, gzipped when the file name ends in ".gz".
 *
 * At 100,000 customers the JSON is about 300 MB, close to V8's largest string, so it is never held
 * as one string: the document is written one record per line and read back line by line. The file
 * stays valid JSON. Saving writes a temporary file and renames it, so a crash never leaves half a
 * file where a good one was.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import type { SandboxShopData } from "./model";

export class SandboxDataFormatError extends Error {
  override readonly name = "SandboxDataFormatError";
}

const LIST_KEYS = [
  "customers",
  "orders",
  "metafields",
  "metafieldDefinitions",
  "segments",
  "discountCodes",
  "bulkOperations",
] as const satisfies readonly (keyof SandboxShopData)[];
const VALUE_KEYS = ["info", "generatedFrom", "nextId", "nextOrderNumber"] as const satisfies readonly (keyof SandboxShopData)[];
/** Records are grouped into chunks of about this many characters before they go to the stream. */
const CHUNK_CHARS = 1 << 20;
const GZIP_MAGIC = [0x1f, 0x8b];

export async function saveShopData(file: string, data: SandboxShopData): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const stages: (Readable | Transform)[] = [Readable.from(documentChunks(data))];
  if (file.endsWith(".gz")) stages.push(createGzip());
  try {
    await pipeline([...stages, createWriteStream(temporary)]);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function loadShopData(file: string): Promise<SandboxShopData> {
  const input = (await isGzipped(file)) ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const document: Record<string, unknown> = {};
  let list: unknown[] | null = null;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    const content = line.trim().replace(/,$/, "");
    if (content === "" || content === "{" || content === "}") continue;
    try {
      if (list) {
        if (content === "]") list = null;
        else list.push(JSON.parse(content));
        continue;
      }
      const opensList = /^"(\w+)":\[$/.exec(content);
      if (opensList) {
        list = [];
        document[opensList[1] as string] = list;
      } else {
        Object.assign(document, JSON.parse(`{${content}}`));
      }
    } catch (error) {
      throw new SandboxDataFormatError(`${file}:${lineNumber}: not a sandbox shop file (${(error as Error).message})`);
    }
  }
  return checkedShopData(document, file);
}

/** The document, one property per line and one list record per line. */
function* documentChunks(data: SandboxShopData): Generator<string> {
  yield "{\n";
  for (const key of VALUE_KEYS) yield `${JSON.stringify(key)}:${JSON.stringify(data[key])},\n`;
  for (const [index, key] of LIST_KEYS.entries()) {
    yield `${JSON.stringify(key)}:[\n`;
    const items: readonly unknown[] = data[key];
    let chunk = "";
    for (let i = 0; i < items.length; i++) {
      chunk += JSON.stringify(items[i]) + (i < items.length - 1 ? ",\n" : "\n");
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = "";
      }
    }
    yield `${chunk}]${index < LIST_KEYS.length - 1 ? "," : ""}\n`;
  }
  yield "}\n";
}

async function isGzipped(file: string): Promise<boolean> {
  for await (const head of createReadStream(file, { start: 0, end: 1 })) {
    const bytes = head as Buffer;
    return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
  }
  return false;
}

function checkedShopData(document: Record<string, unknown>, file: string): SandboxShopData {
  const missing = [
    ...LIST_KEYS.filter((key) => !Array.isArray(document[key])),
    ...(["nextId", "nextOrderNumber"] as const).filter((key) => typeof document[key] !== "number"),
    ...(typeof document.info === "object" && document.info !== null ? [] : ["info"]),
    ...("generatedFrom" in document ? [] : ["generatedFrom"]),
  ];
  if (missing.length > 0) throw new SandboxDataFormatError(`${file}: not a sandbox shop file (missing ${missing.join(", ")})`);
  return document as unknown as SandboxShopData;
}
