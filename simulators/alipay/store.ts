/** In-memory state of one simulator: registered apps, trades (by app and out_trade_no), bill links. */
import type { KeyObject } from "node:crypto";

export interface App {
  appId: string;
  publicKey: KeyObject;
  /** The merchant's PID, 2088 + 12 digits; also the seller_id of its trades. */
  sellerId: string;
  sellerEmail: string;
}

export type TradeStatus = "WAIT_BUYER_PAY" | "TRADE_SUCCESS" | "TRADE_FINISHED" | "TRADE_CLOSED";

export type PayMethod =
  | "alipay.trade.page.pay"
  | "alipay.trade.wap.pay"
  | "alipay.trade.app.pay"
  | "alipay.trade.precreate";

export interface Refund {
  outRequestNo: string;
  amountFen: bigint;
  at: Date;
  /** Cumulative refunded amount right after this refund (Alipay's `refund_fee`). */
  refundFeeAfterFen: bigint;
}

export interface Buyer {
  userId: string;
  logonId: string;
}

/**
 * An order placed by a merchant. Like Alipay, it becomes a trade (with a trade_no, visible to query and
 * close) only once the buyer reaches it: opens the cashier, scans the QR code or opens the app.
 */
export interface Trade {
  appId: string;
  sellerId: string;
  sellerEmail: string;
  outTradeNo: string;
  method: PayMethod;
  productCode: string;
  subject: string;
  body: string | undefined;
  totalFen: bigint;
  passbackParams: string | undefined;
  notifyUrl: string | undefined;
  returnUrl: string | undefined;
  quitUrl: string | undefined;
  /** Secret part of the cashier and QR URLs. */
  token: string;
  placedAt: Date;
  expiresAt: Date;
  status: TradeStatus;
  tradeNo: string | null;
  gmtCreate: Date | null;
  gmtPayment: Date | null;
  gmtClose: Date | null;
  buyer: Buyer | null;
  refunds: Refund[];
}

export interface BillLink {
  appId: string;
  billDate: string;
  issuedAt: Date;
}

export function refundedFen(trade: Trade): bigint {
  return trade.refunds.reduce((sum, refund) => sum + refund.amountFen, 0n);
}

export function createStore() {
  const apps = new Map<string, App>();
  const trades = new Map<string, Trade>();
  const byTradeNo = new Map<string, Trade>();
  const byToken = new Map<string, Trade>();
  const billLinks = new Map<string, BillLink>();
  const key = (appId: string, outTradeNo: string) => `${appId}\u0000${outTradeNo}`;

  return {
    apps,
    billLinks,
    addTrade(trade: Trade): void {
      trades.set(key(trade.appId, trade.outTradeNo), trade);
      byToken.set(trade.token, trade);
    },
    /** Gives the trade its trade_no once the buyer has reached it. */
    indexTradeNo(trade: Trade): void {
      if (trade.tradeNo) byTradeNo.set(trade.tradeNo, trade);
    },
    byOutTradeNo: (appId: string, outTradeNo: string) => trades.get(key(appId, outTradeNo)),
    byTradeNo(appId: string, tradeNo: string): Trade | undefined {
      const trade = byTradeNo.get(tradeNo);
      return trade?.appId === appId ? trade : undefined;
    },
    byToken: (token: string) => byToken.get(token),
    all: () => trades.values(),
    forApp: (appId: string) => [...trades.values()].filter((trade) => trade.appId === appId),
  };
}

export type Store = ReturnType<typeof createStore>;
