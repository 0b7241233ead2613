/**
 * Text PostgreSQL can store: `text` and `jsonb` refuse the NUL character, and `jsonb`
 * refuses an unpaired UTF-16 surrogate (`\ud800`). Whatever reaches the stores from
 * outside is checked with this first, so such input is the caller's 400, never our 500.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unstorableTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (UNPAIRED_SURROGATE.test(text)) return 'must be well-formed Unicode (no unpaired surrogate)';
  return null;
}

export interface JsonProblem {
  /** Path of the value (`parameters.filters[2].name`), or the whole value's name. */
  readonly field: string;
  readonly message: string;
}

export interface JsonShapeLimits {
  /** Deepest nesting of objects and arrays. */
  readonly maxDepth?: number;
  /** Object keys plus array items, counted over the whole value. */
  readonly maxKeys?: number;
  /** Stop after this many problems. */
  readonly maxProblems?: number;
  /** The field named when the whole value is at fault (default `body`). */
  readonly wholeName?: string;
}

/**
 * Walks a parsed JSON value without recursion (a deeply nested body cannot overflow the
 * stack) and reports unstorable strings (values and keys), nesting beyond `maxDepth`, and
 * more than `maxKeys` members. Work is bounded by the limits, not by the value's size.
 */
export function inspectJsonValue(value: unknown, root = '', limits: JsonShapeLimits = {}): JsonProblem[] {
  const { maxDepth = Infinity, maxKeys = Infinity, maxProblems = 20, wholeName = 'body' } = limits;
  const problems: JsonProblem[] = [];
  const pending: [unknown, string, number][] = [[value, root, 0]];
  let members = 0;
  while (pending.length > 0 && problems.length < maxProblems) {
    const [current, field, depth] = pending.pop()!;
    if (typeof current === 'string') {
      const reason = unstorableTextReason(current);
      if (reason) problems.push({ field: field || wholeName, message: reason });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) {
      problems.push({ field: field || wholeName, message: `is nested deeper than ${maxDepth} levels` });
      continue;
    }
    members += Array.isArray(current) ? current.length : Object.keys(current).length;
    if (members > maxKeys) {
      return [{ field: root || wholeName, message: `has more than ${maxKeys} keys and array items in all` }];
    }
    const entries: [string, unknown][] = Array.isArray(current)
      ? current.map((item, i) => [`[${i}]`, item])
      : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const path = Array.isArray(current) ? `${field}${key}` : field ? `${field}.${key}` : key;
      const reason = Array.isArray(current) ? null : unstorableTextReason(key);
      if (reason) problems.push({ field: path, message: `key ${reason}` });
      else pending.push([child, path, depth + 1]);
    }
  }
  return problems;
}
