/**
 * The one redaction of secret values in text that leaves the provider (logs, errors, check messages). A cloud
 * may echo what it was sent in another case, URL- or JSON-encoded, or cut short, so each value is looked for in
 * those forms, ignoring case, and a truncated echo (a long enough start of the value) is cleared too. Short
 * values are cleared only as whole words, and words every message uses (`true`, `false`, …) never, so a
 * message about a field does not turn into "must be [secret] or false".
 */

/** Shortest value cleared at all: shorter ones are initials or digits that ordinary text is full of. */
export const REDACT_MIN = 3;
/** Values shorter than this are cleared only as a whole word; longer ones wherever they occur. */
const WORD_ONLY_BELOW = 8;
/** A start of a value at least this long counts as a truncated echo of it. */
const TRUNCATED_MIN = 8;
/** Values that are ordinary words of any message, never cleared. */
const COMMON = new Set(["true", "false", "null", "none", "undefined", "yes", "no", "n/a", "string", "number"]);

/** The forms a value may come back in: as sent, URL-encoded (path and form), JSON-escaped. Lower-case. */
function forms(value: string): string[] {
  const out = new Set([value]);
  try {
    const url = encodeURIComponent(value);
    out.add(url);
    out.add(url.replace(/%20/g, "+"));
  } catch {
    // a lone surrogate: no URL form
  }
  out.add(JSON.stringify(value).slice(1, -1));
  return [...out].map((f) => f.toLowerCase());
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/**
 * Ranges `[start, end)` of `lower` (the lower-cased text) that echo `form`: the whole form, or (for a long form)
 * a start of it of at least TRUNCATED_MIN characters, extended as far as it matches.
 */
function echoes(lower: string, form: string, wordOnly: boolean): [number, number][] {
  const need = form.length >= TRUNCATED_MIN ? TRUNCATED_MIN : form.length;
  const head = form.slice(0, need);
  const out: [number, number][] = [];
  for (let at = lower.indexOf(head); at !== -1; at = lower.indexOf(head, at + 1)) {
    let end = at + need;
    while (end - at < form.length && lower[end] === form[end - at]) end++;
    if (end - at < form.length && form.length < TRUNCATED_MIN) continue;
    if (wordOnly && (isWordChar(lower[at - 1]) || isWordChar(lower[end]))) continue;
    out.push([at, end]);
  }
  return out;
}

/** `text` with every echo of each of `values` replaced by `mask`. */
export function redactText(text: string, values: readonly (string | undefined)[], mask = "[secret]"): string {
  const lower = text.toLowerCase();
  // toLowerCase keeps the length of almost all text; where it does not, fall back to exact, case-sensitive matching.
  const folded = lower.length === text.length;
  const haystack = folded ? lower : text;
  const ranges: [number, number][] = [];
  for (const value of values) {
    if (typeof value !== "string" || value.length < REDACT_MIN || COMMON.has(value.trim().toLowerCase())) continue;
    const wordOnly = value.length < WORD_ONLY_BELOW;
    for (const form of folded ? forms(value) : [value]) ranges.push(...echoes(haystack, form, wordOnly));
  }
  if (!ranges.length) return text;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = "";
  let pos = 0;
  for (const [start, end] of ranges) {
    if (end <= pos) continue;
    if (start >= pos) out += text.slice(pos, start) + mask;
    pos = end;
  }
  return out + text.slice(pos);
}
