import assert from "node:assert/strict";
import { test } from "node:test";
import { CHECKOUT_LOCALES } from "../view-types.ts";
import { HELP, HELP_SECTION_IDS, helpFor, helpTitleFor } from "./content.ts";

test("every checkout locale has a help page, and nothing else does", () => {
  assert.deepEqual(Object.keys(HELP).sort(), [...CHECKOUT_LOCALES].sort());
});

test("every locale has the same sections in the same order", () => {
  for (const locale of CHECKOUT_LOCALES) {
    assert.deepEqual(
      HELP[locale].sections.map((section) => section.id),
      [...HELP_SECTION_IDS],
      locale,
    );
  }
});

test("no text is empty, and answers have at least two paragraphs", () => {
  for (const locale of CHECKOUT_LOCALES) {
    const page = HELP[locale];
    assert.ok(page.title.trim().length > 0, `${locale} title`);
    assert.ok(page.intro.trim().length > 0, `${locale} intro`);
    for (const section of page.sections) {
      assert.ok(section.question.trim().length > 0, `${locale} ${section.id} question`);
      assert.ok(
        section.answer.length >= 2,
        `${locale} ${section.id} has ${section.answer.length} paragraph(s)`,
      );
      for (const paragraph of section.answer) {
        assert.ok(paragraph.trim().length > 0, `${locale} ${section.id} has an empty paragraph`);
        assert.equal(paragraph, paragraph.trim(), `${locale} ${section.id} has stray whitespace`);
      }
    }
  }
});

test("the text is plain: no markup, no placeholders", () => {
  for (const locale of CHECKOUT_LOCALES) {
    const page = HELP[locale];
    const texts = [page.title, page.intro, ...page.sections.flatMap((s) => [s.question, ...s.answer])];
    for (const text of texts) {
      assert.doesNotMatch(text, /[<>{}]|&[a-z#]/i, `${locale}: ${text.slice(0, 40)}`);
    }
  }
});

test("translations are translations, and keep the facts that matter", () => {
  for (const locale of CHECKOUT_LOCALES.filter((l) => l !== "en")) {
    const page = HELP[locale];
    page.sections.forEach((section, index) => {
      const english = HELP.en.sections[index]!;
      assert.notEqual(section.question, english.question, `${locale} ${section.id} question is English`);
      assert.notDeepEqual(section.answer, english.answer, `${locale} ${section.id} answer is English`);
    });
    const text = (id: string) => page.sections.find((s) => s.id === id)!.answer.join(" ");
    // The figures shoppers act on must survive translation.
    assert.match(text("charged-twice"), /1\D{1,12}7/u, locale); // "1 to 7", "1～7", "1 إلى 7"…
    assert.match(text("refund-time"), /5/, locale);
    assert.match(text("refund-time"), /10/, locale);
    assert.match(text("phishing"), /https/, locale);
    assert.match(text("refund-time"), /iDEAL/, locale);
    assert.match(text("refund-time"), /PayPal/, locale);
  }
});

test("helpTitleFor gives the localized title, and English for an unknown locale", () => {
  assert.equal(helpTitleFor("en"), "Help with paying");
  assert.equal(helpTitleFor("de"), "Hilfe zur Zahlung");
  assert.equal(helpTitleFor("zh-TW"), "付款說明");
  assert.equal(helpFor("xx" as never), HELP.en);
});
