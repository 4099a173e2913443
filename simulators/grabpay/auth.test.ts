import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, startGrabPaySimulator } from "./index.ts";
import {
  approvedCharge,
  authorizeUrl,
  clickConsent,
  clientHmac,
  clientPop,
  exchangeCode,
  initBody,
  newPartner,
  partnerCall,
  pkcePair,
  startCharge,
  tokenCall,
} from "./test-support.ts";

const API = "/grabpay/partner/v2";
let current = new Date("2024-05-01T02:00:00Z");
const clock = () => current;
let sim: GrabPaySimulator;

before(async () => {
  sim = await startGrabPaySimulator({ now: clock });
});
after(() => sim.close());

function register() {
  const partner = newPartner();
  sim.registerPartner(partner);
  return partner;
}

describe("partner HMAC", () => {
  it("refuses a wrong secret, an unknown partner, a missing or skewed Date, a tampered body", async () => {
    const partner = register();
    const path = `${API}/charge/init`;
    const body = initBody(partner);
    const wrong = await partnerCall(sim, partner, clock, "POST", path, body, { secret: "nope" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.code, "unauthorized");
    const unknown = await partnerCall(sim, partner, clock, "POST", path, body, { partnerId: "ghost" });
    assert.equal(unknown.status, 401);
    const skewed = await partnerCall(sim, partner, clock, "POST", path, body, {
      date: new Date(current.getTime() - 301_000),
    });
    assert.equal(skewed.status, 401);
    assert.match(skewed.json.message, /skew/);
    const withinSkew = await partnerCall(sim, partner, clock, "POST", path, body, {
      date: new Date(current.getTime() - 299_000),
    });
    assert.equal(withinSkew.status, 200);

    const date = current.toUTCString();
    const tampered = await fetch(`${sim.url}${path}`, {
      method: "POST",
      headers: { date, "content-type": "application/json", authorization: `${partner.partnerId}:AAAA` },
      body: JSON.stringify(body),
    });
    assert.equal(tampered.status, 401);
    const noDate = await fetch(`${sim.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `${partner.partnerId}:AAAA` },
      body: JSON.stringify(body),
    });
    assert.equal(noDate.status, 401);
    assert.match((await noDate.json()).message, /Date/);
  });

  it("signs the query string, and accepts a GET sent without the Content-Type it was signed with", async () => {
    const partner = register();
    const started = await startCharge(sim, partner, clock);
    const path = `${API}/charge/${started.partnerTxID}/status?currency=SGD`;
    const noHeader = await partnerCall(sim, partner, clock, "GET", path, undefined, { contentType: null });
    assert.equal(noHeader.status, 200);
    const date = current.toUTCString();
    const signedWithoutQuery = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `${API}/charge/${started.partnerTxID}/status`,
    );
    assert.equal(signedWithoutQuery.status, 400);
    assert.equal(signedWithoutQuery.json.reason, "currency");
    const swapped = await fetch(`${sim.url}${API}/charge/${started.partnerTxID}/status?currency=MYR`, {
      headers: {
        date,
        "content-type": "application/json",
        authorization: signedAuthorization(partner, "GET", path, date),
      },
    });
    assert.equal(swapped.status, 401);
  });
});

function signedAuthorization(
  partner: ReturnType<typeof newPartner>,
  method: string,
  path: string,
  date: string,
) {
  return `${partner.partnerId}:${clientHmac(partner.partnerSecret, method, "application/json", date, path, "")}`;
}

describe("GrabID authorize", () => {
  it("shows an error page, without redirecting, for an unknown client or an unregistered redirect_uri", async () => {
    const partner = register();
    const init = await partnerCall(sim, partner, clock, "POST", `${API}/charge/init`, initBody(partner));
    const { challenge } = pkcePair();
    const base = authorizeUrl(sim, partner, init.json.request, challenge, "st");
    for (const overrides of [{ client_id: "nobody" }, { redirect_uri: "https://evil.example/cb" }]) {
      const url = new URL(base);
      for (const [k, v] of Object.entries(overrides)) url.searchParams.set(k, v);
      const response = await fetch(url, { redirect: "manual" });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get("location"), null);
    }
  });

  it("redirects with an OAuth error for a bad request, scope, PKCE method or response_type", async () => {
    const partner = register();
    const other = register();
    const init = await partnerCall(sim, partner, clock, "POST", `${API}/charge/init`, initBody(partner));
    const foreign = await partnerCall(sim, other, clock, "POST", `${API}/charge/init`, initBody(other));
    const { challenge } = pkcePair();
    const cases: Array<[Record<string, string>, string]> = [
      [{ request: "garbage" }, "invalid_request"],
      [{ request: foreign.json.request }, "invalid_request"],
      [{ scope: "openid" }, "invalid_scope"],
      [{ code_challenge_method: "plain" }, "invalid_request"],
      [{ code_challenge: "short" }, "invalid_request"],
      [{ response_type: "token" }, "unsupported_response_type"],
      [{ acr_values: "consent_ctx:countryCode=MY,currency=MYR" }, "invalid_request"],
    ];
    for (const [overrides, error] of cases) {
      const response = await fetch(
        authorizeUrl(sim, partner, init.json.request, challenge, "st-1", overrides),
        {
          redirect: "manual",
        },
      );
      assert.equal(response.status, 302, JSON.stringify(overrides));
      const location = new URL(response.headers.get("location") ?? "");
      assert.equal(location.searchParams.get("error"), error, JSON.stringify(overrides));
      assert.equal(location.searchParams.get("state"), "st-1");
    }
  });
});

describe("GrabID token", () => {
  it("verifies PKCE, the client, the redirect_uri, and that a code is used once", async () => {
    const partner = register();
    const started = await startCharge(sim, partner, clock);
    const clicked = await clickConsent(sim, started, "approve");
    const code = clicked.location?.searchParams.get("code") ?? "";
    const wrongVerifier = await exchangeCode(sim, partner, code, pkcePair().verifier);
    assert.equal(wrongVerifier.status, 400);
    assert.equal(wrongVerifier.json.error, "invalid_grant");
    const badClient = await exchangeCode(sim, partner, code, started.verifier, { client_secret: "wrong" });
    assert.equal(badClient.status, 401);
    assert.equal(badClient.json.error, "invalid_client");
    const badRedirect = await exchangeCode(sim, partner, code, started.verifier, {
      redirect_uri: "https://shop.example/x",
    });
    assert.equal(badRedirect.json.error, "invalid_grant");
    const grant = await exchangeCode(sim, partner, code, started.verifier, {
      grant_type: "client_credentials",
    });
    assert.equal(grant.json.error, "unsupported_grant_type");
    const ok = await exchangeCode(sim, partner, code, started.verifier);
    assert.equal(ok.status, 200);
    const reused = await exchangeCode(sim, partner, code, started.verifier);
    assert.equal(reused.json.error, "invalid_grant");
  });

  it("accepts a form-encoded token request too", async () => {
    const partner = register();
    const started = await startCharge(sim, partner, clock);
    const clicked = await clickConsent(sim, started, "approve");
    const response = await fetch(`${sim.url}/grabid/v1/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: partner.clientId,
        client_secret: partner.clientSecret,
        code: clicked.location?.searchParams.get("code") ?? "",
        redirect_uri: partner.redirectUris[0] ?? "",
        code_verifier: started.verifier,
      }),
    });
    assert.equal(response.status, 200);
  });
});

describe("charge/complete proof of possession", () => {
  it("refuses a missing, stale or foreign X-GID-AUX-POP and an expired token", async () => {
    const partner = register();
    const paid = await approvedCharge(sim, partner, clock);
    const path = `${API}/charge/complete`;
    const body = { partnerTxID: paid.partnerTxID };
    const stale = clientPop(partner.clientSecret, paid.accessToken, new Date(current.getTime() - 600_000));
    assert.equal(
      (await tokenCall(sim, partner, clock, paid.accessToken, "POST", path, body, stale)).status,
      401,
    );
    const foreign = clientPop("another-secret", paid.accessToken, current);
    const refused = await tokenCall(sim, partner, clock, paid.accessToken, "POST", path, body, foreign);
    assert.equal(refused.status, 401);
    assert.match(refused.json.message, /X-GID-AUX-POP/);
    const noPop = await fetch(`${sim.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${paid.accessToken}`,
        date: current.toUTCString(),
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
    });
    assert.equal(noPop.status, 401);
    assert.equal((await tokenCall(sim, partner, clock, "not-a-token", "POST", path, body)).status, 401);
    assert.equal((await tokenCall(sim, partner, clock, paid.accessToken, "POST", path, body)).status, 200);

    const start = current;
    current = new Date(start.getTime() + 3600_000);
    try {
      const expired = await tokenCall(sim, partner, clock, paid.accessToken, "POST", path, body);
      assert.equal(expired.status, 401);
      assert.match(expired.json.message, /expired/);
    } finally {
      current = start;
    }
  });

  it("refuses partner HMAC on charge/complete and Bearer on charge/init", async () => {
    const partner = register();
    const paid = await approvedCharge(sim, partner, clock);
    const hmac = await partnerCall(sim, partner, clock, "POST", `${API}/charge/complete`, {
      partnerTxID: paid.partnerTxID,
    });
    assert.equal(hmac.status, 401);
    const bearer = await tokenCall(
      sim,
      partner,
      clock,
      paid.accessToken,
      "POST",
      `${API}/charge/init`,
      initBody(partner),
    );
    assert.equal(bearer.status, 401);
  });
});
