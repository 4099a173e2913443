import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  detectDevice,
  type InAppBrowser,
  inAppOf,
  type OrderMethodsInput,
  orderMethods,
  shopperCountry,
} from "./method-order.ts";
import type { CheckoutMethod, CheckoutMethodType, ShopperDevice } from "./view-types.ts";

const UA = {
  iphoneSafari:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  ipod: "Mozilla/5.0 (iPod touch; CPU iPhone OS 15_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6 Mobile/15E148 Safari/604.1",
  ipad: "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
  androidChrome:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
  androidTablet:
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36",
  firefoxOsMobile: "Mozilla/5.0 (Mobile; rv:48.0) Gecko/48.0 Firefox/48.0",
  macChrome:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  windowsEdge:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
  linuxFirefox: "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
  wechatIos:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.43(0x18002b2f) NetType/WIFI Language/zh_CN",
  wechatAndroid:
    "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/5317 MMWEBSDK/20230805 MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
  wechatWindows:
    "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Safari/537.36 NetType/WIFI MicroMessenger/7.0.20.1781(0x6700143B) WindowsWechat(0x63090a13)",
  alipayIos:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/20G75 ChannelId(0) Ariver/1.1.0 AliApp(AP/10.5.36.6000) Nebula WK AlipayDefined(nt:WIFI,ws:390|780|3.0) AlipayClient/10.5.36.6000 Language/zh-Hans Region/CN",
  facebookIos:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
  facebookAndroid:
    "Mozilla/5.0 (Linux; Android 13; SM-S911B Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/442.0.0.33.110;]",
  instagram:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 307.0.0.34.111 (iPhone14,5; iOS 17_0; en_US; en; scale=3.00; 1170x2532; 532277127)",
  line: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/13.17.0",
  grab: "Mozilla/5.0 (Linux; Android 12; SM-A525F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36 Grab/5.280.0",
  androidWebView:
    "Mozilla/5.0 (Linux; Android 10; K; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36",
};

describe("detectDevice and inAppOf", () => {
  const table: Array<[string | undefined, ShopperDevice, InAppBrowser | null]> = [
    [UA.iphoneSafari, "mobile", null],
    [UA.ipod, "mobile", null],
    [UA.ipad, "mobile", null],
    [UA.androidChrome, "mobile", null],
    [UA.androidTablet, "mobile", null],
    [UA.firefoxOsMobile, "mobile", null],
    [UA.macChrome, "desktop", null],
    [UA.windowsEdge, "desktop", null],
    [UA.linuxFirefox, "desktop", null],
    [undefined, "desktop", null],
    ["", "desktop", null],
    [UA.wechatIos, "in_app", "wechat"],
    [UA.wechatAndroid, "in_app", "wechat"],
    [UA.wechatWindows, "in_app", "wechat"],
    [UA.alipayIos, "in_app", "alipay"],
    [UA.facebookIos, "in_app", "other"],
    [UA.facebookAndroid, "in_app", "other"],
    [UA.instagram, "in_app", "other"],
    [UA.line, "in_app", "other"],
    [UA.grab, "in_app", "other"],
    [UA.androidWebView, "in_app", "other"],
  ];
  for (const [ua, device, inApp] of table) {
    const name = Object.entries(UA).find(([, v]) => v === ua)?.[0] ?? JSON.stringify(ua);
    it(`${name}: ${device}, ${inApp}`, () => {
      assert.equal(detectDevice(ua), device);
      assert.equal(inAppOf(ua), inApp);
    });
  }
});

describe("shopperCountry", () => {
  const table: Array<[Parameters<typeof shopperCountry>[0], string | null]> = [
    [{}, null],
    [{ sessionCountry: "nl", countryHeader: "DE", acceptLanguage: "zh-CN" }, "NL"],
    [{ sessionCountry: null, countryHeader: "de", acceptLanguage: "zh-CN" }, "DE"],
    [{ sessionCountry: "", countryHeader: "SG" }, "SG"],
    [{ sessionCountry: "Netherlands", countryHeader: "SG" }, "SG"],
    [{ countryHeader: "XX", acceptLanguage: "nl-NL" }, "NL"],
    [{ countryHeader: "T1", acceptLanguage: "nl-NL" }, "NL"],
    [{ countryHeader: "USA", acceptLanguage: "en-GB" }, "GB"],
    [{ countryHeader: "", acceptLanguage: "en-SG,en;q=0.9" }, "SG"],
    [{ acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8" }, "CN"],
    [{ acceptLanguage: "nl-NL,nl;q=0.9" }, "NL"],
    [{ acceptLanguage: "zh-Hans-CN" }, "CN"],
    [{ acceptLanguage: "nl" }, null],
    [{ acceptLanguage: "zh-Hans" }, null],
    [{ acceptLanguage: "es-419" }, null],
    [{ acceptLanguage: "en, zh-cn;q=0.5" }, "CN"],
    [{ acceptLanguage: "en-US;q=0.5, nl-NL" }, "NL"],
    [{ acceptLanguage: "en-US;q=0, th" }, null],
    [{ acceptLanguage: "*" }, null],
    [{ acceptLanguage: "garbage;;,,-" }, null],
  ];
  for (const [input, country] of table) {
    it(`${JSON.stringify(input)} → ${country}`, () => assert.equal(shopperCountry(input), country));
  }
});

const ALL: CheckoutMethodType[] = [
  "card",
  "apple_pay",
  "google_pay",
  "alipay",
  "wechat_pay",
  "paypal",
  "ideal",
  "grabpay",
  "crypto",
];

function order(input: Partial<OrderMethodsInput>): CheckoutMethod[] {
  return orderMethods({
    enabled: ALL,
    currency: "usd",
    amount: 1000,
    country: null,
    device: "desktop",
    inApp: null,
    ...input,
  });
}
const typesOf = (input: Partial<OrderMethodsInput>) => order(input).map((m) => m.type);
const methodOf = (input: Partial<OrderMethodsInput>, type: CheckoutMethodType) =>
  order(input).find((m) => m.type === type);

describe("orderMethods: what fits", () => {
  it("offers iDEAL only in EUR", () => {
    assert.ok(!typesOf({ currency: "usd", country: "NL" }).includes("ideal"));
    assert.ok(typesOf({ currency: "eur" }).includes("ideal"));
  });

  it("offers GrabPay only in its markets' currencies", () => {
    for (const currency of ["SGD", "MYR", "PHP", "THB", "VND", "IDR"]) {
      assert.ok(typesOf({ currency }).includes("grabpay"), currency);
    }
    for (const currency of ["USD", "EUR", "CNY", "AUD"]) {
      assert.ok(!typesOf({ currency }).includes("grabpay"), currency);
    }
  });

  it("offers Alipay and WeChat Pay in CNY and the cross-border currencies only", () => {
    for (const currency of ["CNY", "USD", "EUR", "GBP", "HKD", "SGD", "JPY", "AUD", "CAD"]) {
      const types = typesOf({ currency });
      assert.ok(types.includes("alipay") && types.includes("wechat_pay"), currency);
    }
    for (const currency of ["BRL", "INR", "VND"]) {
      const types = typesOf({ currency });
      assert.ok(!types.includes("alipay") && !types.includes("wechat_pay"), currency);
    }
  });

  it("offers PayPal in PayPal's currencies", () => {
    assert.ok(typesOf({ currency: "usd" }).includes("paypal"));
    assert.ok(typesOf({ currency: "EUR" }).includes("paypal"));
    assert.ok(!typesOf({ currency: "inr" }).includes("paypal"));
    assert.ok(!typesOf({ currency: "vnd" }).includes("paypal"));
  });

  it("offers cards, wallets and crypto in any currency", () => {
    assert.deepEqual(typesOf({ currency: "xof" }), ["apple_pay", "google_pay", "card", "crypto"]);
  });

  it("offers only what is enabled, once", () => {
    assert.deepEqual(typesOf({ enabled: ["card", "card", "paypal"], country: "CN" }), ["card", "paypal"]);
    assert.deepEqual(typesOf({ enabled: [] }), []);
  });
});

describe("orderMethods: default order", () => {
  const table: Array<[string, Partial<OrderMethodsInput>, CheckoutMethodType[]]> = [
    [
      "unknown country, USD",
      {},
      ["apple_pay", "google_pay", "card", "paypal", "alipay", "wechat_pay", "crypto"],
    ],
    [
      "US, USD",
      { country: "US" },
      ["apple_pay", "google_pay", "card", "paypal", "alipay", "wechat_pay", "crypto"],
    ],
    [
      "Netherlands, EUR",
      { country: "NL", currency: "EUR" },
      ["ideal", "apple_pay", "google_pay", "card", "paypal", "alipay", "wechat_pay", "crypto"],
    ],
    [
      "Netherlands, USD",
      { country: "NL", currency: "USD" },
      ["apple_pay", "google_pay", "card", "paypal", "alipay", "wechat_pay", "crypto"],
    ],
    [
      "Germany, EUR",
      { country: "DE", currency: "EUR" },
      ["apple_pay", "google_pay", "card", "paypal", "alipay", "wechat_pay", "ideal", "crypto"],
    ],
    [
      "Singapore, SGD",
      { country: "SG", currency: "SGD" },
      ["grabpay", "apple_pay", "google_pay", "card", "paypal", "alipay", "wechat_pay", "crypto"],
    ],
    [
      "Malaysia, MYR",
      { country: "my", currency: "MYR" },
      ["grabpay", "apple_pay", "google_pay", "card", "paypal", "crypto"],
    ],
    [
      "Indonesia, IDR",
      { country: "ID", currency: "IDR" },
      ["grabpay", "apple_pay", "google_pay", "card", "crypto"],
    ],
    [
      "Singapore shopper paying USD",
      { country: "SG", currency: "USD" },
      ["apple_pay", "google_pay", "card", "paypal", "alipay", "wechat_pay", "crypto"],
    ],
    [
      "China desktop, CNY",
      { country: "CN", currency: "CNY" },
      ["alipay", "wechat_pay", "apple_pay", "google_pay", "card", "paypal", "crypto"],
    ],
    [
      "China mobile, CNY",
      { country: "CN", currency: "CNY", device: "mobile" },
      ["alipay", "wechat_pay", "apple_pay", "google_pay", "card", "paypal", "crypto"],
    ],
    [
      "China, WeChat in-app: WeChat Pay first, no Alipay",
      { country: "CN", currency: "CNY", device: "in_app", inApp: "wechat" },
      ["wechat_pay", "apple_pay", "google_pay", "card", "paypal", "crypto"],
    ],
    [
      "China, Alipay in-app",
      { country: "CN", currency: "CNY", device: "in_app", inApp: "alipay" },
      ["alipay", "wechat_pay", "apple_pay", "google_pay", "card", "paypal", "crypto"],
    ],
    [
      "WeChat in-app, country unknown, USD",
      { currency: "USD", device: "in_app", inApp: "wechat" },
      ["wechat_pay", "apple_pay", "google_pay", "card", "paypal", "crypto"],
    ],
    [
      "Alipay in-app in Singapore, SGD",
      { country: "SG", currency: "SGD", device: "in_app", inApp: "alipay" },
      ["alipay", "grabpay", "apple_pay", "google_pay", "card", "paypal", "wechat_pay", "crypto"],
    ],
    [
      "Facebook in-app, Netherlands, EUR",
      { country: "NL", currency: "EUR", device: "in_app", inApp: "other" },
      ["ideal", "apple_pay", "google_pay", "card", "paypal", "alipay", "wechat_pay", "crypto"],
    ],
  ];
  for (const [name, input, types] of table) {
    it(name, () => assert.deepEqual(typesOf(input), types));
  }
});

describe("orderMethods: merchant order", () => {
  it("replaces the default order; the rest follows in the default order", () => {
    assert.deepEqual(typesOf({ country: "CN", currency: "CNY", merchantOrder: ["card", "wechat_pay"] }), [
      "card",
      "wechat_pay",
      "alipay",
      "apple_pay",
      "google_pay",
      "paypal",
      "crypto",
    ]);
    assert.deepEqual(typesOf({ country: "NL", currency: "EUR", merchantOrder: ["crypto", "paypal"] }), [
      "crypto",
      "paypal",
      "ideal",
      "apple_pay",
      "google_pay",
      "card",
      "alipay",
      "wechat_pay",
    ]);
  });

  it("still filters by currency, enabled methods and the in-app browser", () => {
    assert.deepEqual(
      typesOf({
        enabled: ["card", "ideal", "grabpay"],
        currency: "USD",
        merchantOrder: ["ideal", "grabpay", "card"],
      }),
      ["card"],
    );
    assert.deepEqual(
      typesOf({
        enabled: ["card", "alipay", "wechat_pay"],
        currency: "CNY",
        device: "in_app",
        inApp: "wechat",
        merchantOrder: ["alipay", "card"],
      }),
      ["card", "wechat_pay"],
    );
    assert.deepEqual(typesOf({ enabled: ["card"], merchantOrder: ["paypal", "card", "card"] }), ["card"]);
  });

  it("an empty or absent merchant order changes nothing", () => {
    const base = typesOf({ country: "SG", currency: "SGD" });
    assert.deepEqual(typesOf({ country: "SG", currency: "SGD", merchantOrder: [] }), base);
    assert.deepEqual(typesOf({ country: "SG", currency: "SGD", merchantOrder: null }), base);
  });
});

describe("orderMethods: flows and channels", () => {
  const china = { country: "CN", currency: "CNY" } as const;
  const table: Array<[string, Partial<OrderMethodsInput>, CheckoutMethodType, CheckoutMethod]> = [
    ["alipay desktop", { ...china }, "alipay", { type: "alipay", flow: "qr_code", channel: "qr" }],
    [
      "alipay mobile",
      { ...china, device: "mobile" },
      "alipay",
      { type: "alipay", flow: "redirect", channel: "mobile_web" },
    ],
    [
      "alipay in Alipay",
      { ...china, device: "in_app", inApp: "alipay" },
      "alipay",
      { type: "alipay", flow: "redirect", channel: "mobile_web" },
    ],
    [
      "alipay in Facebook",
      { ...china, device: "in_app", inApp: "other" },
      "alipay",
      { type: "alipay", flow: "redirect", channel: "mobile_web" },
    ],
    [
      "wechat_pay desktop",
      { ...china },
      "wechat_pay",
      { type: "wechat_pay", flow: "qr_code", channel: "qr" },
    ],
    [
      "wechat_pay mobile",
      { ...china, device: "mobile" },
      "wechat_pay",
      { type: "wechat_pay", flow: "redirect", channel: "mobile_web" },
    ],
    [
      "wechat_pay in WeChat: long-press QR",
      { ...china, device: "in_app", inApp: "wechat" },
      "wechat_pay",
      { type: "wechat_pay", flow: "qr_code", channel: "qr" },
    ],
    [
      "wechat_pay in Alipay",
      { ...china, device: "in_app", inApp: "alipay" },
      "wechat_pay",
      { type: "wechat_pay", flow: "redirect", channel: "mobile_web" },
    ],
    ["paypal desktop", {}, "paypal", { type: "paypal", flow: "redirect", channel: "web" }],
    [
      "paypal mobile",
      { device: "mobile" },
      "paypal",
      { type: "paypal", flow: "redirect", channel: "mobile_web" },
    ],
    ["ideal desktop", { currency: "EUR" }, "ideal", { type: "ideal", flow: "redirect", channel: "web" }],
    [
      "ideal in app",
      { currency: "EUR", device: "in_app", inApp: "other" },
      "ideal",
      { type: "ideal", flow: "redirect", channel: "mobile_web" },
    ],
    [
      "grabpay desktop",
      { currency: "SGD" },
      "grabpay",
      { type: "grabpay", flow: "redirect", channel: "web" },
    ],
    [
      "grabpay mobile",
      { currency: "SGD", device: "mobile" },
      "grabpay",
      { type: "grabpay", flow: "redirect", channel: "mobile_web" },
    ],
    ["crypto desktop", {}, "crypto", { type: "crypto", flow: "redirect", channel: "web" }],
    ["card", { device: "mobile" }, "card", { type: "card", flow: "card_fields" }],
    ["apple_pay", {}, "apple_pay", { type: "apple_pay", flow: "wallet", needs_browser_support: true }],
    ["google_pay", {}, "google_pay", { type: "google_pay", flow: "wallet", needs_browser_support: true }],
  ];
  for (const [name, input, type, method] of table) {
    it(name, () => assert.deepEqual(methodOf(input, type), method));
  }

  it("uses only channels the API accepts", () => {
    const accepted = new Set(["web", "mobile_web", "qr", "app", "in_app"]);
    for (const device of ["desktop", "mobile", "in_app"] as const) {
      for (const inApp of [null, "wechat", "alipay", "other"] as const) {
        for (const method of order({ currency: "EUR", device, inApp })) {
          if (method.channel !== undefined) assert.ok(accepted.has(method.channel), method.channel);
        }
      }
    }
  });
});
