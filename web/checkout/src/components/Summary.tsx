import type { CheckoutView, DisplayQuote } from "../../../../src/checkout/view-types.ts";
import { formatAmount, LOCALE_NAMES } from "../i18n/index.ts";
import type { T } from "../t.ts";

/** What is being paid for: the shop, the items, the total (and in another currency), the language. */
export function Summary(props: {
  t: T;
  view: CheckoutView;
  amount: string;
  displayQuote: DisplayQuote | null;
  onShowIn(currency: string): void;
  onLocale(locale: string): void;
}) {
  const { t, view, amount, displayQuote } = props;
  return (
    <header class="pr-summary">
      <div class="pr-topline">
        <p class="pr-merchant">{view.merchant.name}</p>
        <label class="pr-language">
          <span class="pr-visually-hidden">{t("page.language")}</span>
          <select value={view.locale} onChange={(e) => props.onLocale((e.target as HTMLSelectElement).value)}>
            {Object.entries(LOCALE_NAMES).map(([code, name]) => (
              <option value={code} lang={code} key={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!view.livemode && <p class="pr-test-mode">{t("page.test_mode")}</p>}
      {view.session && view.session.line_items.length > 0 && (
        <ul class="pr-items">
          {view.session.line_items.map((item) => (
            <li key={item.name}>
              <span>
                {item.name} · {t("page.quantity", { quantity: item.quantity })}
              </span>
              <span>{formatAmount(item.amount, view.intent.currency, view.locale)}</span>
            </li>
          ))}
        </ul>
      )}
      <p class="pr-total">
        <span>{t("page.total")}</span>
        <strong data-testid="total">{amount}</strong>
      </p>
      {view.display_currencies.length > 0 && (
        <div class="pr-fx">
          <label>
            {t("fx.show_in")}{" "}
            <select
              value={displayQuote?.currency ?? ""}
              onChange={(e) => props.onShowIn((e.target as HTMLSelectElement).value)}
            >
              <option value="">{view.intent.currency.toUpperCase()}</option>
              {view.display_currencies.map((c) => (
                <option value={c} key={c}>
                  {c.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          {displayQuote && (
            <p class="pr-hint" data-testid="fx-quote">
              {t("fx.quote", {
                amount: formatAmount(displayQuote.amount, displayQuote.currency, view.locale),
                from: view.intent.currency.toUpperCase(),
                rate: displayQuote.rate,
                to: displayQuote.currency.toUpperCase(),
                time: displayQuote.expires_at
                  ? new Date(displayQuote.expires_at * 1000).toLocaleTimeString(view.locale, {
                      hour: "2-digit",
                      minute: "2-digit",
                    })
                  : "",
                charged: amount,
              })}
            </p>
          )}
        </div>
      )}
    </header>
  );
}
