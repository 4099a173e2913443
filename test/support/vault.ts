/**
 * One vault key for every test process (in-process servers, spawned `payrail serve`, the CLI), so a card
 * tokenized by one is readable by the others on the shared test database. Never a production key.
 */
export const TEST_VAULT_KEYS = `v1:${Buffer.alloc(32, 7).toString("base64")}`;
