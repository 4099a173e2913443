import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status_code">;
  payments: Counter<"status" | "connector">;
  webhookAttempts: Counter<"outcome">;
  webhookLag: Histogram;
  outboxBacklog: Gauge<"queue">;
  connectorCalls: Histogram<"connector" | "operation" | "outcome">;
  vaultDecryptions: Counter<"purpose" | "connector">;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: "payrail_" });
  return {
    registry,
    httpDuration: new Histogram({
      name: "payrail_http_request_duration_seconds",
      help: "HTTP request latency by route",
      labelNames: ["method", "route", "status_code"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    payments: new Counter({
      name: "payrail_payments_total",
      help: "Payment intents reaching a status, by connector",
      labelNames: ["status", "connector"],
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: "payrail_webhook_delivery_attempts_total",
      help: "Outbound webhook delivery attempts by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    webhookLag: new Histogram({
      name: "payrail_webhook_delivery_lag_seconds",
      help: "Time from event creation to successful delivery",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
      registers: [registry],
    }),
    outboxBacklog: new Gauge({
      name: "payrail_outbox_backlog",
      help: "Undispatched events and pending deliveries",
      labelNames: ["queue"],
      registers: [registry],
    }),
    connectorCalls: new Histogram({
      name: "payrail_connector_call_duration_seconds",
      help: "Provider call latency by connector, operation and outcome",
      labelNames: ["connector", "operation", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    vaultDecryptions: new Counter({
      name: "payrail_vault_decryptions_total",
      help: "Card numbers decrypted from the vault, by purpose and connector",
      labelNames: ["purpose", "connector"],
      registers: [registry],
    }),
  };
}
