import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { createLogger, requestContext } from "./logging.ts";

test("lines logged while serving a request carry its id, from any logger", async () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger({ level: "info", destination });
  await requestContext.run({ requestId: "req_abc" }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    logger.info({ card: "4242 4242 4242 4242" }, "inside");
  });
  logger.info("outside");
  assert.equal(JSON.parse(lines[0] as string).reqId, "req_abc");
  assert.ok(!(lines[0] as string).includes("4242 4242 4242 4242"));
  assert.equal(JSON.parse(lines[1] as string).reqId, undefined);
});
