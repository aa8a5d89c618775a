import { readFileSync } from "node:fs";
import path from "node:path";
import { webcrypto } from "node:crypto";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";

const SCRIPT = readFileSync(path.join(REPO_ROOT, "extensions", "lifecycle-loyalty", "assets", "loyalty.js"), "utf8");

interface FakeElement {
  textContent: string;
  hidden: boolean;
  disabled: boolean;
  click(): void;
  addEventListener(type: string, listener: () => void): void;
}

function element(): FakeElement {
  const listeners: Record<string, () => void> = {};
  return {
    textContent: "",
    hidden: false,
    disabled: false,
    click: () => listeners.click?.(),
    addEventListener: (type, listener) => (listeners[type] = listener),
  };
}

/**
 * The block's script in a page of its own: the block's markup as the elements it looks up, and a
 * fetch that answers as the App Proxy would, one scripted answer per request.
 */
function page(answers: (() => Promise<{ ok: boolean; status: number; body: unknown }>)[]) {
  const redeem = element();
  const status = element();
  const points = element();
  const parts: Record<string, FakeElement> = { "[data-redeem]": redeem, "[data-status]": status, "[data-points]": points };
  const root = {
    dataset: { proxy: "/apps/lifecycle", textCode: "Your code: [code].", textPending: "pending", textFailed: "failed", textNotEnough: "not enough", textLogin: "log in" },
    querySelector: (selector: string) => parts[selector] ?? null,
  };
  const requests: string[] = [];
  const fetch = (url: string) => {
    requests.push(url);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${url}`);
    return answer().then(({ ok, status: code, body }) => ({ ok, status: code, json: () => Promise.resolve(body) }));
  };
  runInNewContext(SCRIPT, { window: { crypto: webcrypto }, document: { querySelectorAll: () => [root] }, fetch, navigator: {} });
  const click = async () => {
    redeem.click();
    // Let the request and its answer's handlers run.
    for (let turn = 0; turn < 10; turn += 1) await new Promise((resolve) => setTimeout(resolve, 0));
  };
  const keys = () => requests.map((url) => new URL(url, "https://shop.example").searchParams.get("idempotency_key"));
  return { click, keys, status, requests };
}

const answer = (status: number, body: unknown) => () => Promise.resolve({ ok: status >= 200 && status < 300 && status !== 202, status, body });

describe("the loyalty block's redeem button", () => {
  it("sends a key with every redemption, the same key again after an unclear answer, a new one once settled", async () => {
    const shopper = page([
      answer(202, { error: "reward_pending" }),
      () => Promise.reject(new TypeError("Failed to fetch")),
      answer(200, { code: "REWARD-ABC", points: 100, can_redeem: true }),
      answer(409, { error: "not_enough_points" }),
      answer(409, { error: "not_enough_points" }),
    ]);
    await shopper.click();
    expect(shopper.status.textContent).toBe("pending");
    await shopper.click();
    await shopper.click();
    expect(shopper.status.textContent).toBe("Your code: REWARD-ABC.");
    await shopper.click();
    await shopper.click();

    const [first, second, third, fourth, fifth] = shopper.keys();
    expect(shopper.requests.every((url) => url.startsWith("/apps/lifecycle/redeem?"))).toBe(true);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    // Pending, then no answer at all: the same redemption is asked for again.
    expect([second, third]).toEqual([first, first]);
    // It ended with a code: the next click is a new redemption, and so is the one after a refusal.
    expect(fourth).toMatch(/^[0-9a-f]{32}$/);
    expect(fourth).not.toBe(first);
    expect(fifth).not.toBe(fourth);
  });
});
