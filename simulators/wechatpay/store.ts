/** Orders and refunds, in memory, per merchant. Amounts are fen as bigint. */

export type TradeType = "NATIVE" | "JSAPI" | "APP" | "MWEB";
export type TradeState = "NOTPAY" | "SUCCESS" | "REFUND" | "CLOSED" | "PAYERROR" | "USERPAYING" | "REVOKED";
export type RefundStatus = "PROCESSING" | "SUCCESS" | "CLOSED" | "ABNORMAL";

export interface Order {
  mchid: string;
  appid: string;
  outTradeNo: string;
  tradeType: TradeType;
  description: string;
  attach: string | undefined;
  notifyUrl: string;
  total: bigint;
  currency: "CNY";
  /** JSAPI orders name their payer up front; other payers are known once they pay. */
  payerOpenid: string | undefined;
  createdAt: Date;
  expireAt: Date | null;
  prepayId: string;
  /** The `pr` of the Native code_url. */
  codeToken: string;
  /** Same out_trade_no and the same request: the original prepay answer again. */
  fingerprint: string;
  state: TradeState;
  transactionId: string | undefined;
  successTime: Date | undefined;
  bankType: string | undefined;
  /** Refunds still counting against the paid amount (processing, succeeded or abnormal). */
  refunds: Refund[];
}

export interface Refund {
  refundId: string;
  outRefundNo: string;
  order: Order;
  amount: bigint;
  reason: string | undefined;
  notifyUrl: string | undefined;
  fundsAccount: "AVAILABLE" | "UNSETTLED";
  status: RefundStatus;
  createdAt: Date;
  successTime: Date | undefined;
}

export interface Store {
  addOrder(order: Order): void;
  order(mchid: string, outTradeNo: string): Order | undefined;
  orderByTransactionId(mchid: string, transactionId: string): Order | undefined;
  /** Called once an order is paid and has its transaction_id. */
  indexTransaction(order: Order): void;
  orderByPrepayId(prepayId: string): Order | undefined;
  orderByCodeToken(token: string): Order | undefined;
  addRefund(refund: Refund): void;
  refund(mchid: string, outRefundNo: string): Refund | undefined;
  orders(mchid: string): Order[];
  refunds(mchid: string): Refund[];
}

export function createStore(): Store {
  const orders = new Map<string, Order>();
  const byTransaction = new Map<string, Order>();
  const byPrepay = new Map<string, Order>();
  const byCode = new Map<string, Order>();
  const refunds = new Map<string, Refund>();
  const key = (mchid: string, id: string) => `${mchid}\u0000${id}`;
  return {
    addOrder(order) {
      orders.set(key(order.mchid, order.outTradeNo), order);
      byPrepay.set(order.prepayId, order);
      byCode.set(order.codeToken, order);
    },
    order: (mchid, outTradeNo) => orders.get(key(mchid, outTradeNo)),
    orderByTransactionId(mchid, transactionId) {
      const order = byTransaction.get(transactionId);
      return order?.mchid === mchid ? order : undefined;
    },
    orderByPrepayId: (prepayId) => byPrepay.get(prepayId),
    orderByCodeToken: (token) => byCode.get(token),
    addRefund(refund) {
      refunds.set(key(refund.order.mchid, refund.outRefundNo), refund);
      refund.order.refunds.push(refund);
    },
    refund: (mchid, outRefundNo) => refunds.get(key(mchid, outRefundNo)),
    orders: (mchid) => [...orders.values()].filter((order) => order.mchid === mchid),
    refunds: (mchid) => [...refunds.values()].filter((refund) => refund.order.mchid === mchid),
    indexTransaction(order) {
      if (order.transactionId) byTransaction.set(order.transactionId, order);
    },
  };
}
