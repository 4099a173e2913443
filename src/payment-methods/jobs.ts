import type { Job } from "../jobs/runtime.ts";
import type { PaymentMethodService } from "./service.ts";

/** CVCs nobody used in time are deleted, whether or not an authorization ever comes. */
export function purgeExpiredCvcsJob(methods: PaymentMethodService): Job {
  return { name: "purge_expired_cvcs", run: () => methods.purgeExpiredCvcs() };
}
