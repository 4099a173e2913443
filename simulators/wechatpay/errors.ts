/** WeChat Pay's error body is `{code, message}` (PARAM_ERROR adds `detail`); handlers throw these. */
export interface ErrorDetail {
  location?: string;
  field?: string;
  value?: unknown;
  issue?: string;
}

export class WechatpayError extends Error {
  override name = "WechatpayError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: ErrorDetail,
  ) {
    super(message);
  }

  toBody(): { code: string; message: string; detail?: ErrorDetail } {
    return this.detail
      ? { code: this.code, message: this.message, detail: this.detail }
      : { code: this.code, message: this.message };
  }
}

const fail = (status: number, code: string, message: string, detail?: ErrorDetail) =>
  new WechatpayError(status, code, message, detail);

export const ERRORS = {
  authorizationFormat: () =>
    fail(401, "SIGN_ERROR", "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》"),
  signature: () => fail(401, "SIGN_ERROR", "签名错误，请检查后再试"),
  serialNo: () => fail(401, "SIGN_ERROR", "商户证书序列号有误。请使用签名私钥匹配的证书序列号"),
  clockSkew: () => fail(401, "SIGN_ERROR", "Http头Authorization中的timestamp与服务器时间相差超过5分钟"),
  merchantUnknown: () => fail(400, "MCH_NOT_EXISTS", "商户号不存在"),
  mchidMismatch: (location: string) =>
    fail(400, "PARAM_ERROR", "mchid与Http头Authorization中的商户号不一致", { location, field: "mchid" }),
  appidMismatch: () => fail(400, "APPID_MCHID_NOT_MATCH", "AppID和mch_id不匹配"),
  invalidJson: () => fail(400, "PARAM_ERROR", "请求的body不是合法的JSON", { location: "body" }),
  orderNotExist: () => fail(404, "ORDERNOTEXIST", "订单不存在"),
  orderPaid: () => fail(400, "ORDERPAID", "该订单已支付"),
  orderClosed: () => fail(400, "ORDER_CLOSED", "该订单已关闭"),
  outTradeNoUsed: () => fail(403, "OUT_TRADE_NO_USED", "商户订单号重复"),
  refundOrderNotExist: () => fail(404, "RESOURCE_NOT_EXISTS", "订单不存在"),
  refundNotExist: () => fail(404, "RESOURCE_NOT_EXISTS", "退款单不存在"),
  refundTotalMismatch: () => fail(400, "INVALID_REQUEST", "订单金额与原支付金额不一致"),
  refundConflict: () => fail(400, "INVALID_REQUEST", "订单金额或退款金额与之前请求不一致，请核实后再试"),
  refundTooMuch: () => fail(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额"),
  refundTooMany: () => fail(400, "INVALID_REQUEST", "部分退款次数超过限制（50次）"),
  billDate: (message: string) => fail(400, "INVALID_REQUEST", message),
  statementCreating: () => fail(400, "STATEMENT_CREATING", "账单生成中，请稍后再试"),
  noStatement: () => fail(400, "NO_STATEMENT_EXIST", "账单文件不存在"),
  downloadExpired: () => fail(400, "INVALID_REQUEST", "下载链接已过期，请重新申请账单"),
  noAuth: () => fail(403, "NO_AUTH", "无权限下载该账单"),
  notFound: () => fail(404, "NOT_FOUND", "请求的资源不存在"),
  methodNotAllowed: () => fail(405, "METHOD_NOT_ALLOWED", "请求方法不被允许"),
  tooLarge: () => fail(413, "PARAM_ERROR", "请求的body过大"),
  systemError: () => fail(500, "SYSTEM_ERROR", "系统错误"),
  unavailable: () => fail(503, "SYSTEM_ERROR", "系统繁忙，请稍后重试"),
  frequencyLimited: () => fail(429, "FREQUENCY_LIMITED", "频率超限"),
};
