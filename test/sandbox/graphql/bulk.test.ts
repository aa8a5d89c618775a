import { describe, expect, it } from "vitest";
import { generateShopData } from "../store/generate";
import { SandboxShop } from "../store/shop";
import type { ShopChange } from "../store/shop-api";
import { bulkOperationsSettled, failNextBulkOperation } from "./bulk/state";
import { gid } from "./gid";
import { createTestShop, graphqlCaller, type GraphqlCaller } from "./test-support";

const RUN_QUERY = `mutation ($query: String!, $group: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $group) { bulkOperation { id status type } userErrors { field message code } }
}`;
const OPERATION = `query ($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl completedAt } }`;

interface Operation {
  id: string;
  status: string;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
}

async function runQuery(t: GraphqlCaller & { shop: SandboxShop }, query: string, group = false) {
  const { body } = await t.gql(RUN_QUERY, { query, group });
  return (body.data as { bulkOperationRunQuery: { bulkOperation: { id: string; status: string } | null; userErrors: { field: string[] | null; message: string; code: string }[] } })
    .bulkOperationRunQuery;
}

async function finished(t: GraphqlCaller & { shop: SandboxShop }, id: string): Promise<Operation> {
  await bulkOperationsSettled(t.shop);
  const { body } = await t.gql(OPERATION, { id });
  return (body.data as { bulkOperation: Operation }).bulkOperation;
}

async function download(t: GraphqlCaller & { shop: SandboxShop }, url: string): Promise<Record<string, unknown>[]> {
  const response = await t.context.files.handleFileRequest(new Request(url));
  expect(response?.status).toBe(200);
  const text = await response!.text();
  expect(text.endsWith("\n")).toBe(true);
  return text.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

const CUSTOMERS_ORDERS_REFUNDS = `{
  customers(query: "created_at:>='2020-01-01'") {
    edges { node {
      id email tags amountSpent { amount }
      orders { edges { node {
        id name displayFinancialStatus
        refunds { id note totalRefundedSet { shopMoney { amount } } }
      } } }
    } }
  }
}`;

describe("bulkOperationRunQuery", () => {
  it("exports customers → orders (→ refunds) as JSONL with __parentId and counts", async () => {
    const t = createTestShop();
    const changes: ShopChange[] = [];
    t.shop.onChange((change) => changes.push(change));
    const started = await runQuery(t, CUSTOMERS_ORDERS_REFUNDS);
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation).toMatchObject({ status: "CREATED", type: "QUERY" });

    const operation = await finished(t, started.bulkOperation!.id);
    expect(operation).toMatchObject({ status: "COMPLETED", errorCode: null, objectCount: "7", rootObjectCount: "3", partialDataUrl: null });
    const rows = await download(t, operation.url!);
    expect(String(rows.length)).toBe(operation.objectCount);
    expect(Number(operation.fileSize)).toBeGreaterThan(0);

    const anna = gid("Customer", t.anna.id);
    const customers = rows.filter((row) => !("__parentId" in row));
    expect(customers.map((row) => row.id)).toEqual([anna, gid("Customer", t.ben.id), gid("Customer", t.cara.id)]);
    expect(customers[0]).toEqual({ id: anna, email: "anna@example.com", tags: ["vip"], amountSpent: { amount: "59.95" } });
    const annaOrders = rows.filter((row) => row.__parentId === anna);
    expect(annaOrders.map((row) => row.name)).toEqual(["#1001", "#1002", "#1003"]);
    expect(annaOrders[1]).toEqual({
      id: gid("Order", t.recentOrders[0]!.id),
      name: "#1002",
      displayFinancialStatus: "PARTIALLY_REFUNDED",
      refunds: [{ id: expect.stringMatching(/^gid:\/\/shopify\/Refund\//), note: "Chipped mug", totalRefundedSet: { shopMoney: { amount: "18.0" } } }],
      __parentId: anna,
    });
    // Every child comes after its parent, though not necessarily right after it.
    for (const [index, row] of rows.entries()) {
      if (row.__parentId) expect(rows.findIndex((parent) => parent.id === row.__parentId)).toBeLessThan(index);
    }
    expect(rows[1]!.__parentId).toBeUndefined();

    expect(changes.filter((change) => change.kind === "bulk_operation/finished")).toHaveLength(1);
  });

  it("exports a generated shop: one row per customer and per order of theirs", async () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const shop = new SandboxShop(generateShopData({ seed: 7, customers: 300, now }), { clock: () => now });
    const t = { ...graphqlCaller(shop), shop };
    const started = await runQuery(t, `{ customers { edges { node { id numberOfOrders orders { edges { node { id totalPriceSet { shopMoney { amount } } } } } } } } }`);
    const operation = await finished(t, started.bulkOperation!.id);
    const orders = shop.customers().reduce((sum, customer) => sum + shop.ordersOfCustomer(customer.id).length, 0);
    expect(operation).toMatchObject({ status: "COMPLETED", rootObjectCount: "300", objectCount: String(300 + orders) });
    const rows = await download(t, operation.url!);
    const perCustomer = new Map<unknown, number>();
    for (const row of rows) if (row.__parentId) perCustomer.set(row.__parentId, (perCustomer.get(row.__parentId) ?? 0) + 1);
    for (const row of rows.filter((candidate) => !candidate.__parentId)) expect(String(perCustomer.get(row.id) ?? 0)).toBe(row.numberOfOrders);
  });

  it("groups children right after their parent with groupObjects", async () => {
    const t = createTestShop();
    const started = await runQuery(t, `{ customers { edges { node { id orders { edges { node { id } } } } } } }`, true);
    const rows = await download(t, (await finished(t, started.bulkOperation!.id)).url!);
    expect(rows.map((row) => (row.__parentId ? "order" : "customer"))).toEqual(["customer", "order", "order", "order", "customer", "order", "customer"]);
  });

  it("rejects queries Shopify would not run", async () => {
    const t = createTestShop();
    const errors = async (query: string) => (await runQuery(t, query)).userErrors;
    expect(await errors(`{ shop { name } }`)).toEqual([{ field: ["query"], message: "Bulk queries must contain at least one connection.", code: "INVALID" }]);
    expect(await errors(`{ customers { nodes { id } } }`)).toEqual([
      {
        field: ["query"],
        message:
          "All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'customers { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: 'customers'.",
        code: "INVALID",
      },
    ]);
    expect((await errors(`{ customers { edges { node { email orders { edges { node { id } } } } } } }`))[0]?.message).toBe(
      "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': customers.",
    );
    const deep = `{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id
      suggestedReturnReasonDefinitions { edges { node { id } } } } } } } } } } } } }`;
    expect((await errors(deep))[0]?.message).toBe(
      "Bulk queries cannot contain connections with a nesting depth greater than 2.",
    );
    expect((await errors(`mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { node { id } } }`))[0]?.message).toBe(
      "Invalid operation type. Only `query` operations are supported.",
    );
    expect((await errors(`{ orders { edges { node { id refunds { refundLineItems { edges { node { quantity } } } } } } } }`))[0]?.message).toBe(
      "Queries that contain a connection field within a list field are not currently supported.",
    );
    expect((await errors(`{ customers { edges { node { id statistics { rfmGroup } } } } }`))[0]?.message).toBe(
      "Customer.statistics is not implemented by the Lifecycle sandbox store",
    );
    expect((await errors(""))[0]?.message).toBe("Invalid bulk query: syntax error, unexpected end of file");
  });

  it("runs up to five query operations at once", async () => {
    const t = createTestShop();
    const query = `{ customers { edges { node { id } } } }`;
    for (let i = 0; i < 5; i += 1) expect((await runQuery(t, query)).userErrors).toEqual([]);
    const sixth = await runQuery(t, query);
    expect(sixth.bulkOperation).toBeNull();
    expect(sixth.userErrors[0]?.code).toBe("LIMIT_REACHED");
    await bulkOperationsSettled(t.shop);
    expect((await runQuery(t, query)).userErrors).toEqual([]);
  });

  it("fails the next operation on request, keeping partial data", async () => {
    const t = createTestShop();
    failNextBulkOperation(t.shop);
    const started = await runQuery(t, `{ customers { edges { node { id } } } }`);
    const operation = await finished(t, started.bulkOperation!.id);
    expect(operation).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", url: null });
    expect(await download(t, operation.partialDataUrl!)).toHaveLength(Number(operation.objectCount));

    const next = await runQuery(t, `{ customers { edges { node { id } } } }`);
    expect((await finished(t, next.bulkOperation!.id)).status).toBe("COMPLETED");
  });

  it("fails with ACCESS_DENIED when the app may not read what it asked for", async () => {
    const t = createTestShop({ scopes: ["read_customers"] });
    const started = await runQuery(t, `{ customers { edges { node { id orders { edges { node { id } } } } } } }`);
    expect(await finished(t, started.bulkOperation!.id)).toMatchObject({ status: "FAILED", errorCode: "ACCESS_DENIED" });
  });

  it("cancels a running operation and reports the current one", async () => {
    const t = createTestShop();
    const started = await runQuery(t, `{ customers { edges { node { id } } } }`);
    const cancel = await t.gql(`mutation ($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { field message } } }`, {
      id: started.bulkOperation!.id,
    });
    expect(cancel.body.data).toEqual({ bulkOperationCancel: { bulkOperation: { status: "CANCELING" }, userErrors: [] } });
    expect((await finished(t, started.bulkOperation!.id)).status).toBe("CANCELED");
    const again = await t.gql(`mutation ($id: ID!) { bulkOperationCancel(id: $id) { userErrors { field message } } }`, { id: started.bulkOperation!.id });
    expect(again.body.data).toEqual({ bulkOperationCancel: { userErrors: [{ field: null, message: "A bulk operation cannot be canceled when it is canceled" }] } });
    const current = await t.gql(`{ currentBulkOperation(type: QUERY) { id status } bulkOperations(first: 5) { nodes { id } } }`);
    expect(current.body.data).toEqual({
      currentBulkOperation: { id: started.bulkOperation!.id, status: "CANCELED" },
      bulkOperations: { nodes: [{ id: started.bulkOperation!.id }] },
    });
  });
});

describe("bulkOperationRunMutation", () => {
  const STAGE = `mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "tags.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) {
    stagedTargets { url resourceUrl parameters { name value } } userErrors { field message }
  } }`;
  const RUN = `mutation ($mutation: String!, $path: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) { bulkOperation { id status type } userErrors { field message code } }
  }`;
  const TAGS_ADD = `mutation call($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;

  async function stage(t: GraphqlCaller & { shop: SandboxShop }, lines: unknown[]): Promise<string> {
    const { body } = await t.gql(STAGE);
    const target = (body.data as { stagedUploadsCreate: { stagedTargets: { url: string; parameters: { name: string; value: string }[] }[] } }).stagedUploadsCreate.stagedTargets[0]!;
    const form = new FormData();
    for (const { name, value } of target.parameters) form.append(name, value);
    form.append("file", new Blob([lines.map((line) => JSON.stringify(line)).join("\n")], { type: "text/jsonl" }), "tags.jsonl");
    const upload = await t.context.files.handleFileRequest(new Request(target.url, { method: "POST", body: form }));
    expect(upload?.status).toBe(201);
    return target.parameters.find((parameter) => parameter.name === "key")!.value;
  }

  it("runs the mutation once per line of the staged upload and writes its results", async () => {
    const t = createTestShop();
    const path = await stage(t, [
      { id: gid("Customer", t.ben.id), tags: ["lifecycle:new"] },
      { id: gid("Customer", t.cara.id), tags: ["lifecycle:lapsed"] },
      { id: gid("Customer", 1), tags: ["nobody"] },
    ]);
    const { body } = await t.gql(RUN, { mutation: TAGS_ADD, path });
    const run = (body.data as { bulkOperationRunMutation: { bulkOperation: { id: string; type: string }; userErrors: unknown[] } }).bulkOperationRunMutation;
    expect(run.userErrors).toEqual([]);
    expect(run.bulkOperation.type).toBe("MUTATION");

    const operation = await finished(t, run.bulkOperation.id);
    expect(operation).toMatchObject({ status: "COMPLETED", objectCount: "3", rootObjectCount: "3" });
    expect(await download(t, operation.url!)).toEqual([
      { data: { tagsAdd: { node: { id: gid("Customer", t.ben.id) }, userErrors: [] } }, __lineNumber: 0 },
      { data: { tagsAdd: { node: { id: gid("Customer", t.cara.id) }, userErrors: [] } }, __lineNumber: 1 },
      { data: { tagsAdd: { node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] } }, __lineNumber: 2 },
    ]);
    expect(t.shop.customer(t.cara.id)!.tags).toEqual(["lifecycle:lapsed"]);
  });

  it("rejects a missing upload, a query and several mutations", async () => {
    const t = createTestShop();
    const errors = async (mutation: string, path: string) => {
      const { body } = await t.gql(RUN, { mutation, path });
      return (body.data as { bulkOperationRunMutation: { userErrors: unknown[] } }).bulkOperationRunMutation.userErrors;
    };
    expect(await errors(TAGS_ADD, "tmp/nowhere/bulk/x/vars.jsonl")).toEqual([
      {
        field: null,
        message: "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
        code: "NO_SUCH_FILE",
      },
    ]);
    const path = await stage(t, [{ id: gid("Customer", t.ben.id), tags: ["x"] }]);
    expect(await errors(`{ shop { name } }`, path)).toEqual([{ field: null, message: "Invalid operation type. Only `mutation` operations are supported.", code: "INVALID_MUTATION" }]);
    expect(await errors(`mutation { a: tagsAdd(id: "x", tags: []) { node { id } } b: tagsRemove(id: "x", tags: []) { node { id } } }`, path)).toEqual([
      { field: ["mutation"], message: "You must specify a single top level mutation.", code: null },
    ]);
  });
});

describe("file store", () => {
  it("serves results only with their signature and ignores other URLs", async () => {
    const t = createTestShop();
    const writer = t.context.files.createResultWriter("probe.jsonl");
    writer.write('{"id":1}\n');
    const { url, size } = writer.finish();
    expect(size).toBe(9);
    const ok = await t.context.files.handleFileRequest(new Request(url));
    expect(await ok!.text()).toBe('{"id":1}\n');
    const forged = await t.context.files.handleFileRequest(new Request(url.replace(/Signature=\w+/, "Signature=forged")));
    expect(forged!.status).toBe(403);
    expect(await t.context.files.handleFileRequest(new Request("https://elsewhere.test/storage/results/x"))).toBeNull();
  });

  it("accepts a staged upload by PUT, Shopify's default method", async () => {
    const t = createTestShop();
    const { body } = await t.gql(`mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "v.jsonl", mimeType: "text/jsonl" }]) {
      stagedTargets { url parameters { name value } }
    } }`);
    const target = (body.data as { stagedUploadsCreate: { stagedTargets: { url: string }[] } }).stagedUploadsCreate.stagedTargets[0]!;
    const put = await t.context.files.handleFileRequest(new Request(target.url, { method: "PUT", body: '{"a":1}\n' }));
    expect(put!.status).toBe(200);
    const key = decodeURIComponent(new URL(target.url).pathname.split("/staged-uploads/")[1]!);
    expect(t.context.files.stagedFile(key)?.toString()).toBe('{"a":1}\n');
  });
});
