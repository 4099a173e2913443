import { randomBytes } from "node:crypto";
import type { CallContext, Connector, ConnectorAccount } from "./contract.ts";

/** How a provider's in-process simulator makes and accepts test-mode accounts (`<connector>/simulated.ts`). */
export interface SimulatedAccountSource {
  config(random: (size: number) => Buffer): Record<string, unknown>;
  /** Makes the simulator accept an account's credentials; idempotent. */
  register(config: Record<string, unknown>): void;
}

export interface SimulatedProvider {
  source: SimulatedAccountSource;
  /** Config fields that hold the simulator's own keys: a simulator makes new ones at every start. */
  trustFields: readonly string[];
  /** Config an account needs that depends on where Payrail is (GrabPay's registered redirect URI). */
  perAccount?: ((where: { publicUrl: string; accountId: string }) => Record<string, unknown>) | undefined;
}

/**
 * Points a connector's test-mode accounts at Payrail's in-process simulator of its provider. An account
 * that names no `base_url` talks to the simulator, so on first use (and after every restart, when the
 * simulator is new) its credentials are registered there and the simulator's current trust anchors
 * (its public keys, its certificate host) stand in for the ones stored. Live accounts are never touched.
 */
export function attachSimulator(
  connector: Connector,
  provider: SimulatedProvider,
  publicUrl: () => string,
): Connector {
  const { source, trustFields } = provider;
  const anchors = Object.fromEntries(
    Object.entries(source.config(randomBytes)).filter(([name]) => trustFields.includes(name)),
  );
  const registered = new Map<string, string>();

  function onSimulator(account: ConnectorAccount): ConnectorAccount {
    if (account.livemode || account.config.base_url) return account;
    const config = {
      ...account.config,
      ...anchors,
      ...provider.perAccount?.({ publicUrl: publicUrl(), accountId: account.id }),
    };
    const fingerprint = JSON.stringify(config);
    if (registered.get(account.id) !== fingerprint) {
      source.register(config);
      registered.set(account.id, fingerprint);
    }
    return { ...account, config };
  }
  const call = (context: CallContext): CallContext => ({ ...context, account: onSimulator(context.account) });

  const wrapped: Connector = {
    ...connector,
    defaultTestAccountConfig: (random) => source.config(random),
    authorize: (c, request) => connector.authorize(call(c), request),
    capture: (c, request) => connector.capture(call(c), request),
    void: (c, request) => connector.void(call(c), request),
    refund: (c, request) => connector.refund(call(c), request),
    sync: (c, request) => connector.sync(call(c), request),
    syncRefund: (c, request) => connector.syncRefund(call(c), request),
    verifyWebhook: (account, webhook, now) => connector.verifyWebhook(onSimulator(account), webhook, now),
  };
  const optional = {
    completeRedirect: connector.completeRedirect?.bind(connector),
    authorizeWalletToken: connector.authorizeWalletToken?.bind(connector),
    startPayment: connector.startPayment?.bind(connector),
    closePayment: connector.closePayment?.bind(connector),
  };
  if (optional.completeRedirect) {
    const complete = optional.completeRedirect;
    wrapped.completeRedirect = (c, request) => complete(call(c), request);
  }
  if (optional.authorizeWalletToken) {
    const authorizeWalletToken = optional.authorizeWalletToken;
    wrapped.authorizeWalletToken = (c, request) => authorizeWalletToken(call(c), request);
  }
  if (optional.startPayment) {
    const start = optional.startPayment;
    wrapped.startPayment = (c, request) => start(call(c), request);
  }
  if (optional.closePayment) {
    const close = optional.closePayment;
    wrapped.closePayment = (c, request) => close(call(c), request);
  }
  return wrapped;
}
