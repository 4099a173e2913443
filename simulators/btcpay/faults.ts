/** This simulator's faults are the standard set (simulators/common/faults.ts). */
export {
  createFaultBook,
  type FaultBook,
  faultSchema,
  type NotificationFaults,
  type ReorderGroupSpec,
  type RequestAction,
  type RequestFaults,
  type StandardFault as BtcpayFault,
} from "../common/faults.ts";
