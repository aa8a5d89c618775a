import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * The sandbox's stand-in for Shopify's file storage (Google Cloud Storage): bulk operation results
 * served by signed GET URLs, and staged uploads accepted as a multipart POST of a policy plus the
 * file, as `stagedUploadsCreate` targets are.
 */
export interface FileStore {
  readonly baseUrl: string;
  /** Streams a result file in; nothing is served until `finish`. */
  createResultWriter(name: string): ResultWriter;
  /**
   * A staged upload target. POST: send `parameters` as form fields, then the file as `file`, to
   * `url`. PUT: send the file as the body to `url`.
   */
  stageUpload(input: { shopDomain: string; filename: string; mimeType: string; httpMethod: "POST" | "PUT" }): StagedUploadTarget;
  /** The uploaded bytes for a staged upload key; undefined when nothing was uploaded there. */
  stagedFile(key: string): Buffer | undefined;
  /** Serves result files and accepts staged uploads; null for requests that are not for this store. */
  handleFileRequest(request: Request): Promise<Response | null>;
}

export interface ResultWriter {
  write(text: string): void;
  /** Bytes written so far. */
  readonly size: number;
  /** Publishes what was written and answers where it is served. */
  finish(): { url: string; size: number };
}

export interface StagedUploadTarget {
  url: string;
  resourceUrl: string | null;
  parameters: { name: string; value: string }[];
  /** The `key` parameter: what `bulkOperationRunMutation` takes as `stagedUploadPath`. */
  key: string;
}

const CHUNK_BYTES = 1 << 20;
/** Shopify's limit for bulk mutation variables files. */
export const MAX_STAGED_UPLOAD_BYTES = 100 * 1024 * 1024;

export function createFileStore(options: { baseUrl: string }): FileStore {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const secret = randomBytes(32);
  const results = new Map<string, { chunks: Buffer[]; size: number }>();
  const issuedKeys = new Set<string>();
  const uploads = new Map<string, Buffer>();

  const sign = (value: string) => createHmac("sha256", secret).update(value).digest("hex");
  const verify = (value: string, signature: string | null) => {
    if (!signature) return false;
    const expected = Buffer.from(sign(value));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  };

  return {
    baseUrl,

    createResultWriter(name) {
      const path = `/results/${randomUUID()}/${encodeURIComponent(name)}`;
      const chunks: Buffer[] = [];
      let pending = "";
      let size = 0;
      const flush = () => {
        if (!pending) return;
        const chunk = Buffer.from(pending, "utf8");
        chunks.push(chunk);
        size += chunk.length;
        pending = "";
      };
      return {
        write(text) {
          pending += text;
          if (pending.length >= CHUNK_BYTES) flush();
        },
        get size() {
          return size + Buffer.byteLength(pending, "utf8");
        },
        finish() {
          flush();
          results.set(path, { chunks, size });
          return { url: `${baseUrl}${path}?X-Goog-Expires=604800&X-Goog-Signature=${sign(path)}`, size };
        },
      };
    },

    stageUpload({ shopDomain, filename, mimeType, httpMethod }) {
      const key = `tmp/${shopDomain.replace(/\..*$/, "")}/bulk/${randomUUID()}/${filename}`;
      issuedKeys.add(key);
      if (httpMethod === "PUT") {
        const path = `/staged-uploads/${encodeURIComponent(key)}`;
        return {
          url: `${baseUrl}${path}?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Signature=${sign(path)}`,
          resourceUrl: null,
          key,
          parameters: [
            { name: "content_type", value: mimeType },
            { name: "acl", value: "private" },
          ],
        };
      }
      const policy = Buffer.from(
        JSON.stringify({ conditions: [{ key }, { "Content-Type": mimeType }, ["content-length-range", 1, MAX_STAGED_UPLOAD_BYTES]] }),
      ).toString("base64");
      return {
        url: `${baseUrl}/staged-uploads/`,
        resourceUrl: null,
        key,
        parameters: [
          { name: "Content-Type", value: mimeType },
          { name: "success_action_status", value: "201" },
          { name: "acl", value: "private" },
          { name: "key", value: key },
          { name: "x-goog-date", value: new Date().toISOString().replace(/[-:]|\.\d+/g, "") },
          { name: "x-goog-credential", value: "sandbox-staged-uploads@lifecycle-sandbox.iam.gserviceaccount.com" },
          { name: "x-goog-algorithm", value: "GOOG4-HMAC-SHA256" },
          { name: "x-goog-signature", value: sign(policy) },
          { name: "policy", value: policy },
        ],
      };
    },

    stagedFile(key) {
      return uploads.get(key);
    },

    async handleFileRequest(request) {
      const url = new URL(request.url);
      const base = new URL(baseUrl);
      if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname.replace(/\/?$/, "/"))) return null;
      const path = url.pathname.slice(base.pathname.replace(/\/$/, "").length);

      if (path.startsWith("/results/")) {
        if (request.method !== "GET" && request.method !== "HEAD") return storageError(405, "MethodNotAllowed");
        const file = results.get(path);
        if (!file) return storageError(404, "NoSuchKey");
        if (!verify(path, url.searchParams.get("X-Goog-Signature"))) return storageError(403, "SignatureDoesNotMatch");
        const headers = { "Content-Type": "application/jsonl", "Content-Length": String(file.size) };
        if (request.method === "HEAD") return new Response(null, { status: 200, headers });
        return new Response(streamChunks(file.chunks), { status: 200, headers });
      }

      if (path === "/staged-uploads/" || path === "/staged-uploads") {
        if (request.method !== "POST") return storageError(405, "MethodNotAllowed");
        return acceptUpload(request);
      }
      if (path.startsWith("/staged-uploads/")) {
        if (request.method !== "PUT") return storageError(405, "MethodNotAllowed");
        const key = decodeURIComponent(path.slice("/staged-uploads/".length));
        if (!issuedKeys.has(key)) return storageError(404, "NoSuchKey");
        if (!verify(path, url.searchParams.get("X-Goog-Signature"))) return storageError(403, "SignatureDoesNotMatch");
        return store(key, Buffer.from(await request.arrayBuffer()), "PUT");
      }
      return storageError(404, "NoSuchKey");
    },
  };

  async function acceptUpload(request: Request): Promise<Response> {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return storageError(400, "InvalidArgument");
    }
    const key = form.get("key");
    const policy = form.get("policy");
    const signature = form.get("x-goog-signature");
    const file = form.get("file");
    if (typeof key !== "string" || !issuedKeys.has(key)) return storageError(400, "InvalidArgument");
    if (typeof policy !== "string" || typeof signature !== "string" || !verify(policy, signature)) {
      return storageError(403, "SignatureDoesNotMatch");
    }
    if (file === null || typeof file === "string") return storageError(400, "InvalidArgument");
    return store(key, Buffer.from(await file.arrayBuffer()), "POST");
  }

  function store(key: string, bytes: Buffer, method: "POST" | "PUT"): Response {
    if (bytes.length > MAX_STAGED_UPLOAD_BYTES) return storageError(400, "EntityTooLarge");
    uploads.set(key, bytes);
    if (method === "PUT") return new Response(null, { status: 200 });
    const location = `${baseUrl}/staged-uploads/${encodeURIComponent(key)}`;
    return new Response(
      `<?xml version='1.0' encoding='UTF-8'?><PostResponse><Location>${location}</Location><Bucket>shopify-staged-uploads</Bucket><Key>${key}</Key></PostResponse>`,
      { status: 201, headers: { "Content-Type": "application/xml", Location: location } },
    );
  }
}

function streamChunks(chunks: readonly Buffer[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      else controller.close();
    },
  });
}

/** Errors the way Cloud Storage answers them, an XML body with a code. */
function storageError(status: number, code: string): Response {
  return new Response(`<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code></Error>`, {
    status,
    headers: { "Content-Type": "application/xml" },
  });
}
