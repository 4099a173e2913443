/**
 * Request checks that fail the way WeChat Pay does: PARAM_ERROR naming the input path ("/body/amount/total")
 * and the field's Chinese label, with `detail.location` and the offending value.
 */
import { WechatpayError } from "./errors.ts";

export type JsonObject = Record<string, unknown>;

interface StringRule {
  required?: boolean;
  minBytes?: number;
  maxBytes: number;
  pattern?: RegExp;
  oneOf?: readonly string[];
}

function shown(value: unknown): unknown {
  if (typeof value === "string" && value.length > 64) return `${value.slice(0, 64)}…`;
  if (value !== null && typeof value === "object") return undefined;
  return value;
}

export class Fields {
  constructor(
    private readonly location: "body" | "query" | "path",
    private readonly source: JsonObject,
    private readonly prefix = `/${location}`,
  ) {}

  private fail(key: string, label: string, rule: string, value: unknown): never {
    const value_ = shown(value);
    throw new WechatpayError(
      400,
      "PARAM_ERROR",
      `输入源“${this.prefix}/${key}”映射到字段“${label}”${rule}`,
      value_ === undefined ? { location: this.location } : { location: this.location, value: value_ },
    );
  }

  private present(key: string): unknown {
    const value = this.source[key];
    return value === null ? undefined : value;
  }

  string(key: string, label: string, rule: StringRule & { required: true }): string;
  string(key: string, label: string, rule: StringRule): string | undefined;
  string(key: string, label: string, rule: StringRule): string | undefined {
    const value = this.present(key);
    if (value === undefined || value === "") {
      if (rule.required) this.fail(key, label, "必填性规则校验失败，此字段为必填项", value);
      return undefined;
    }
    if (typeof value !== "string") this.fail(key, label, "类型校验失败，此字段应为字符串", value);
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes > rule.maxBytes) {
      this.fail(key, label, `字符串规则校验失败，字节数 ${bytes}，大于最大值 ${rule.maxBytes}`, value);
    }
    if (rule.minBytes !== undefined && bytes < rule.minBytes) {
      this.fail(key, label, `字符串规则校验失败，字节数 ${bytes}，小于最小值 ${rule.minBytes}`, value);
    }
    if (rule.pattern && !rule.pattern.test(value))
      this.fail(key, label, "字符串规则校验失败，包含非法字符", value);
    if (rule.oneOf && !rule.oneOf.includes(value)) {
      this.fail(key, label, "枚举值校验失败，取值不在允许范围内", value);
    }
    return value;
  }

  integer(key: string, label: string, rule: { required: true; min: number }): bigint;
  integer(key: string, label: string, rule: { required?: boolean; min: number }): bigint | undefined;
  integer(key: string, label: string, rule: { required?: boolean; min: number }): bigint | undefined {
    const value = this.present(key);
    if (value === undefined) {
      if (rule.required) this.fail(key, label, "必填性规则校验失败，此字段为必填项", value);
      return undefined;
    }
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      this.fail(key, label, "类型校验失败，此字段应为整数", value);
    }
    if (value < rule.min) this.fail(key, label, `数值规则校验失败，小于最小值 ${rule.min}`, value);
    return BigInt(value);
  }

  boolean(key: string, label: string): boolean | undefined {
    const value = this.present(key);
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") this.fail(key, label, "类型校验失败，此字段应为布尔值", value);
    return value;
  }

  object(key: string, label: string, required: true): Fields;
  object(key: string, label: string, required?: boolean): Fields | undefined;
  object(key: string, label: string, required = false): Fields | undefined {
    const value = this.present(key);
    if (value === undefined) {
      if (required) this.fail(key, label, "必填性规则校验失败，此字段为必填项", value);
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      this.fail(key, label, "类型校验失败，此字段应为对象", value);
    }
    return new Fields(this.location, value as JsonObject, `${this.prefix}/${key}`);
  }

  array(key: string, label: string): unknown[] | undefined {
    const value = this.present(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.fail(key, label, "类型校验失败，此字段应为数组", value);
    return value;
  }

  /** A rule only the handler knows (e.g. a URL's form); fails with the same message shape. */
  reject(key: string, label: string, rule: string): never {
    this.fail(key, label, rule, this.source[key]);
  }
}

export function parseJsonObject(raw: Buffer): JsonObject | null {
  try {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as JsonObject)
      : null;
  } catch {
    return null;
  }
}

/** WeChat wants a reachable absolute URL without query parameters. */
export function isNotifyUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "https:" || url.protocol === "http:") && url.search === "" && url.hash === "";
}
