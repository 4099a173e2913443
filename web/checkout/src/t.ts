import type { MessageKey } from "./i18n/messages/en.ts";

export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(messages: Record<string, string>): T {
  return (key, vars) =>
    (messages[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );
}
