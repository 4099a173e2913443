/** An account's configuration turned into what a call needs: where to send it and the keys to sign and verify. */
import type { CallContext } from "../contract.ts";
import type { WechatPayConnection } from "./client.ts";
import { WECHAT_PAY_PRODUCTION_URL, type WechatPayConfig, wechatPayConfigSchema } from "./config.ts";
import { accountKeys } from "./keys.ts";

export interface ConnectionOptions {
  /** Where the API is when the account sets no base_url (the simulator Payrail runs, in tests). */
  baseUrl?: (() => string) | undefined;
  /** The clock that signs requests and judges Wechatpay-Timestamp; the real one by default. */
  now?: (() => Date) | undefined;
}

export function connect(
  call: CallContext,
  options: ConnectionOptions,
): { c: WechatPayConnection; config: WechatPayConfig } {
  const config = wechatPayConfigSchema.parse(call.account.config);
  const keys = accountKeys(config);
  const baseUrl = (config.base_url ?? options.baseUrl?.() ?? WECHAT_PAY_PRODUCTION_URL).replace(/\/+$/, "");
  return {
    c: {
      baseUrl,
      signer: { mchid: config.mchid, serialNo: config.merchant_serial_no, privateKey: keys.merchantKey },
      keys,
      timeoutMs: call.timeoutMs,
      now: options.now ?? (() => new Date()),
    },
    config,
  };
}
