/** The simulated bank's memory: received batches, their transactions, and the status reports. */
import { type OutcomeTable, REASON_TEXT } from "./outcomes.ts";
import type { IncomingFile, IncomingTransfer } from "./read-pain001.ts";
import { writeStatusReport } from "./write-pain002.ts";

export interface BatchTransaction extends IncomingTransfer {
  status: "pending" | "paid" | "failed";
  reasonCode: string | null;
}

export interface Batch {
  batchId: string;
  messageId: string;
  fileName: string | null;
  /** sha-256 of the file, to tell a resent file from another file reusing the MsgId */
  fileHash: string;
  receivedAt: Date;
  status: "received" | "processed";
  controlSum: string | null;
  transactions: BatchTransaction[];
}

export interface StatusReportEntry {
  reportId: string;
  batchId: string;
  xml: string;
}

const pad = (n: number) => String(n).padStart(8, "0");

export function createBankStore(options: { now: () => Date; outcomes: OutcomeTable }) {
  const batches: Batch[] = [];
  const byMessageId = new Map<string, Batch>();
  const reports: StatusReportEntry[] = [];

  return {
    findByMessageId: (messageId: string) => byMessageId.get(messageId),

    add(file: IncomingFile, fileName: string | null, fileHash: string): Batch {
      const batch: Batch = {
        batchId: `bb_${pad(batches.length + 1)}`,
        messageId: file.messageId,
        fileName,
        fileHash,
        receivedAt: options.now(),
        status: "received",
        controlSum: file.controlSum,
        transactions: file.transfers.map((t) => ({ ...t, status: "pending", reasonCode: null })),
      };
      batches.push(batch);
      byMessageId.set(batch.messageId, batch);
      return batch;
    },

    /** Decides every transaction of every batch not yet processed; one report per batch. */
    processPending(): number {
      let processed = 0;
      for (const batch of batches) {
        if (batch.status !== "received") continue;
        for (const t of batch.transactions) {
          const outcome = options.outcomes.decide(t.creditorIban);
          t.status = outcome.status;
          t.reasonCode = outcome.status === "failed" ? outcome.reasonCode : null;
        }
        batch.status = "processed";
        const sequence = pad(reports.length + 1);
        reports.push({
          reportId: `rpt_${sequence}`,
          batchId: batch.batchId,
          xml: writeStatusReport({
            messageId: `SIMBANK-STS-${sequence}`,
            createdAt: options.now(),
            batch,
            reasonText: (code) => REASON_TEXT[code],
          }),
        });
        processed += 1;
      }
      return processed;
    },

    /** Reports after `since` (exclusive; ids sort in creation order), at most `limit`. */
    reportsAfter(since: string | null, limit: number): { reports: StatusReportEntry[]; hasMore: boolean } {
      const after = since === null ? reports : reports.filter((r) => r.reportId > since);
      return { reports: after.slice(0, limit), hasMore: after.length > limit };
    },

    snapshot(): Batch[] {
      return structuredClone(batches);
    },
  };
}

export type BankStore = ReturnType<typeof createBankStore>;
