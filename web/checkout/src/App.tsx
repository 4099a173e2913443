import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { CheckoutMethod, CheckoutView, DisplayQuote } from "../../../src/checkout/view-types.ts";
import { newIdempotencyKey, type PageApi, PageApiError } from "./api.ts";
import type { CardInput } from "./components/CardFields.tsx";
import { CardFields } from "./components/CardFields.tsx";
import { QrPanel } from "./components/Qr.tsx";
import { SavedCards } from "./components/SavedCards.tsx";
import { Summary } from "./components/Summary.tsx";
import { ThreeDSFrame } from "./components/ThreeDS.tsx";
import type { FrameEvent } from "./embed-protocol.ts";
import { formatAmount } from "./i18n/index.ts";
import type { MessageKey } from "./i18n/messages/en.ts";
import { passkeyAssertion, passkeysSupported, registerPasskey } from "./passkey.ts";
import type { T } from "./t.ts";
import { availableWallets, payWithApplePay, payWithGooglePay } from "./wallets.ts";

type Phase = "choose" | "paying" | "confirming" | "action" | "paid" | "closed";

export interface AppProps {
  api: PageApi;
  initial: CheckoutView;
  t: T;
  mode: "hosted" | "embed";
  emit(event: FrameEvent): void;
  switchLocale(locale: string): Promise<T>;
  /** This tab started an attempt and was reloaded before its answer: check before offering to pay again. */
  resumedAttempt: boolean;
  rememberAttempt(key: string | null): void;
}

const FINAL_PAID = new Set(["succeeded", "requires_capture"]);
const POLL_MS = 2000;
const RESUME_WATCH_MS = 20_000;

function phaseOf(view: CheckoutView): Phase {
  const status = view.intent.status;
  if (FINAL_PAID.has(status)) return "paid";
  if (status === "processing") return "confirming";
  if (status === "requires_action") return "action";
  if (status === "canceled" || view.session?.status === "expired") return "closed";
  return "choose";
}

const methodKey = (type: string) => `method.${type}` as MessageKey;

export function App(props: AppProps) {
  const [view, setView] = useState(props.initial);
  const [t, setT] = useState<T>(() => props.t);
  const [phase, setPhase] = useState<Phase>(() => phaseOf(props.initial));
  const [notice, setNotice] = useState<string | null>(
    props.resumedAttempt ? props.t("progress.resumed") : null,
  );
  const [error, setError] = useState<string | null>(props.initial.intent.last_payment_error?.message ?? null);
  // Wallets appear once the browser says it can use them (Apple Pay in Safari, Google Pay in Chrome).
  const [wallets, setWallets] = useState<Set<string>>(new Set());
  const methods = view.methods.filter((m) => m.flow !== "wallet" || wallets.has(m.type));
  const [selected, setSelected] = useState<CheckoutMethod | undefined>(methods[0]);
  const touched = useRef(false);
  useEffect(() => {
    availableWallets(props.initial).then((found) => {
      if (found.size === 0) return;
      setWallets(found);
      const first = props.initial.methods.find((m) => m.flow !== "wallet" || found.has(m.type));
      if (!touched.current && first) setSelected(first);
    });
  }, []);
  const [savedCard, setSavedCard] = useState<string | null>(view.customer?.saved_cards[0]?.id ?? null);
  const [savedCvc, setSavedCvc] = useState("");
  const [cardComplete, setCardComplete] = useState(false);
  const [saveCard, setSaveCard] = useState(false);
  const [displayQuote, setDisplayQuote] = useState<DisplayQuote | null>(null);
  const [passkeyFailed, setPasskeyFailed] = useState(false);
  // After a paid card payment by a customer without a passkey: offer one before going back to the shop.
  const [passkeyOffer, setPasskeyOffer] = useState<"none" | "offered" | "working" | "created">("none");
  const cardRef = useRef<(() => CardInput | null) | null>(null);
  const inFlight = useRef(false);
  // Providers' pages are opened right after the shopper's own click only: a page reopened on the way
  // back from one (still waiting for the provider's answer) must not send the shopper there again.
  const [redirectNow, setRedirectNow] = useState(false);
  const { api, mode, emit } = props;
  const amount = formatAmount(view.intent.amount, view.intent.currency, view.locale);

  const apply = useCallback(
    (next: CheckoutView) => {
      setView(next);
      const nextPhase = phaseOf(next);
      setPhase(nextPhase);
      if (nextPhase !== "confirming" && nextPhase !== "action") props.rememberAttempt(null);
      if (next.intent.last_payment_error && nextPhase === "choose") {
        setError(next.intent.last_payment_error.message);
        emit({
          type: "error",
          payload: {
            code: next.intent.last_payment_error.decline_code ?? next.intent.last_payment_error.code,
            message: next.intent.last_payment_error.message,
          },
        });
      }
    },
    [emit, props.rememberAttempt],
  );

  // A reload during an attempt whose answer this tab never saw: watch for a while whether it arrives
  // (it may still be on its way to the bank) before treating the payment as not started.
  const [watchingResume, setWatchingResume] = useState(props.resumedAttempt);
  useEffect(() => {
    if (!watchingResume) return;
    const timer = setTimeout(() => {
      setWatchingResume(false);
      setNotice(null);
      props.rememberAttempt(null);
    }, RESUME_WATCH_MS);
    return () => clearTimeout(timer);
  }, [watchingResume]);

  // The real status, whatever happened to this tab: poll while the provider or the bank decides.
  useEffect(() => {
    if (phase !== "confirming" && phase !== "action" && !(watchingResume && phase === "choose")) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const next = await api.view(view.locale);
        if (!stopped) apply(next);
      } catch {
        // Offline for a moment: the next tick asks again.
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [phase, api, apply, view.locale, watchingResume]);

  useEffect(() => {
    if (phase !== "paid") return;
    emit({ type: "success", payload: { paymentIntent: { id: view.intent.id, status: view.intent.status } } });
    const canOffer =
      view.customer !== null &&
      !view.customer.has_passkey &&
      view.intent.payment_method_type === "card" &&
      (saveCard || savedCard !== null) &&
      passkeysSupported();
    if (canOffer && passkeyOffer === "none") setPasskeyOffer("offered");
  }, [phase]);

  useEffect(() => {
    if (phase !== "paid" || passkeyOffer === "offered" || passkeyOffer === "working") return;
    if (mode === "hosted" && view.session) {
      const target = view.session.success_url;
      const timer = setTimeout(() => location.assign(target), passkeyOffer === "created" ? 1800 : 1200);
      return () => clearTimeout(timer);
    }
  }, [phase, passkeyOffer]);

  const createPasskey = async () => {
    setPasskeyOffer("working");
    try {
      await registerPasskey(api);
      setPasskeyOffer("created");
    } catch {
      // Declined or not possible on this device: the payment is done either way.
      setPasskeyOffer("none");
    }
  };

  const pay = async () => {
    if (inFlight.current || !selected) return;
    setError(null);
    setNotice(null);
    if (selected.flow === "wallet") {
      // Apple Pay's sheet must open within the click: nothing is awaited before it.
      inFlight.current = true;
      const key = newIdempotencyKey();
      props.rememberAttempt(key);
      setPhase("paying");
      emit({ type: "submit", payload: { method: selected.type } });
      const confirm = (body: Record<string, unknown>) => api.confirm({ ...body, locale: view.locale }, key);
      const sheet =
        selected.type === "apple_pay" ? payWithApplePay(view, api, confirm) : payWithGooglePay(view, confirm);
      sheet
        .then((answered) => {
          setRedirectNow(true);
          apply(answered);
        })
        .catch((failure) => {
          // Closed by the shopper (no message) or refused by Payrail (its message): nothing was charged.
          props.rememberAttempt(null);
          setPhase("choose");
          if (failure instanceof PageApiError) setError(failure.message || t("error.generic"));
          else if ((failure as Error)?.name !== "AbortError" && (failure as Error)?.message !== "canceled") {
            console.warn("wallet payment failed", failure);
            setError(t("error.generic"));
          }
        })
        .finally(() => {
          inFlight.current = false;
        });
      return;
    }
    let body: Record<string, unknown>;
    const withPasskey = Boolean(view.customer?.has_passkey) && passkeysSupported() && !passkeyFailed;
    if (selected.type === "card" && savedCard && withPasskey) {
      inFlight.current = true;
      try {
        body = { payment_method: savedCard, passkey: await passkeyAssertion(api) };
      } catch {
        inFlight.current = false;
        setPasskeyFailed(true);
        setError(t("passkey.failed"));
        return;
      }
      inFlight.current = false;
    } else if (selected.type === "card" && savedCard) {
      if (!/^[0-9]{3,4}$/.test(savedCvc)) {
        setError(t("card.invalid_cvc"));
        return;
      }
      body = { payment_method: savedCard, cvc: savedCvc };
    } else if (selected.type === "card") {
      const card = cardRef.current?.();
      if (!card) return;
      body = { payment_method_data: { type: "card", card }, ...(saveCard ? { save_card: true } : {}) };
    } else {
      body = {
        payment_method_data: {
          type: selected.type,
          ...(selected.channel ? { channel: selected.channel } : {}),
        },
      };
    }
    body.locale = view.locale;
    inFlight.current = true;
    const key = newIdempotencyKey();
    props.rememberAttempt(key);
    setPhase("paying");
    emit({ type: "submit", payload: { method: selected.type } });
    try {
      const answered = await api.confirm(body, key);
      setRedirectNow(true);
      apply(answered);
    } catch (failure) {
      if (failure instanceof PageApiError && failure.status < 500 && failure.status !== 409) {
        props.rememberAttempt(null);
        setPhase("choose");
        setError(failure.status === 429 ? t("error.rate_limited") : failure.message || t("error.generic"));
      } else {
        // Unknown is not failed: the payment may have gone through. Show its real status.
        setNotice(t("error.network"));
        setPhase("confirming");
      }
    } finally {
      inFlight.current = false;
    }
  };

  const showIn = async (currency: string) => {
    if (!currency) return setDisplayQuote(null);
    try {
      setDisplayQuote(await api.post<DisplayQuote>("/display_quote", { currency }));
    } catch {
      setDisplayQuote(null);
      setError(t("error.generic"));
    }
  };

  const changeLocale = async (locale: string) => {
    const nextT = await props.switchLocale(locale);
    setT(() => nextT);
    apply(await api.view(locale));
  };

  const next = view.intent.next_action as {
    type: string;
    redirect_to_url?: { url: string };
    display_qr_code?: { image_data_url: string; mobile_url: string | null; expires_at: number | null };
    deep_link?: { url: string };
  } | null;
  const attemptMethod = view.intent.payment_method_type ?? selected?.type ?? "card";
  const methodName = t(methodKey(attemptMethod));
  const busy = phase === "paying" || phase === "confirming";

  return (
    <div class="pr-checkout">
      <Summary
        t={t}
        view={view}
        amount={amount}
        displayQuote={displayQuote}
        onShowIn={showIn}
        onLocale={changeLocale}
      />

      {notice && (
        <p class="pr-notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <div class="pr-error" role="alert">
          <p>{error}</p>
          <a href={`/help/${view.locale}#declined`} target="_blank" rel="noopener">
            {t("error.help_link")}
          </a>
        </div>
      )}

      {phase === "paid" && (
        <p class="pr-paid" role="status">
          <strong>{t("progress.paid")}</strong> {t("outcome.succeeded")}
          {mode === "hosted" && view.session && (passkeyOffer === "none" || passkeyOffer === "created") && (
            <span> {t("progress.redirecting")}</span>
          )}
        </p>
      )}
      {phase === "paid" && (passkeyOffer === "offered" || passkeyOffer === "working") && (
        <section class="pr-passkey" aria-labelledby="pr-passkey-title">
          <h2 id="pr-passkey-title">{t("passkey.offer_title")}</h2>
          <p>{t("passkey.offer_body")}</p>
          <button
            type="button"
            class="pr-button"
            disabled={passkeyOffer === "working"}
            onClick={createPasskey}
          >
            {t("passkey.create")}
          </button>
          <button type="button" class="pr-button pr-secondary" onClick={() => setPasskeyOffer("none")}>
            {t("passkey.not_now")}
          </button>
        </section>
      )}
      {phase === "paid" && passkeyOffer === "created" && (
        <p class="pr-notice" role="status">
          {t("passkey.created")}
        </p>
      )}
      {phase === "closed" && (
        <p class="pr-notice" role="status">
          {view.session?.status === "expired" && view.intent.status !== "canceled"
            ? t("outcome.session_expired")
            : view.intent.cancellation_reason === "expired"
              ? t("outcome.expired")
              : t("outcome.canceled")}
        </p>
      )}
      {phase === "confirming" && (
        <p class="pr-progress" role="status" aria-live="polite">
          <span class="pr-spinner" aria-hidden="true" />
          {view.intent.payment_method_type && view.intent.payment_method_type !== "card"
            ? t("progress.waiting_provider", { method: methodName })
            : t("progress.confirming")}
          <span class="pr-hint">{t("outcome.processing")}</span>
        </p>
      )}
      {phase === "action" && next?.type === "display_qr_code" && next.display_qr_code && (
        <QrPanel
          t={t}
          method={methodName}
          imageDataUrl={next.display_qr_code.image_data_url}
          mobileUrl={next.display_qr_code.mobile_url}
          expiresAt={next.display_qr_code.expires_at}
          mobile={view.device !== "desktop"}
        />
      )}
      {phase === "action" &&
        next?.type === "redirect_to_url" &&
        next.redirect_to_url &&
        attemptMethod === "card" && (
          <ThreeDSFrame
            t={t}
            url={next.redirect_to_url.url}
            onDone={() => api.view(view.locale).then(apply)}
          />
        )}
      {phase === "action" &&
        next?.type === "redirect_to_url" &&
        next.redirect_to_url &&
        attemptMethod !== "card" && (
          <RedirectStep
            t={t}
            method={methodName}
            url={next.redirect_to_url.url}
            auto={mode === "hosted" && redirectNow}
          />
        )}
      {phase === "action" && next?.type === "deep_link" && next.deep_link && (
        <RedirectStep t={t} method={methodName} url={next.deep_link.url} auto={false} />
      )}

      {(phase === "choose" || phase === "paying") && (
        <form
          class="pr-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void pay();
          }}
        >
          <fieldset class="pr-methods" disabled={phase === "paying"}>
            <legend>{t("methods.heading")}</legend>
            {methods.map((method) => (
              <label
                class={`pr-method${selected?.type === method.type ? " pr-selected" : ""}`}
                key={method.type}
              >
                <input
                  type="radio"
                  name="method"
                  value={method.type}
                  checked={selected?.type === method.type}
                  onChange={() => {
                    touched.current = true;
                    setSelected(method);
                    setError(null);
                    emit({
                      type: "change",
                      payload: { method: method.type, complete: method.type !== "card" },
                    });
                  }}
                />
                <span>{t(methodKey(method.type))}</span>
              </label>
            ))}
          </fieldset>

          {selected?.type === "card" && view.customer && view.customer.saved_cards.length > 0 && (
            <SavedCards
              t={t}
              cards={view.customer.saved_cards}
              disabled={phase === "paying"}
              selected={savedCard}
              onSelect={setSavedCard}
              askCvc={
                savedCard !== null && !(view.customer.has_passkey && passkeysSupported() && !passkeyFailed)
              }
              cvc={savedCvc}
              onCvc={setSavedCvc}
            />
          )}

          {selected?.type === "card" && !savedCard && (
            <CardFields
              t={t}
              disabled={phase === "paying"}
              fieldsRef={cardRef}
              onChange={(state) => {
                setCardComplete(state.complete);
                emit({ type: "change", payload: { method: "card", complete: state.complete } });
              }}
            />
          )}
          {selected?.type === "card" && !savedCard && view.customer && (
            <label class="pr-method">
              <input
                type="checkbox"
                checked={saveCard}
                onChange={(e) => setSaveCard((e.target as HTMLInputElement).checked)}
              />
              <span>{t("card.save")}</span>
            </label>
          )}
          {selected && selected.flow === "redirect" && (
            <p class="pr-hint">{t("redirect.notice", { method: t(methodKey(selected.type)) })}</p>
          )}

          <button
            type="submit"
            class="pr-button pr-pay"
            disabled={busy || !selected || (watchingResume && phase === "choose")}
            aria-disabled={busy}
            data-complete={selected?.type !== "card" || savedCard !== null || cardComplete}
          >
            {phase === "paying" ? (
              <>
                <span class="pr-spinner" aria-hidden="true" />
                {t("progress.paying")}
              </>
            ) : selected?.type === "card" &&
              savedCard &&
              view.customer?.has_passkey &&
              passkeysSupported() &&
              !passkeyFailed ? (
              t("saved.confirm_with_passkey")
            ) : selected && selected.type !== "card" ? (
              t("pay.with", { method: t(methodKey(selected.type)) })
            ) : (
              t("pay.button", { amount })
            )}
          </button>
        </form>
      )}

      <footer class="pr-footer">
        {mode === "hosted" && view.session?.cancel_url && phase !== "paid" && (
          <a href={view.session.cancel_url}>{t("pay.cancel")}</a>
        )}
        <p>{t("page.secure_note")}</p>
        <a href={`/help/${view.locale}`} target="_blank" rel="noopener">
          {t("page.help")}
        </a>
      </footer>
    </div>
  );
}

function RedirectStep(props: { t: T; method: string; url: string; auto: boolean }) {
  useEffect(() => {
    if (props.auto) location.assign(props.url);
  }, [props.url]);
  return (
    <section class="pr-redirect">
      <p role="status">{props.t("redirect.notice", { method: props.method })}</p>
      <a class="pr-button" href={props.url} target="_top" rel="noopener">
        {props.t("redirect.continue", { method: props.method })}
      </a>
    </section>
  );
}
