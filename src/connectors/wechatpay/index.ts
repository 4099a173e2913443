/**
 * The WeChat Pay connector: API v3 for a direct merchant. Native (QR), H5, JSAPI and App orders,
 * queries, closing, domestic refunds, notifications and the trade bill, over a thin signed fetch client.
 */
import type {
  AuthorizeResult,
  CallContext,
  CloseRequest,
  Connector,
  LocalPaymentRequest,
  ModifyResult,
} from "../contract.ts";
import {
  type BillDownload,
  type BillOptions,
  downloadBill,
  type TradeBillLink,
  tradeBillUrl,
} from "./bill.ts";
import { wechatPayConfigSchema, wechatPaySecretFields } from "./config.ts";
import { type ConnectionOptions, connect } from "./connection.ts";
import { closePayment, startPayment, syncPayment } from "./payments.ts";
import { refund, syncRefund } from "./refunds.ts";
import { verifyWechatPayWebhook } from "./webhooks.ts";

export {
  type BillDownload,
  type BillOptions,
  type BillType,
  downloadBill,
  type TradeBillLink,
  tradeBillUrl,
} from "./bill.ts";
export type { TradeBill, TradeBillRow, TradeBillSummary } from "./bill-csv.ts";
export { type WechatPayConfig, wechatPayConfigSchema, wechatPaySecretFields } from "./config.ts";

export interface WechatPayConnectorOptions {
  baseUrl: () => string;
  /** The clock that signs requests and judges Wechatpay-Timestamp (tests move it with the simulator's). */
  now?: () => Date;
}

export interface WechatPayConnector extends Connector {
  startPayment(call: CallContext, request: LocalPaymentRequest): Promise<AuthorizeResult>;
  closePayment(call: CallContext, request: CloseRequest): Promise<ModifyResult>;
  /** Applies for a Beijing day's trade bill (yyyy-MM-dd). */
  tradeBillUrl(call: CallContext, billDate: string, options?: BillOptions): Promise<TradeBillLink>;
  /** Downloads and parses a bill from the URL `tradeBillUrl` gave, checking its SHA-1 when given. */
  downloadBill(call: CallContext, url: string, options?: { sha1?: string }): Promise<BillDownload>;
}

export function createWechatPayConnector(options: WechatPayConnectorOptions): WechatPayConnector {
  const connection: ConnectionOptions = { baseUrl: options.baseUrl, now: options.now };

  return {
    id: "wechat_pay",
    displayName: "WeChat Pay",
    configSchema: wechatPayConfigSchema,
    secretFields: wechatPaySecretFields,
    // WeChat takes any 200 or 204; this is the JSON answer its documentation shows.
    webhookAcknowledgement: {
      contentType: "application/json; charset=utf-8",
      body: JSON.stringify({ code: "SUCCESS", message: "成功" }),
    },
    capabilities: {
      paymentMethods: ["wechat_pay"],
      currencies: ["cny"],
      manualCapture: false,
      partialCapture: false,
      multipleCaptures: false,
      refunds: true,
      webhooks: true,
    },

    async authorize() {
      return {
        outcome: "declined",
        declineCode: "card_not_supported",
        providerMessage: "WeChat Pay does not take cards",
      };
    },
    async capture() {
      return { outcome: "failed", reason: "not_supported" };
    },
    async void() {
      return { outcome: "failed", reason: "not_supported" };
    },

    async startPayment(call, request) {
      const { c, config } = connect(call, connection);
      return startPayment(c, config, request, call.notificationUrl);
    },
    async sync(call, request) {
      return syncPayment(connect(call, connection).c, request);
    },
    async closePayment(call, request) {
      return closePayment(connect(call, connection).c, request);
    },
    async refund(call, request) {
      return refund(connect(call, connection).c, request, call.notificationUrl);
    },
    async syncRefund(call, request) {
      return syncRefund(connect(call, connection).c, request);
    },

    async verifyWebhook(account, webhook, at) {
      return verifyWechatPayWebhook(account, webhook, at);
    },

    /**
     * None from here: a test account needs the running simulator's trust anchors and a merchant key it
     * registers, so Payrail makes it with `simulatedAccounts` (simulated.ts).
     */
    defaultTestAccountConfig() {
      return undefined;
    },

    tradeBillUrl: (call, billDate, extra = {}) => tradeBillUrl(call, billDate, { ...connection, ...extra }),
    downloadBill: (call, url, extra = {}) => downloadBill(call, url, { ...connection, ...extra }),
  };
}
