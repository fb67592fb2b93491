import { createHash } from "node:crypto";
import type { ApplicationBackend, CloudContext, LiveApplication } from "./backend";
import { makeContext } from "./context";
import { decide, type Plan } from "./plan";
import type { ApplicationInputs, ApplicationOutputs, ApplicationStatus } from "./types";

/** One certificate as a list page shows it. */
export interface ListedStatus {
  id: string;
  live: LiveApplication;
}

/** One page of a cloud's certificate list; `next` is the position of the following page, absent after the last. */
export interface ListPage {
  entries: ListedStatus[];
  next?: number;
}

/** A cloud's list call, as the shared list reads use it. */
export interface ListReader {
  /** The config values that name the account (endpoint, credential identity): one list is shared per account. */
  account(ctx: CloudContext): string[];
  /** The page at `position` (0 for the first). */
  page(ctx: CloudContext, position: number): Promise<ListPage>;
}

/**
 * How long a status seen in a list page may answer a Diff. A list status only ever confirms "no change" in a
 * preview or no-op `up`; every write reads its application directly first.
 */
export const LIST_WINDOW_MS = 30_000;

/** Statuses a list page may answer: settled ones the plan does not act on (it acts on failed, timed-out, pending). */
export const LIST_SETTLED: ReadonlySet<ApplicationStatus> = new Set<ApplicationStatus>(["issued", "expired", "revoked", "cancelled"]);

/** The longest pause between two Diffs that still counts them as one run's (a Diff costs one paced read, ~0.1 s). */
const MISS_GAP_MS = 2_000;

interface Seen {
  live: LiveApplication;
  at: number;
}

/** The list of one account, read a page at a time as Diffs ask for ids it has not shown yet. */
interface Sweep {
  seen: Map<string, Seen>;
  /** Position of the next page; undefined once the last page was read (or a page failed). */
  next: number | undefined;
  startedAt: number;
  inFlight?: Promise<void>;
  /**
   * The ids of Diffs in a row that found their id in no page, each within MISS_GAP_MS of the one before (the Diffs of
   * one run come back to back): a page is read from the second id on, so a lone application (in one run or in
   * several runs one after the other) reads only itself.
   */
  missed: Set<string>;
  lastMissAt: number;
  /** Diffs whose id a page showed: answered by it (settled, no change), and not (in flight, or a plan that acts). */
  answered: number;
  unanswered: number;
}

const sweeps = new Map<string, Sweep>();
let pagesRead = 0;

/** Forgets every list page read so far (tests). */
export function resetListReads(): void {
  sweeps.clear();
  pagesRead = 0;
}

/** List pages read by this process (tests, bench). */
export function listPagesRead(): number {
  return pagesRead;
}

function sweepFor(key: string, now: number): Sweep {
  let s = sweeps.get(key);
  if (!s || (s.next === undefined && !s.inFlight && now - s.startedAt >= LIST_WINDOW_MS)) {
    s = { seen: new Map(), next: 0, startedAt: now, missed: new Set(), lastMissAt: 0, answered: 0, unanswered: 0 };
    sweeps.set(key, s);
  }
  return s;
}

function readNextPage(reader: ListReader, ctx: CloudContext, s: Sweep): void {
  if (s.inFlight || s.next === undefined) return;
  const position = s.next;
  s.inFlight = reader
    .page(ctx, position)
    .then((page) => {
      pagesRead += 1;
      const at = Date.now();
      for (const e of page.entries) s.seen.set(e.id, { live: e.live, at });
      s.next = page.next;
    })
    .catch(() => {
      // The Diffs read their applications directly; a later sweep tries the list again.
      s.next = undefined;
    })
    .finally(() => {
      s.inFlight = undefined;
    });
}

/**
 * The pages do not answer this run's Diffs: of the Diffs whose id a page showed, more (two at least) were not
 * answered by it than were (a stack in flight, or one whose stored status is stale). Each of those reads directly
 * anyway, so from then on no Diff waits for a page or starts one, and the run costs what it cost without pages.
 */
function notAnswering(s: Sweep): boolean {
  return s.unanswered >= 2 && s.unanswered > s.answered;
}

function fresh(s: Sweep, id: string, now: number): Seen | undefined {
  const seen = s.seen.get(id);
  return seen && now - seen.at < LIST_WINDOW_MS ? seen : undefined;
}

/**
 * What a list page shared by the Diffs of one account shows of `id`: undefined when no page read within
 * LIST_WINDOW_MS shows it (the caller reads directly), else the sweep and, when the page shows it settled, its live
 * view. An id no page has shown yet waits for a page already on its way; from the second such Diff of the account
 * on, it then asks for the next page (read beside the caller's direct read), so a stack of one application never
 * lists. Once the pages stop answering the Diffs (`notAnswering`), a Diff neither waits for a page nor starts one.
 */
async function lookup(backend: ApplicationBackend, id: string): Promise<{ sweep: Sweep; live?: LiveApplication } | undefined> {
  const reader = backend.listReader;
  if (!reader) return undefined;
  const cloud = backend.cloud;
  const ctx = makeContext(`${cloud} certificate list`);
  let account: string[];
  try {
    account = reader.account(ctx);
  } catch {
    return undefined; // a settings problem: the direct read reports it
  }
  const key = createHash("sha256").update([cloud, ...account].join("\u0000")).digest("hex");
  const s = sweepFor(key, Date.now());
  let seen = fresh(s, id, Date.now());
  if (!seen && s.inFlight && !notAnswering(s)) {
    await s.inFlight;
    seen = fresh(s, id, Date.now());
  }
  if (!seen) {
    const now = Date.now();
    const current = sweepFor(key, now);
    if (now - current.lastMissAt > MISS_GAP_MS) current.missed.clear();
    current.missed.add(id);
    current.lastMissAt = now;
    if (current.missed.size >= 2 && !notAnswering(current)) readNextPage(reader, ctx, current);
    return undefined;
  }
  return { sweep: s, live: LIST_SETTLED.has(seen.live.status) ? seen.live : undefined };
}

/**
 * A Diff's plan from a list status, when the list shows the application settled and the plan is "no change";
 * otherwise `undefined`, and the Diff reads the application directly and decides from that read.
 */
export async function planFromList(backend: ApplicationBackend, id: string, olds: ApplicationOutputs, news: ApplicationInputs): Promise<Plan | undefined> {
  // A renewal window needs the certificate's dates, which only the direct read carries.
  if (typeof news.renewBeforeDays === "number") return undefined;
  const hit = await lookup(backend, id);
  if (!hit) return undefined;
  let plan: Plan | undefined;
  try {
    if (hit.live) plan = decide(backend, olds, news, { live: hit.live }, Date.now());
  } catch {
    plan = undefined; // a refusal is decided on the direct read
  }
  if (plan?.kind === "none") {
    hit.sweep.answered += 1;
    return plan;
  }
  hit.sweep.unanswered += 1;
  return undefined;
}
