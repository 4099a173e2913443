/**
 * How payouts reach the bank: hand over a pain.001 file, later collect pain.002 status reports.
 * The HTTP adapter speaks the bank simulator's API (simulators/bank); a real bank's host-to-host or
 * EBICS channel would be another implementation of the same interface.
 */
import { BankRejectedFileError, BankUnavailableError } from "./errors.ts";

export interface BankAdapter {
  /**
   * Throws BankUnavailableError when the outcome is unknown (retry the same file later: the bank
   * recognises its MsgId) and BankRejectedFileError when the bank refused the whole file.
   */
  submitCreditTransfers(file: { fileName: string; xml: string }): Promise<{ bankBatchId: string }>;
  /** Reports after `since` (a reportId, exclusive), oldest first. */
  fetchStatusReports(since?: string): Promise<Array<{ reportId: string; xml: string }>>;
}

export interface HttpBankAdapterOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the bank's JSON is checked field by field where it is used
  body: any;
}

export function createHttpBankAdapter(options: HttpBankAdapterOptions): BankAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function call(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string },
  ) {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.apiKey}`, accept: "application/json", ...init.headers },
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new BankUnavailableError(`bank did not answer ${method} ${path}: ${String(error)}`, null, {
        cause: error,
      });
    }
    let body: unknown = null;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    const answer: Answer = { status: response.status, body };
    // 5xx and 429 say nothing about the file; 401/403 mean our credentials are wrong, not the file.
    if (
      response.status >= 500 ||
      response.status === 429 ||
      response.status === 401 ||
      response.status === 403
    ) {
      throw new BankUnavailableError(
        `bank answered ${response.status} to ${method} ${path}: ${errorMessage(answer) ?? "no reason given"}`,
        response.status,
      );
    }
    return answer;
  }

  return {
    async submitCreditTransfers(file) {
      const answer = await call("POST", "/v1/credit-transfers", {
        headers: { "content-type": "application/xml; charset=utf-8", "x-file-name": file.fileName },
        body: file.xml,
      });
      const error = answer.body?.error;
      // The same file again (a retry after a lost answer) is not a rejection: the bank already has it.
      if (answer.status === 409 && error?.same_file === true && typeof error.batch_id === "string") {
        return { bankBatchId: error.batch_id };
      }
      if (answer.status >= 400) {
        throw new BankRejectedFileError(
          `bank rejected file ${file.fileName} (${answer.status}): ${errorMessage(answer) ?? "no reason given"}`,
          answer.status,
          typeof error?.code === "string" ? error.code : "rejected",
          typeof error?.reason_code === "string" ? error.reason_code : null,
        );
      }
      const batchId = answer.body?.batch_id;
      if (typeof batchId !== "string" || batchId === "") {
        throw new BankUnavailableError(`bank accepted ${file.fileName} without a batch_id`, answer.status);
      }
      return { bankBatchId: batchId };
    },

    async fetchStatusReports(since) {
      const reports: Array<{ reportId: string; xml: string }> = [];
      let cursor = since;
      for (;;) {
        const query = cursor === undefined ? "" : `?since=${encodeURIComponent(cursor)}`;
        const answer = await call("GET", `/v1/status-reports${query}`, {});
        if (answer.status !== 200 || !Array.isArray(answer.body?.reports)) {
          throw new BankUnavailableError(
            `bank answered ${answer.status} to the status report list: ${errorMessage(answer) ?? "unexpected body"}`,
            answer.status,
          );
        }
        for (const report of answer.body.reports) {
          if (typeof report?.report_id !== "string" || typeof report?.xml !== "string") {
            throw new BankUnavailableError(
              "bank sent a status report without report_id or xml",
              answer.status,
            );
          }
          reports.push({ reportId: report.report_id, xml: report.xml });
        }
        const last = reports.at(-1);
        if (answer.body.has_more !== true || !last || last.reportId === cursor) return reports;
        cursor = last.reportId;
      }
    },
  };
}

function errorMessage(answer: Answer): string | null {
  const error = answer.body?.error;
  if (typeof error?.message !== "string") return null;
  return typeof error.reason_code === "string" ? `${error.reason_code} ${error.message}` : error.message;
}
