export { DEFAULT_RATES, latestBusinessDay } from "./rates.ts";
export {
  DAILY_PATH,
  type EcbFault,
  type EcbSimulator,
  type EcbSimulatorOptions,
  HIST_90D_PATH,
  startEcbSimulator,
} from "./server.ts";
export { type EcbDay, EUROFXREF_NS, GESMES_NS, renderEcbDailyXml, renderEcbXml } from "./xml.ts";
