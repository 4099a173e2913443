/** HAL links as Mollie writes them: `{ href, type }`, API resources as hal+json, pages as html. */

export interface Link {
  href: string;
  type: "application/hal+json" | "text/html" | "text/csv";
}

export const api = (href: string): Link => ({ href, type: "application/hal+json" });
export const page = (href: string): Link => ({ href, type: "text/html" });

export const DOCS = {
  createPayment: page("https://docs.mollie.com/reference/create-payment"),
  getPayment: page("https://docs.mollie.com/reference/get-payment"),
  listPayments: page("https://docs.mollie.com/reference/list-payments"),
  createRefund: page("https://docs.mollie.com/reference/create-refund"),
  getRefund: page("https://docs.mollie.com/reference/get-refund"),
  listRefunds: page("https://docs.mollie.com/reference/list-refunds"),
  getSettlement: page("https://docs.mollie.com/reference/get-settlement"),
  listSettlements: page("https://docs.mollie.com/reference/list-settlements"),
};
