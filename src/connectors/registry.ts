import type { Connector } from "./contract.ts";

export interface ConnectorRegistry {
  get(id: string): Connector | undefined;
  require(id: string): Connector;
  all(): Connector[];
}

export function createConnectorRegistry(connectors: Connector[]): ConnectorRegistry {
  const byId = new Map(connectors.map((c) => [c.id, c]));
  return {
    get: (id) => byId.get(id),
    require(id) {
      const connector = byId.get(id);
      if (!connector) throw new Error(`connector '${id}' is not installed`);
      return connector;
    },
    all: () => [...byId.values()],
  };
}
