import { LOCALE_NAMES } from "../../../web/checkout/src/i18n/index.ts";
import { escapeHtml } from "../page-html.ts";
import { CHECKOUT_LOCALES, type CheckoutLocale } from "../view-types.ts";
import { HELP } from "./content.ts";

/** `/help/<locale>`: the shopper's common questions, with a language list. Plain text, escaped. */
export function helpPageBody(locale: CheckoutLocale): { title: string; html: string } {
  const help = HELP[locale];
  const toc = help.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.question)}</a></li>`).join("");
  const sections = help.sections
    .map(
      (s) =>
        `<section id="${s.id}" aria-labelledby="${s.id}-q"><h2 id="${s.id}-q">${escapeHtml(s.question)}</h2>${s.answer
          .map((p) => `<p>${escapeHtml(p)}</p>`)
          .join("")}</section>`,
    )
    .join("");
  const languages = CHECKOUT_LOCALES.map(
    (l) =>
      `<li><a href="/help/${l}" hreflang="${l}" lang="${l}"${l === locale ? ' aria-current="page"' : ""}>${escapeHtml(LOCALE_NAMES[l])}</a></li>`,
  ).join("");
  return {
    title: help.title,
    html: `<h1>${escapeHtml(help.title)}</h1><p>${escapeHtml(help.intro)}</p><nav aria-label="${escapeHtml(help.title)}"><ul>${toc}</ul></nav>${sections}<nav class="pr-languages" aria-label="Languages"><ul>${languages}</ul></nav>`,
  };
}
