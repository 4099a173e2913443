import { useEffect, useRef } from "preact/hooks";
import type { T } from "../t.ts";

export const THREEDS_FRAME_NAME = "payrail-3ds";

/**
 * The bank's challenge in a frame on this page, not a lost tab. When the bank sends the frame back to
 * Payrail's return address, that page (loaded inside this frame) tells us, and we read the outcome.
 */
export function ThreeDSFrame(props: { t: T; url: string; onDone(): void }) {
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    const listener = (event: MessageEvent) => {
      if (event.origin !== location.origin || event.source !== frame.current?.contentWindow) return;
      if ((event.data as { source?: string })?.source === THREEDS_FRAME_NAME) props.onDone();
    };
    addEventListener("message", listener);
    frame.current?.focus();
    return () => removeEventListener("message", listener);
  }, [props.onDone]);
  return (
    <section class="pr-threeds" aria-labelledby="pr-threeds-title">
      <h2 id="pr-threeds-title">{props.t("threeds.title")}</h2>
      <p>{props.t("progress.authenticating")}</p>
      <iframe ref={frame} name={THREEDS_FRAME_NAME} src={props.url} title={props.t("threeds.title")} />
    </section>
  );
}
