import { useEffect, useState } from "preact/hooks";
import type { T } from "../t.ts";

function remaining(expiresAt: number | null, now: number): number | null {
  return expiresAt === null ? null : Math.max(0, expiresAt * 1000 - now);
}

function clock(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The QR code to scan, a countdown to its expiry, and on a phone a button that opens the app. */
export function QrPanel(props: {
  t: T;
  method: string;
  imageDataUrl: string;
  mobileUrl: string | null;
  expiresAt: number | null;
  mobile: boolean;
}) {
  const { t } = props;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = remaining(props.expiresAt, now);
  if (left === 0)
    return (
      <p class="pr-notice" role="alert">
        {t("qr.expired")}
      </p>
    );
  return (
    <section class="pr-qr" aria-labelledby="pr-qr-title">
      <h2 id="pr-qr-title">{t("qr.scan", { method: props.method })}</h2>
      <img src={props.imageDataUrl} width={224} height={224} alt={t("qr.scan", { method: props.method })} />
      {left !== null && (
        <p class="pr-countdown" aria-live="off">
          {t("qr.expires_in", { time: clock(left) })}
        </p>
      )}
      {props.mobile && props.mobileUrl && (
        <a class="pr-button pr-secondary" href={props.mobileUrl}>
          {t("qr.open_app", { method: props.method })}
        </a>
      )}
      <p class="pr-status" role="status">
        {t("progress.waiting_provider", { method: props.method })}
      </p>
    </section>
  );
}
