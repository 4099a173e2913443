/** HTTP layer of the bank simulator: API-key auth, file intake, processing trigger, status reports. */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultQueue } from "./faults.ts";
import { readCreditTransferFile } from "./read-pain001.ts";
import type { BankStore } from "./store.ts";

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_REPORTS_PER_PAGE = 100;

export interface BankLogger {
  info(obj: object, msg?: string): void;
}

interface Reply {
  status: number;
  body: unknown;
}

const error = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): Reply => ({
  status,
  body: { error: { code, message, ...extra } },
});

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function authorized(req: IncomingMessage, apiKey: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${apiKey}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createBankHandler(deps: {
  apiKey: string;
  store: BankStore;
  faults: FaultQueue;
  logger: BankLogger;
  onAccepted: () => void;
}) {
  async function submit(req: IncomingMessage): Promise<Reply> {
    const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/xml" && type !== "text/xml") {
      return error(415, "unsupported_media_type", "Send the pain.001 file as application/xml.");
    }
    const raw = await readBody(req);
    if (raw === null) return error(413, "file_too_large", `Files are limited to ${MAX_BODY_BYTES} bytes.`);
    const fault = deps.faults.next();
    if (fault === "unavailable")
      return error(503, "service_unavailable", "The bank is not accepting files now.");
    if (fault === "reject_file") {
      return error(422, "file_rejected", "The file was rejected (injected fault).", { reason_code: "FF01" });
    }
    const read = readCreditTransferFile(raw.toString("utf8"));
    if (!read.ok) {
      const { status, code, reasonCode, message } = read.rejection;
      return error(status, code, message, { reason_code: reasonCode });
    }
    const fileHash = createHash("sha256").update(raw).digest("hex");
    const existing = deps.store.findByMessageId(read.file.messageId);
    if (existing) {
      return error(
        409,
        "duplicate_message_id",
        `A file with MsgId ${existing.messageId} was already received.`,
        {
          reason_code: "DUPL",
          batch_id: existing.batchId,
          same_file: existing.fileHash === fileHash,
        },
      );
    }
    const fileName = req.headers["x-file-name"];
    const batch = deps.store.add(read.file, typeof fileName === "string" ? fileName : null, fileHash);
    deps.onAccepted();
    return {
      status: 202,
      body: {
        batch_id: batch.batchId,
        message_id: batch.messageId,
        received_transactions: batch.transactions.length,
      },
    };
  }

  function listReports(query: URLSearchParams): Reply {
    const limitText = query.get("limit");
    const limit = limitText === null ? MAX_REPORTS_PER_PAGE : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REPORTS_PER_PAGE) {
      return error(400, "invalid_limit", `limit must be an integer from 1 to ${MAX_REPORTS_PER_PAGE}.`);
    }
    const page = deps.store.reportsAfter(query.get("since"), limit);
    return {
      status: 200,
      body: {
        reports: page.reports.map((r) => ({ report_id: r.reportId, batch_id: r.batchId, xml: r.xml })),
        has_more: page.hasMore,
      },
    };
  }

  async function route(req: IncomingMessage, url: URL): Promise<Reply> {
    if (!authorized(req, deps.apiKey))
      return error(401, "unauthorized", "Send Authorization: Bearer <api key>.");
    const key = `${req.method} ${url.pathname}`;
    if (key === "POST /v1/credit-transfers") return submit(req);
    if (key === "POST /v1/credit-transfers/process") {
      return { status: 200, body: { processed_batches: deps.store.processPending() } };
    }
    if (key === "GET /v1/status-reports") return listReports(url.searchParams);
    return error(404, "not_found", `No route for ${req.method} ${url.pathname}.`);
  }

  return async (req: IncomingMessage, res: ServerResponse) => {
    let reply: Reply;
    const url = new URL(req.url ?? "/", "http://bank.invalid");
    try {
      reply = await route(req, url);
    } catch (cause) {
      reply = error(500, "internal_error", String(cause));
    }
    deps.logger.info(
      { method: req.method, path: url.pathname, status: reply.status },
      "bank simulator request",
    );
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(reply.body));
  };
}
