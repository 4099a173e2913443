/**
 * The card form: number, expiry date, security code and optionally the name on the card.
 *
 * Card data stays in the inputs' values and this component's state: it is never logged, never put in a
 * URL or in any attribute, and the inputs have no `name`, so even a native form submission cannot send it.
 * The parent reads it once, at submit time, through `fieldsRef`.
 */
import { useEffect, useId, useRef, useState } from "preact/hooks";
import {
  BRAND_NAMES,
  type CardBrand,
  cardNumberState,
  cvcLengths,
  cvcState,
  digitsOnly,
  expiryState,
  formatCardNumber,
  formatExpiryInput,
  numberReadyToAdvance,
} from "../card/index.ts";
import type { MessageKey } from "../i18n/messages/en.ts";

export interface CardInput {
  /** Digits only. */
  number: string;
  exp_month: number;
  /** Four digits. */
  exp_year: number;
  cvc: string;
  name?: string;
}

export interface CardFieldsProps {
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  disabled: boolean;
  /** The brands the merchant takes; all when absent. */
  acceptedBrands?: CardBrand[];
  /** Shows the optional "Name on card" field. */
  askName?: boolean;
  /** Called when the form becomes complete or incomplete, or the detected brand changes. */
  onChange(state: { complete: boolean; brand: CardBrand | null }): void;
  /**
   * Set to a function the parent calls on submit: it validates every field as final, shows every error,
   * focuses the first invalid field and returns null; or returns the card.
   */
  fieldsRef: { current: (() => CardInput | null) | null };
}

type Field = "number" | "expiry" | "cvc";

const NOT_FINAL: Record<Field, boolean> = { number: false, expiry: false, cvc: false };

/** The caret position just after the `count`-th digit of `text`. */
function caretAfterDigits(text: string, count: number): number {
  if (count <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i]! >= "0" && text[i]! <= "9" && ++seen === count) return i + 1;
  }
  return text.length;
}

interface Edit {
  value: string;
  /** The edit added digits with the caret at the end: the shopper is typing forward. */
  typedForward: boolean;
}

/**
 * Reformats an input after an edit and keeps the caret next to the same digit. A deletion that removed
 * only a separator removes the digit beside it too, so backspace never gets stuck on a space or slash.
 */
function applyEdit(
  el: HTMLInputElement,
  event: Event,
  previous: string,
  format: (raw: string, previous: string) => string,
): Edit {
  let raw = el.value;
  let caret = el.selectionStart ?? raw.length;
  const inputType = (event as InputEvent).inputType ?? "";
  if (raw.length < previous.length && digitsOnly(raw) === digitsOnly(previous)) {
    if (inputType === "deleteContentForward") {
      const next = raw.slice(caret).search(/\d/);
      if (next >= 0) raw = raw.slice(0, caret + next) + raw.slice(caret + next + 1);
    } else {
      let at = caret - 1;
      while (at >= 0 && !/\d/.test(raw[at]!)) at--;
      if (at >= 0) {
        raw = raw.slice(0, at) + raw.slice(at + 1);
        caret = at;
      }
    }
  }
  const atEnd = caret >= raw.length;
  const digitsBefore = digitsOnly(raw.slice(0, caret)).length;
  const value = format(raw, previous);
  if (value !== el.value) el.value = value;
  if (el.ownerDocument.activeElement === el) {
    const position = atEnd ? value.length : caretAfterDigits(value, digitsBefore);
    el.setSelectionRange(position, position);
  }
  return { value, typedForward: atEnd && digitsOnly(value).length > digitsOnly(previous).length };
}

export function CardFields(props: CardFieldsProps) {
  const { t, disabled, acceptedBrands } = props;
  const id = useId();
  const ids = {
    number: `${id}-number`,
    expiry: `${id}-expiry`,
    cvc: `${id}-cvc`,
    name: `${id}-name`,
    cvcHint: `${id}-cvc-hint`,
  };
  const [values, setValues] = useState({ number: "", expiry: "", cvc: "", name: "" });
  const [final, setFinal] = useState(NOT_FINAL);
  const numberRef = useRef<HTMLInputElement>(null);
  const expiryRef = useRef<HTMLInputElement>(null);
  const cvcRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  /** What each formatted input last showed: the `previous` of the next edit, even before a re-render. */
  const shown = useRef({ number: "", expiry: "" });

  const number = cardNumberState(values.number, { final: final.number }, acceptedBrands);
  const expiry = expiryState(values.expiry, new Date(), { final: final.expiry });
  const cvc = cvcState(values.cvc, number.brand, { final: final.cvc });
  const complete =
    number.valid && expiry.month !== null && expiry.error === null && cvc.complete && !cvc.error;

  const onChangeRef = useRef(props.onChange);
  onChangeRef.current = props.onChange;
  useEffect(() => {
    onChangeRef.current({ complete, brand: number.brand });
  }, [complete, number.brand]);

  const edit = (field: Field | "name", value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (field !== "name") setFinal((f) => (f[field] ? { ...f, [field]: false } : f));
  };
  const blur = (field: Field, value: string) => {
    if (value !== "") setFinal((f) => ({ ...f, [field]: true }));
  };

  const onNumberInput = (event: Event) => {
    const el = event.currentTarget as HTMLInputElement;
    const { value, typedForward } = applyEdit(el, event, shown.current.number, formatCardNumber);
    shown.current.number = value;
    edit("number", value);
    if (typedForward && numberReadyToAdvance(cardNumberState(value, { final: false }, acceptedBrands))) {
      expiryRef.current?.focus();
    }
  };
  const onExpiryInput = (event: Event) => {
    const el = event.currentTarget as HTMLInputElement;
    const { value, typedForward } = applyEdit(el, event, shown.current.expiry, formatExpiryInput);
    shown.current.expiry = value;
    edit("expiry", value);
    const state = expiryState(value, new Date(), { final: false });
    if (typedForward && state.month !== null && state.error === null) cvcRef.current?.focus();
  };
  const onCvcInput = (event: Event) => {
    const el = event.currentTarget as HTMLInputElement;
    const value = digitsOnly(el.value).slice(0, 4);
    if (value !== el.value) el.value = value;
    edit("cvc", value);
  };
  /** Backspace in an empty field goes back to the previous one, undoing an automatic advance. */
  const backTo = (previous: { current: HTMLInputElement | null }) => (event: KeyboardEvent) => {
    if (event.key === "Backspace" && (event.currentTarget as HTMLInputElement).value === "") {
      event.preventDefault();
      previous.current?.focus();
    }
  };

  const { fieldsRef } = props;
  useEffect(() => {
    fieldsRef.current = () => {
      // Read the inputs themselves: they hold every edit, even one not yet rendered.
      const numberText = numberRef.current?.value ?? "";
      const expiryText = expiryRef.current?.value ?? "";
      const cvcText = cvcRef.current?.value ?? "";
      const nameText = nameRef.current?.value.trim() ?? "";
      setFinal({ number: true, expiry: true, cvc: true });
      const n = cardNumberState(numberText, { final: true }, acceptedBrands);
      const e = expiryState(expiryText, new Date(), { final: true });
      const c = cvcState(cvcText, n.brand, { final: true });
      const invalid = (field: { current: HTMLInputElement | null }) => {
        field.current?.focus();
        return null;
      };
      if (!n.valid) return invalid(numberRef);
      if (e.month === null || e.year === null || e.error) return invalid(expiryRef);
      if (c.error || !c.complete) return invalid(cvcRef);
      return {
        number: n.digits,
        exp_month: e.month,
        exp_year: e.year,
        cvc: c.value,
        ...(props.askName && nameText ? { name: nameText } : {}),
      };
    };
    return () => {
      fieldsRef.current = null;
    };
  });

  const errors = {
    number: number.error ? t(`card.${number.error}` as const) : null,
    expiry: expiry.error ? t(`card.${expiry.error}` as const) : null,
    cvc: cvc.error ? t(`card.${cvc.error}` as const) : null,
  };
  const errorId = (field: Field) => (errors[field] ? `${id}-${field}-error` : undefined);
  const describedBy = (...parts: Array<string | undefined>) => parts.filter(Boolean).join(" ") || undefined;
  const errorText = (field: Field) =>
    errors[field] && (
      <p id={errorId(field)} class="pr-field-error" role="alert">
        {errors[field]}
      </p>
    );
  const brandName = number.brand ? BRAND_NAMES[number.brand] : null;

  return (
    <div class="pr-card-fields">
      <div class="pr-field">
        <div class="pr-field-head">
          <label class="pr-field-label" for={ids.number}>
            {t("card.number")}
          </label>
          <span class="pr-card-brand" aria-live="polite">
            {brandName && <span aria-hidden="true">{brandName}</span>}
            {brandName && (
              <span class="pr-visually-hidden">{t("card.brand_detected", { brand: brandName })}</span>
            )}
          </span>
        </div>
        <input
          ref={numberRef}
          id={ids.number}
          class="pr-input"
          type="text"
          inputmode="numeric"
          autocomplete="cc-number"
          spellcheck={false}
          enterkeyhint="next"
          aria-required="true"
          aria-invalid={errors.number ? "true" : undefined}
          aria-describedby={describedBy(errorId("number"))}
          disabled={disabled}
          value={values.number}
          onInput={onNumberInput}
          onBlur={(e) => blur("number", e.currentTarget.value)}
        />
        {errorText("number")}
      </div>

      <div class="pr-card-row">
        <div class="pr-field">
          <label class="pr-field-label" for={ids.expiry}>
            {t("card.expiry")}
          </label>
          <input
            ref={expiryRef}
            id={ids.expiry}
            class="pr-input"
            type="text"
            inputmode="numeric"
            autocomplete="cc-exp"
            spellcheck={false}
            enterkeyhint="next"
            aria-required="true"
            aria-invalid={errors.expiry ? "true" : undefined}
            aria-describedby={describedBy(errorId("expiry"))}
            disabled={disabled}
            value={values.expiry}
            onInput={onExpiryInput}
            onKeyDown={backTo(numberRef)}
            onBlur={(e) => blur("expiry", e.currentTarget.value)}
          />
          {errorText("expiry")}
        </div>

        <div class="pr-field">
          <label class="pr-field-label" for={ids.cvc}>
            {t("card.cvc")}
          </label>
          <input
            ref={cvcRef}
            id={ids.cvc}
            class="pr-input"
            type="text"
            inputmode="numeric"
            autocomplete="cc-csc"
            spellcheck={false}
            maxlength={cvcLengths(number.brand).at(-1)}
            enterkeyhint={props.askName ? "next" : "done"}
            aria-required="true"
            aria-invalid={errors.cvc ? "true" : undefined}
            aria-describedby={describedBy(errorId("cvc"), ids.cvcHint)}
            disabled={disabled}
            value={values.cvc}
            onInput={onCvcInput}
            onKeyDown={backTo(expiryRef)}
            onBlur={(e) => blur("cvc", e.currentTarget.value)}
          />
          {errorText("cvc")}
          <p id={ids.cvcHint} class="pr-field-hint">
            {t("card.cvc_hint")}
          </p>
        </div>
      </div>

      {props.askName && (
        <div class="pr-field">
          <label class="pr-field-label" for={ids.name}>
            {t("card.name")}
          </label>
          <input
            ref={nameRef}
            id={ids.name}
            class="pr-input"
            type="text"
            autocomplete="cc-name"
            spellcheck={false}
            enterkeyhint="done"
            disabled={disabled}
            value={values.name}
            onInput={(e) => edit("name", e.currentTarget.value)}
          />
        </div>
      )}
    </div>
  );
}
