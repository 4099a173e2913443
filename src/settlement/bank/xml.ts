/** A minimal XML writer for the bank files and a hardened reader on top of fast-xml-parser. */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { BankFileError } from "./errors.ts";

export interface XmlElement {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: XmlElement[];
}

type Child = XmlElement | null | undefined | false;

/** An element with either text or child elements; null/false children are left out. */
export function el(name: string, content: string | Child[], attrs?: Record<string, string>): XmlElement {
  if (typeof content === "string") return { name, text: content, ...(attrs ? { attrs } : {}) };
  const children = content.filter((child): child is XmlElement => Boolean(child));
  return { name, children, ...(attrs ? { attrs } : {}) };
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function render(node: XmlElement, depth: number, out: string[]): void {
  const indent = "  ".repeat(depth);
  const attrs = Object.entries(node.attrs ?? {})
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join("");
  if (node.children === undefined) {
    out.push(`${indent}<${node.name}${attrs}>${escapeXml(node.text ?? "")}</${node.name}>`);
    return;
  }
  out.push(`${indent}<${node.name}${attrs}>`);
  for (const child of node.children) render(child, depth + 1, out);
  out.push(`${indent}</${node.name}>`);
}

export function renderXml(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, 0, out);
  return `${out.join("\n")}\n`;
}

// biome-ignore lint/suspicious/noExplicitAny: the parser's output is untyped until the readers below check it
export type XmlNode = any;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
});

/**
 * The message element inside `<Document xmlns="...">`, after checking the XML is well formed and of
 * the expected message type. DOCTYPEs are refused: bank files have none, and entities are an attack surface.
 */
export function readDocument(xml: string, namespace: string, messageElement: string): XmlNode {
  if (/<!DOCTYPE/i.test(xml)) throw new BankFileError("the XML has a DOCTYPE, which bank files never carry");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new BankFileError(`the XML is not well formed: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const document = parser.parse(xml)?.Document;
  if (!document || typeof document !== "object") throw new BankFileError("the XML has no <Document> root");
  if (document["@_xmlns"] !== namespace) {
    throw new BankFileError(
      `expected a ${namespace} document, got namespace '${document["@_xmlns"] ?? "(none)"}'`,
    );
  }
  const message = document[messageElement];
  if (!message || typeof message !== "object")
    throw new BankFileError(`the document has no <${messageElement}>`);
  return message;
}

/** Repeated elements come back as an array, a single one as an object, a missing one as undefined. */
export function list(node: XmlNode): XmlNode[] {
  if (node === undefined || node === null) return [];
  return Array.isArray(node) ? node : [node];
}

/** The text at a path of element names, or null; an element with attributes keeps its text in #text. */
export function textAt(node: XmlNode, ...path: string[]): string | null {
  let current = node;
  for (const name of path) {
    if (current === undefined || current === null || typeof current !== "object") return null;
    current = current[name];
  }
  if (typeof current === "string") return current;
  if (current && typeof current === "object" && typeof current["#text"] === "string") return current["#text"];
  return null;
}

export function requiredText(node: XmlNode, where: string, ...path: string[]): string {
  const value = textAt(node, ...path);
  if (value === null || value === "") throw new BankFileError(`${where}: missing ${path.join("/")}`);
  return value;
}
