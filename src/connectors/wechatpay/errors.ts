import type { WechatAnswer } from "./client.ts";
import { parseError } from "./wire.ts";

/** An answer no rule here expects (our configuration refused, an unreadable error): a bug to look at. */
export function unexpectedAnswer(operation: string, answer: WechatAnswer & { kind: "answer" }): Error {
  const error = parseError(answer.body);
  const detail = error
    ? `${error.code}${error.message ? `: ${error.message}` : ""}`
    : "unreadable error body";
  return new Error(`wechat_pay ${operation}: unexpected HTTP ${answer.status} (${detail})`);
}
