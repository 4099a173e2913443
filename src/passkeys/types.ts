import type { ColumnType, Kysely, Selectable } from "kysely";
import type { Database, JsonNullable } from "../db/schema.ts";

type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export type PasskeyDeviceType = "singleDevice" | "multiDevice";
export type PasskeyChallengePurpose = "registration" | "authentication";

/** Tables of migration 009_passkeys. Kept here so the shared `Database` stays untouched until registered. */
export interface PasskeysTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  customer_id: string;
  /** The WebAuthn credential id, base64url without padding. */
  credential_id: string;
  /** The credential's COSE public key, as the authenticator sent it at registration. */
  public_key: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  /** The authenticator's signature counter seen last (0 for authenticators that do not count). */
  sign_count: ColumnType<bigint, bigint | undefined, bigint>;
  /** Transport hints reported by the browser at registration (usb, nfc, ble, hybrid, internal...). */
  transports: JsonNullable<string[]>;
  device_type: PasskeyDeviceType | null;
  backed_up: boolean | null;
  created_at: ColumnType<Date, Date | undefined, Date>;
  last_used_at: NullableTimestamp;
}

export interface PasskeyChallengesTable {
  id: string;
  merchant_id: string;
  customer_id: string;
  purpose: PasskeyChallengePurpose;
  /** The challenge as sent to the browser (base64url). */
  challenge: string;
  expires_at: ColumnType<Date, Date, Date>;
  used_at: NullableTimestamp;
}

export interface PasskeyDatabase {
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
}

export type PasskeyRow = Selectable<PasskeysTable>;
export type PasskeyChallengeRow = Selectable<PasskeyChallengesTable>;
export type PasskeyKysely = Kysely<Database & PasskeyDatabase>;

/** The application's database (or one of its transactions) with the passkey tables in its type. */
export function passkeyTables(db: Kysely<Database>): PasskeyKysely {
  return db.withTables<{ [K in keyof PasskeyDatabase]: PasskeyDatabase[K] }>();
}
