import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type SandboxSimulator, startSandboxSimulator } from "./index.ts";
import { api, chargeBody, newApiKey } from "./test-support.ts";
import { formatAmount } from "./threeds-page.ts";

let sim: SandboxSimulator;
const key = newApiKey();

before(async () => {
  sim = await startSandboxSimulator();
});
after(() => sim.close());

async function challenge(overrides: Record<string, unknown> = {}) {
  const res = await api(sim.url, "POST", "/v1/charges", {
    key,
    body: chargeBody(overrides, { number: "4000002760003184" }),
  });
  assert.equal(res.json.status, "requires_action");
  return res.json as { id: string; redirect_url: string };
}

function submit(chargeId: string, result: string) {
  return fetch(`${sim.url}/3ds/${chargeId}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ result }).toString(),
    redirect: "manual",
  });
}

describe("3-D Secure page", () => {
  test("shows the amount and two buttons posting result=approve|fail, with no external resources", async () => {
    const charge = await challenge({ amount: 4250, currency: "eur" });
    const res = await fetch(charge.redirect_url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const html = await res.text();
    assert.ok(html.includes("€42.50"), html);
    assert.match(html, new RegExp(`<form method="post" action="/3ds/${charge.id}">`));
    assert.match(html, /<button[^>]*name="result" value="approve">Complete authentication<\/button>/);
    assert.match(html, /<button[^>]*name="result" value="fail">Fail authentication<\/button>/);
    assert.doesNotMatch(html, /<script|<link|<img|src=|https?:\/\//i);
  });

  test("formats amounts with the currency's own exponent", () => {
    assert.equal(formatAmount(1000, "jpy"), "¥1,000");
    assert.match(formatAmount(1234, "kwd"), /^KWD\s1\.234$/);
    assert.equal(formatAmount(1000, "zzz1"), "1000 ZZZ1 (minor units)");
  });

  test("approve authorizes the charge and redirects 303 to return_url with charge=<id>", async () => {
    const charge = await challenge();
    const res = await submit(charge.id, "approve");
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get("location") ?? "");
    assert.equal(location.origin + location.pathname, "https://shop.example/return");
    assert.equal(location.searchParams.get("order"), "1");
    assert.equal(location.searchParams.get("charge"), charge.id);
    const after = await api(sim.url, "GET", `/v1/charges/${charge.id}`, { key });
    assert.equal(after.json.status, "authorized");
    assert.equal(after.json.redirect_url, null);
    assert.match(after.json.network_transaction_id, /^\d{15}$/);
  });

  test("approve with capture=true captures", async () => {
    const charge = await challenge({ capture: true });
    await submit(charge.id, "approve");
    const after = await api(sim.url, "GET", `/v1/charges/${charge.id}`, { key });
    assert.equal(after.json.status, "captured");
    assert.equal(after.json.amount_captured, 1000);
  });

  test("fail declines with authentication_failed and redirects", async () => {
    const charge = await challenge();
    const res = await submit(charge.id, "fail");
    assert.equal(res.status, 303);
    assert.equal(new URL(res.headers.get("location") ?? "").searchParams.get("charge"), charge.id);
    const after = await api(sim.url, "GET", `/v1/charges/${charge.id}`, { key });
    assert.equal(after.json.status, "declined");
    assert.equal(after.json.decline_code, "authentication_failed");
  });

  test("a second submission changes nothing and redirects again; the page is then closed", async () => {
    const charge = await challenge();
    await submit(charge.id, "approve");
    const again = await submit(charge.id, "fail");
    assert.equal(again.status, 303);
    const after = await api(sim.url, "GET", `/v1/charges/${charge.id}`, { key });
    assert.equal(after.json.status, "authorized");
    assert.equal((await fetch(charge.redirect_url)).status, 409);
  });

  test("an unknown charge is 404 and an unknown result 400", async () => {
    assert.equal((await fetch(`${sim.url}/3ds/ch_nope`)).status, 404);
    assert.equal((await submit("ch_nope", "approve")).status, 404);
    const charge = await challenge();
    assert.equal((await submit(charge.id, "maybe")).status, 400);
  });
});
