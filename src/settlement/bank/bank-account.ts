/** Validation of a payout bank account (IBAN, BIC, holder name) and the SEPA text rules for the XML. */
import {
  electronicFormatIBAN,
  extractIBAN,
  getCountrySpecifications,
  isValidBIC,
  ValidationErrorsIBAN,
  validateIBAN,
} from "ibantools";

export interface BankAccountInput {
  iban: string;
  bic?: string;
  account_holder_name: string;
  country?: string;
}

export interface BankAccount {
  /** electronic format: upper case, no spaces */
  iban: string;
  bic: string | null;
  account_holder_name: string;
  /** ISO 3166 alpha-2, taken from the IBAN */
  country: string;
  last4: string;
}

export type BankAccountParam =
  | "bank_account[iban]"
  | "bank_account[bic]"
  | "bank_account[account_holder_name]";

export type BankAccountResult =
  | { ok: true; value: BankAccount }
  | { ok: false; param: BankAccountParam; code: string; message: string };

type Failure = Extract<BankAccountResult, { ok: false }>;
type Checked<T> = { ok: true; value: T } | Failure;

export const MAX_HOLDER_NAME_LENGTH = 70;

/** The EPC "Latin character set" every SEPA bank must carry. */
const SEPA_CHAR = /^[A-Za-z0-9/\-?:().,'+ ]$/;

/** Letters that Unicode decomposition does not reduce to a base letter, plus common typographic marks. */
const TRANSLITERATIONS: Record<string, string> = {
  ß: "ss",
  ẞ: "SS",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ø: "o",
  Ø: "O",
  ł: "l",
  Ł: "L",
  đ: "d",
  Đ: "D",
  ð: "d",
  Ð: "D",
  þ: "th",
  Þ: "TH",
  ı: "i",
  ħ: "h",
  Ħ: "H",
  "‘": "'",
  "’": "'",
  "‐": "-",
  "‑": "-",
  "–": "-",
  "—": "-",
};

/** The SEPA spelling of one character, or null when there is none. */
function transliterate(char: string): string | null {
  if (SEPA_CHAR.test(char)) return char;
  const mapped = TRANSLITERATIONS[char];
  if (mapped !== undefined) return mapped;
  // NFKD splits "é" into "e" + a combining accent (and "ﬁ" into "fi"); keep the base letters only.
  const base = char.normalize("NFKD").replace(/\p{M}/gu, "");
  if (base.length === 0 || base === char) return null;
  let out = "";
  for (const part of base) {
    if (!SEPA_CHAR.test(part)) return null;
    out += part;
  }
  return out;
}

/**
 * Text a SEPA bank accepts: accented letters transliterated (é→e, ü→u, ß→ss), anything else outside the
 * Latin character set replaced by a space, runs of spaces collapsed and the ends trimmed.
 */
export function toSepaText(s: string): string {
  let out = "";
  for (const char of s) out += transliterate(char) ?? " ";
  return out.replace(/ {2,}/g, " ").trim();
}

/** Characters of `s` that `toSepaText` would have to drop, each listed once. */
export function unsupportedSepaCharacters(s: string): string[] {
  const found = new Set<string>();
  for (const char of s) if (char !== " " && transliterate(char) === null) found.add(char);
  return [...found];
}

function failure(param: BankAccountParam, code: string, message: string): Failure {
  return { ok: false, param, code, message };
}

function countryLength(country: string): number | undefined {
  return getCountrySpecifications()[country]?.chars ?? undefined;
}

function ibanError(iban: string, errors: ValidationErrorsIBAN[]): Failure {
  const param = "bank_account[iban]";
  const country = iban.slice(0, 2);
  if (errors.includes(ValidationErrorsIBAN.NoIBANProvided)) {
    return failure(param, "parameter_missing", "Missing required param: bank_account[iban].");
  }
  if (errors.includes(ValidationErrorsIBAN.NoIBANCountry)) {
    return failure(
      param,
      "iban_unknown_country",
      `The IBAN starts with '${country}', which is not the code of a country that uses IBANs. ` +
        "An IBAN starts with the two-letter country code of the account, for example DE or NL.",
    );
  }
  if (errors.includes(ValidationErrorsIBAN.WrongBBANLength)) {
    const expected = countryLength(country);
    return failure(
      param,
      "iban_invalid_length",
      expected === undefined
        ? `The IBAN has ${iban.length} characters, which is not a valid length for ${country}.`
        : `An IBAN from ${country} has ${expected} characters, but this one has ${iban.length}. ` +
            "Check for a missing or an extra character.",
    );
  }
  if (errors.includes(ValidationErrorsIBAN.WrongBBANFormat)) {
    return failure(
      param,
      "iban_invalid_format",
      `The IBAN has letters or digits in places where an account from ${country} cannot have them. ` +
        "Check that it was copied correctly (for example O instead of 0).",
    );
  }
  if (
    errors.includes(ValidationErrorsIBAN.ChecksumNotNumber) ||
    errors.includes(ValidationErrorsIBAN.WrongIBANChecksum)
  ) {
    return failure(
      param,
      "iban_invalid_checksum",
      "The IBAN's check digits do not match the rest of the number, so it has a typo. " +
        "Compare it character by character with the one on the bank statement.",
    );
  }
  if (errors.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum)) {
    return failure(
      param,
      "iban_invalid_account_checksum",
      `The account number inside the IBAN fails ${country}'s national check digits, so it has a typo.`,
    );
  }
  return failure(param, "iban_invalid", "The IBAN is not valid.");
}

function validateHolderName(raw: unknown): Checked<string> {
  const param = "bank_account[account_holder_name]";
  const name = typeof raw === "string" ? raw.trim() : "";
  if (name.length === 0) {
    return failure(param, "parameter_missing", "Missing required param: bank_account[account_holder_name].");
  }
  const unsupported = unsupportedSepaCharacters(name);
  if (unsupported.length > 0) {
    return failure(
      param,
      "account_holder_name_invalid_characters",
      `The account holder name contains characters banks cannot carry in a transfer: ${unsupported
        .map((c) => `'${c}'`)
        .join(", ")}. Use letters, digits, spaces and / - ? : ( ) . , ' +`,
    );
  }
  const length = toSepaText(name).length;
  if (length > MAX_HOLDER_NAME_LENGTH) {
    return failure(
      param,
      "account_holder_name_too_long",
      `The account holder name is ${length} characters long; banks accept at most ${MAX_HOLDER_NAME_LENGTH}. ` +
        "Abbreviate it the way the bank statement does.",
    );
  }
  return { ok: true, value: name };
}

function validateBic(raw: unknown, ibanCountry: string): Checked<string | null> {
  const param = "bank_account[bic]";
  const bic = typeof raw === "string" ? raw.replace(/\s+/g, "").toUpperCase() : "";
  if (bic.length === 0) return { ok: true, value: null };
  if (!isValidBIC(bic)) {
    return failure(
      param,
      "bic_invalid",
      `'${bic}' is not a valid BIC. A BIC has 8 or 11 characters: 4 letters for the bank, ` +
        "2 for the country, 2 letters or digits for the location and optionally 3 for the branch.",
    );
  }
  const bicCountry = bic.slice(4, 6);
  if (bicCountry !== ibanCountry) {
    return failure(
      param,
      "bic_country_mismatch",
      `The BIC ${bic} belongs to a bank in ${bicCountry}, but the IBAN is from ${ibanCountry}. ` +
        "Use the BIC of the bank that holds this account, or leave the BIC out.",
    );
  }
  return { ok: true, value: bic };
}

export function validateBankAccount(input: BankAccountInput): BankAccountResult {
  const iban = typeof input.iban === "string" ? (electronicFormatIBAN(input.iban) ?? "") : "";
  const check = validateIBAN(iban);
  if (!check.valid) return ibanError(iban, check.errorCodes);
  const country = extractIBAN(iban).countryCode ?? iban.slice(0, 2);
  const declared = typeof input.country === "string" ? input.country.trim().toUpperCase() : "";
  if (declared !== "" && declared !== country) {
    return failure(
      "bank_account[iban]",
      "iban_country_mismatch",
      `The IBAN is for an account in ${country}, but the bank account's country is ${declared}. ` +
        "Check the IBAN or the country.",
    );
  }
  const bic = validateBic(input.bic, country);
  if (!bic.ok) return bic;
  const name = validateHolderName(input.account_holder_name);
  if (!name.ok) return name;
  return {
    ok: true,
    value: {
      iban,
      bic: bic.value,
      account_holder_name: name.value,
      country,
      last4: iban.slice(-4),
    },
  };
}
