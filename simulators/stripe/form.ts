/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket notation
 * (`metadata[order]=1`, `expand[]=x`, `expand[0]=x`), parsed into nested values. Containers have no
 * prototype, so keys such as `__proto__` are plain data. `[n]` indices stay object keys here: only the
 * spec knows whether a parameter is a list, and the validator turns them into arrays.
 */

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

function newObject(): FormObject {
  return Object.create(null) as FormObject;
}

function splitKey(key: string): string[] {
  const match = KEY.exec(key);
  if (!match) return [key];
  const segments = [match[1] ?? key];
  for (const part of (match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)) segments.push(part[1] ?? "");
  return segments;
}

function isContainer(value: FormValue | undefined): value is FormValue[] | FormObject {
  return typeof value === "object" && value !== null;
}

function place(root: FormObject, segments: string[], value: string): void {
  let container: FormValue[] | FormObject = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? "";
    const last = i === segments.length - 1;
    const nextIsList = segments[i + 1] === "";
    const fresh = (): FormValue[] | FormObject => (nextIsList ? [] : newObject());
    if (Array.isArray(container)) {
      // `[]` appends; a nested `[]` segment (`a[][b]=1`) starts a new element each time.
      if (last) {
        container.push(value);
        return;
      }
      const child = fresh();
      container.push(child);
      container = child;
      continue;
    }
    if (last) {
      container[segment] = value;
      return;
    }
    const existing: FormValue | undefined = container[segment];
    if (isContainer(existing) && Array.isArray(existing) === nextIsList) {
      container = existing;
    } else {
      const child = fresh();
      container[segment] = child;
      container = child;
    }
  }
}

export function parseForm(text: string): FormObject {
  const root = newObject();
  for (const [key, value] of new URLSearchParams(text)) {
    if (key === "") continue;
    place(root, splitKey(key), value);
  }
  return root;
}

/** A stable text of the parameters, independent of their order on the wire. */
export function canonicalForm(value: FormValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalForm).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalForm(value[key] as FormValue)}`).join(",")}}`;
}
