/** The slice of a pino-like logger the simulator uses. */
export interface SimulatorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = () => undefined;

export const silentLogger: SimulatorLogger = { info: noop, warn: noop, error: noop };
