import type { SavedCard } from "../../../../src/checkout/view-types.ts";
import type { T } from "../t.ts";

/** A signed-in customer's saved cards; the CVC is asked only when no passkey confirms the payment. */
export function SavedCards(props: {
  t: T;
  cards: SavedCard[];
  disabled: boolean;
  selected: string | null;
  onSelect(id: string | null): void;
  askCvc: boolean;
  cvc: string;
  onCvc(value: string): void;
}) {
  const { t } = props;
  return (
    <fieldset class="pr-saved" disabled={props.disabled}>
      <legend>{t("saved.heading")}</legend>
      {props.cards.map((card) => (
        <label class="pr-method" key={card.id}>
          <input
            type="radio"
            name="saved"
            checked={props.selected === card.id}
            onChange={() => props.onSelect(card.id)}
          />
          <span>
            {t("saved.card", {
              brand: card.brand,
              last4: card.last4,
              month: String(card.exp_month).padStart(2, "0"),
              year: String(card.exp_year).slice(-2),
            })}
          </span>
        </label>
      ))}
      <label class="pr-method">
        <input
          type="radio"
          name="saved"
          checked={props.selected === null}
          onChange={() => props.onSelect(null)}
        />
        <span>{t("saved.use_new")}</span>
      </label>
      {props.askCvc && (
        <div class="pr-field">
          <label for="pr-saved-cvc">{t("saved.confirm_with_cvc")}</label>
          <input
            id="pr-saved-cvc"
            inputMode="numeric"
            autoComplete="cc-csc"
            maxLength={4}
            value={props.cvc}
            onInput={(e) => props.onCvc((e.target as HTMLInputElement).value.replace(/\D/g, ""))}
          />
        </div>
      )}
    </fieldset>
  );
}
