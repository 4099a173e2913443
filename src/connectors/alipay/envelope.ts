/**
 * Alipay signs the exact text of the `<method>_response` value inside its JSON answer (written by a
 * Java serializer: `/` escaped as `\/`, its own key order). Re-serialising parsed JSON would not give
 * those bytes back, so the members of the top-level object are cut out of the received text as is.
 */

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && " \t\r\n".includes(text[at]!)) at++;
  return at;
}

/** The index just after the JSON string starting at `at` (a `"`). */
function skipString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/** The index just after the JSON value starting at `at`; the text is known to be valid JSON. */
function skipValue(text: string, at: number): number {
  if (text[at] === '"') return skipString(text, at);
  if (text[at] === "{" || text[at] === "[") {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const char = text[i];
      if (char === '"') i = skipString(text, i) - 1;
      else if (char === "{" || char === "[") depth++;
      else if (char === "}" || char === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  let i = at;
  while (i < text.length && !",}] \t\r\n".includes(text[i]!)) i++;
  return i;
}

/**
 * The members of a top-level JSON object, each value as the exact text received. Null when the text
 * is not a JSON object or repeats a key (which copy counts would be ambiguous).
 */
export function rawMembers(text: string): Map<string, string> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  } catch {
    return null;
  }
  const members = new Map<string, string>();
  let at = skipWhitespace(text, 0) + 1;
  for (;;) {
    at = skipWhitespace(text, at);
    if (text[at] === "}") return members;
    const keyEnd = skipString(text, at);
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    at = skipWhitespace(text, keyEnd) + 1;
    at = skipWhitespace(text, at);
    const valueEnd = skipValue(text, at);
    if (members.has(key)) return null;
    members.set(key, text.slice(at, valueEnd));
    at = skipWhitespace(text, valueEnd);
    if (text[at] === ",") at++;
  }
}
