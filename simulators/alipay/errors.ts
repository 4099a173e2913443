/** Alipay's public error codes: `code`/`msg` per class, `sub_code`/`sub_msg` for the detail. */

export interface AlipayError {
  code: "20000" | "40001" | "40002" | "40004";
  msg: string;
  sub_code: string;
  sub_msg: string;
}

const MSG = {
  "20000": "Service Currently Unavailable",
  "40001": "Missing Required Arguments",
  "40002": "Invalid Arguments",
  "40004": "Business Failed",
} as const;

function error(code: AlipayError["code"], subCode: string, subMsg: string): AlipayError {
  return { code, msg: MSG[code], sub_code: subCode, sub_msg: subMsg };
}

export const missing = (subCode: string, subMsg: string) => error("40001", subCode, subMsg);
export const invalid = (subCode: string, subMsg: string) => error("40002", subCode, subMsg);
export const business = (subCode: string, subMsg: string) => error("40004", subCode, subMsg);

export const errors = {
  missingMethod: () => missing("isv.missing-method", "缺少方法名参数"),
  missingSignature: () => missing("isv.missing-signature", "缺少签名参数"),
  missingSignType: () => missing("isv.missing-signature-type", "缺少签名类型参数"),
  missingAppId: () => missing("isv.missing-app-id", "缺少appId参数"),
  missingTimestamp: () => missing("isv.missing-timestamp", "缺少时间戳参数"),
  missingVersion: () => missing("isv.missing-version", "缺少版本参数"),
  invalidMethod: () => invalid("isv.invalid-method", "不存在的方法名"),
  invalidFormat: () => invalid("isv.invalid-format", "无效的数据格式"),
  invalidSignType: () => invalid("isv.invalid-signature-type", "无效的签名类型"),
  invalidSignature: (content: string) =>
    invalid(
      "isv.invalid-signature",
      `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}`,
    ),
  invalidAppId: () => invalid("isv.invalid-app-id", "无效的AppID参数"),
  invalidTimestamp: () => invalid("isv.invalid-timestamp", "非法的时间戳参数"),
  invalidCharset: () => invalid("isv.invalid-charset", "字符集错误"),
  invalidVersion: () => invalid("isv.invalid-version", "无效的版本号"),
  invalidParameter: (detail: string) => invalid("isv.invalid-parameter", `参数无效: ${detail}`),
  unknown: () => error("20000", "isp.unknow-error", "服务暂不可用"),
  tradeNotExist: () => business("ACQ.TRADE_NOT_EXIST", "交易不存在"),
  tradeStatusError: () => business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"),
  tradeHasClose: () => business("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"),
  tradeHasSuccess: () => business("ACQ.TRADE_HAS_SUCCESS", "交易已被支付"),
  tradeHasFinished: () => business("ACQ.TRADE_HAS_FINISHED", "交易已完结"),
  contextInconsistent: () => business("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"),
  refundAmountExceeded: () => business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限"),
  invalidBizParameter: (detail: string) => business("ACQ.INVALID_PARAMETER", `参数无效: ${detail}`),
  systemError: () => business("ACQ.SYSTEM_ERROR", "系统错误"),
  billNotExist: () => business("isp.bill_not_exist", "账单不存在"),
};
