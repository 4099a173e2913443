import { FRAME_SOURCE, type FrameEvent } from "../../checkout/src/embed-protocol.ts";

/** The parts of a `MessageEvent` the check reads. */
export interface MessageEventLike {
  origin: string;
  source: unknown;
  data: unknown;
}

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === "object" && value !== null;
const isHeight = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value) && value >= 0;
const isString = (value: unknown): value is string => typeof value === "string";

/**
 * The frame event in a `message` event, or null when it is not one: it must come from Payrail's origin
 * *and* from this very iframe (another Payrail frame on the page, or a page that navigated the frame
 * elsewhere, does not count), carry the frame's source tag, and have a known type with a well-formed
 * payload. The payload is copied field by field, so handlers never see anything else the sender added.
 */
export function acceptFrameMessage(
  event: MessageEventLike,
  expected: { payrailOrigin: string; frameWindow: unknown },
): FrameEvent | null {
  if (event.origin !== expected.payrailOrigin) return null;
  if (!expected.frameWindow || event.source !== expected.frameWindow) return null;
  const data = event.data;
  if (!isObject(data) || data.source !== FRAME_SOURCE || !isObject(data.payload)) return null;
  const p = data.payload;
  switch (data.type) {
    case "ready":
    case "resize":
      return isHeight(p.height) ? { type: data.type, payload: { height: p.height } } : null;
    case "change":
      return isString(p.method) && typeof p.complete === "boolean"
        ? { type: "change", payload: { method: p.method, complete: p.complete } }
        : null;
    case "submit":
      return isString(p.method) ? { type: "submit", payload: { method: p.method } } : null;
    case "success": {
      const intent = p.paymentIntent;
      return isObject(intent) && isString(intent.id) && isString(intent.status)
        ? { type: "success", payload: { paymentIntent: { id: intent.id, status: intent.status } } }
        : null;
    }
    case "error":
      return isString(p.code) && isString(p.message)
        ? { type: "error", payload: { code: p.code, message: p.message } }
        : null;
    default:
      return null;
  }
}
