import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ApiError } from "../../core/errors.ts";
import { classifyAddress, parseIPv6 } from "./addresses.ts";
import { checkWebhookUrl, type Resolver } from "./url-policy.ts";

/** No external DNS in tests: names resolve through this table (localhost goes through the system). */
const fakeDns: Record<string, string[]> = {
  "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
  "internal.example.com": ["10.1.2.3"],
  "mixed.example.com": ["93.184.215.14", "127.0.0.1"],
  "mapped.example.com": ["::ffff:169.254.169.254"],
};
const resolve: Resolver = async (host) => {
  const found = fakeDns[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return found;
};

async function verdict(url: string, livemode: boolean): Promise<string> {
  try {
    const parsed = await checkWebhookUrl(url, { livemode, resolve });
    return `ok ${parsed.href}`;
  } catch (error) {
    assert.ok(error instanceof ApiError, `unexpected ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.body.type, "invalid_request_error");
    assert.equal(error.body.code, "url_invalid");
    assert.equal(error.body.param, "url");
    return "refused";
  }
}

// [url, live verdict, test verdict]; "ok" means allowed.
const table: Array<[string, "ok" | "refused", "ok" | "refused"]> = [
  ["https://hooks.example.com/payrail", "ok", "ok"],
  ["http://hooks.example.com:8080/p?x=1", "ok", "ok"],
  ["https://93.184.215.14/hook", "ok", "ok"],
  ["https://[2606:4700::6810:84e5]/hook", "ok", "ok"],
  ["ftp://hooks.example.com/", "refused", "refused"],
  ["javascript:alert(1)", "refused", "refused"],
  ["file:///etc/passwd", "refused", "refused"],
  ["not a url", "refused", "refused"],
  ["/relative/path", "refused", "refused"],
  ["https://user:pass@hooks.example.com/", "refused", "refused"],
  ["https://user@hooks.example.com/", "refused", "refused"],
  [`https://hooks.example.com/${"a".repeat(2030)}`, "refused", "refused"],
  ["http://localhost:3000/hook", "refused", "ok"],
  ["http://LOCALHOST./hook", "refused", "ok"],
  ["http://api.localhost/hook", "refused", "ok"],
  ["http://127.0.0.1:4000/hook", "refused", "ok"],
  ["http://127.1/hook", "refused", "ok"],
  ["http://2130706433/hook", "refused", "ok"], // decimal 127.0.0.1
  ["http://0x7f000001/hook", "refused", "ok"], // hex
  ["http://0x7f.0.0.1/hook", "refused", "ok"],
  ["http://0177.0.0.1/hook", "refused", "ok"], // octal
  ["http://10.0.0.5/hook", "refused", "ok"],
  ["http://172.16.3.4/hook", "refused", "ok"],
  ["http://172.32.0.1/hook", "ok", "ok"], // just outside 172.16/12
  ["http://192.168.1.10/hook", "refused", "ok"],
  ["http://100.64.0.1/hook", "refused", "ok"], // CGNAT
  ["http://[::1]/hook", "refused", "ok"],
  ["http://[fd12:3456::1]/hook", "refused", "ok"], // unique local
  ["http://[::ffff:127.0.0.1]/hook", "refused", "ok"], // IPv4-mapped
  ["http://[::ffff:10.0.0.1]/hook", "refused", "ok"],
  ["http://[::ffff:93.184.215.14]/hook", "ok", "ok"],
  ["http://169.254.169.254/latest/meta-data/", "refused", "refused"],
  ["http://2852039166/latest/meta-data/", "refused", "refused"], // decimal 169.254.169.254
  ["http://[::ffff:169.254.169.254]/", "refused", "refused"],
  ["http://[::ffff:a9fe:a9fe]/", "refused", "refused"],
  ["http://[fd00:ec2::254]/", "refused", "refused"], // AWS IPv6 metadata
  ["http://100.100.100.200/", "refused", "refused"], // Alibaba metadata
  ["http://metadata.google.internal/computeMetadata/v1/", "refused", "refused"],
  ["http://169.254.10.1/", "refused", "refused"], // link-local
  ["http://[fe80::1]/", "refused", "refused"],
  ["http://0.0.0.0:8080/", "refused", "refused"],
  ["http://0/", "refused", "refused"],
  ["http://[::]/", "refused", "refused"],
  ["http://224.0.0.1/", "refused", "refused"],
  ["http://[ff02::1]/", "refused", "refused"],
  ["http://255.255.255.255/", "refused", "refused"],
  ["http://[64:ff9b::7f00:1]/", "refused", "ok"], // NAT64 of 127.0.0.1
  ["http://[2002:7f00:1::]/", "refused", "ok"], // 6to4 of 127.0.0.1
  ["https://internal.example.com/hook", "refused", "ok"], // resolves to 10.1.2.3
  ["https://mixed.example.com/hook", "refused", "ok"], // one of its addresses is loopback
  ["https://mapped.example.com/hook", "refused", "ok"], // test mode does not resolve names
  ["https://nxdomain.example.com/hook", "refused", "ok"],
];

describe("webhook URL policy", () => {
  for (const [url, live, testMode] of table) {
    test(`${url.slice(0, 60)}: live ${live}, test ${testMode}`, async () => {
      assert.equal((await verdict(url, true)).split(" ")[0], live);
      assert.equal((await verdict(url, false)).split(" ")[0], testMode);
    });
  }

  test("localhost is refused in live mode through the system resolver too", async () => {
    await assert.rejects(checkWebhookUrl("http://localhost/", { livemode: true }), /local name/);
    const url = await checkWebhookUrl("http://localhost:9/x", { livemode: false });
    assert.equal(url.href, "http://localhost:9/x");
  });

  test("the URL is normalized (numeric hosts become dotted quads)", async () => {
    assert.equal(await verdict("http://0x7f.1:80/a/../b", false), "ok http://127.0.0.1/b");
    assert.equal(await verdict("HTTPS://Hooks.Example.com", true), "ok https://hooks.example.com/");
  });

  test("messages say what is wrong and never echo credentials", async () => {
    const error = await checkWebhookUrl("https://bob:s3cret@hooks.example.com/", { livemode: true }).catch(
      (e: ApiError) => e,
    );
    assert.ok(error instanceof ApiError);
    assert.match(error.message, /credentials/);
    assert.doesNotMatch(error.message, /s3cret/);
    const internal = await checkWebhookUrl("https://internal.example.com/", {
      livemode: true,
      resolve,
    }).catch((e: ApiError) => e);
    assert.match((internal as ApiError).message, /resolves to a private address \(10\.1\.2\.3\)/);
  });
});

describe("address classification", () => {
  const cases: Array<[string, string]> = [
    ["8.8.8.8", "public"],
    ["127.0.0.1", "loopback"],
    ["10.255.255.255", "private"],
    ["100.127.255.255", "cgnat"],
    ["100.128.0.0", "public"],
    ["169.254.169.254", "metadata"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["::ffff:192.168.0.1", "private"],
    ["::ffff:c0a8:1", "private"],
    ["fe80::1%eth0", "link_local"],
    ["fc00::1", "unique_local"],
    ["2001:db8::1", "reserved"],
    ["2a00:1450:4001::200e", "public"],
    ["not-an-ip", "invalid"],
  ];
  for (const [address, category] of cases) {
    test(`${address} is ${category}`, () => assert.equal(classifyAddress(address), category));
  }

  test("IPv6 parsing expands :: and embedded IPv4", () => {
    assert.deepEqual(parseIPv6("::ffff:1.2.3.4"), [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    assert.deepEqual(parseIPv6("[2001:db8::1]"), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseIPv6("1:2:3:4:5:6:7:8"), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(parseIPv6("1.2.3.4"), undefined);
  });
});
