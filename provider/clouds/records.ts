import type { ValidationRecord } from "../resources/types";

/**
 * Validation records in a stable order: by the application's names (common name first, then the extra names as the
 * cloud keeps them), then type, name and value. The clouds give no order for their lists (the seeded emulator draws
 * one), and a record list whose order moves between reads would show as a change of the output.
 */
export function inNameOrder(records: ValidationRecord[], names: readonly string[]): ValidationRecord[] {
  const at = new Map<string, number>();
  names.forEach((n, i) => {
    const k = n.toLowerCase();
    if (!at.has(k)) at.set(k, i);
  });
  const rank = (r: ValidationRecord) => at.get(r.domain.toLowerCase()) ?? names.length;
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...records].sort(
    (a, b) => rank(a) - rank(b) || text(a.domain, b.domain) || text(a.type, b.type) || text(a.name, b.name) || text(a.value, b.value),
  );
}
