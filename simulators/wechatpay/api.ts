/** The shape of an authenticated API call as handlers see it. */
import type { Context } from "./context.ts";
import type { Sent } from "./http.ts";
import type { Merchant } from "./merchants.ts";
import type { JsonObject } from "./validation.ts";

export interface ApiCall {
  ctx: Context;
  merchant: Merchant;
  /** Decoded path parameters, in pattern order. */
  params: string[];
  query: URLSearchParams;
  /** The parsed JSON body of a POST; an empty object for GET. */
  body: JsonObject;
}

export type ApiHandler = (call: ApiCall) => Sent;
