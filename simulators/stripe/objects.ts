/** Read-only retrieval of the objects a payment leaves behind: charges, payment methods, balance transactions. */
import type { Call, SimContext } from "./context.ts";
import { notFound, type Outcome, ok } from "./outcomes.ts";
import { balanceTransactionWire, chargeWire, paymentMethodWire } from "./wire.ts";

export function retrieveCharge(_ctx: SimContext, call: Call): Outcome {
  const id = call.path.charge ?? "";
  const charge = call.account.charges.get(id);
  return charge ? ok(chargeWire(charge, call.account)) : notFound("charge", id, "charge");
}

export function retrievePaymentMethod(_ctx: SimContext, call: Call): Outcome {
  const id = call.path.payment_method ?? "";
  const pm = call.account.paymentMethods.get(id);
  return pm ? ok(paymentMethodWire(pm)) : notFound("PaymentMethod", id, "payment_method");
}

export function retrieveBalanceTransaction(ctx: SimContext, call: Call): Outcome {
  const id = call.path.id ?? "";
  const txn = call.account.balanceTransactions.get(id);
  return txn ? ok(balanceTransactionWire(txn, ctx.now)) : notFound("balance transaction", id, "id");
}
