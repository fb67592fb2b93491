import { randomBytes } from "node:crypto";
import { EmulatorCa } from "../ca";
import type { CloudEmulator, EmulatorRequest, EmulatorResponse, EmulatorShared, ReplyFault } from "../types";
import {
  CERTIFICATE_AUTHORITIES,
  DCV_METHODS,
  DOMAIN_RE,
  EMAIL_RE,
  LABEL_MAX,
  LABEL_RE,
  NOTIFICATION_TYPES,
  DELIVERY_REGIONS,
  ORDER_STATUSES,
  STEP,
  VALIDATION_TYPES,
  ZERO_DATE,
  checkOrganization,
  dcvEmails,
  errorBody,
  isRecord,
  iso,
  parentDomain,
  type DomainState,
  type NotificationWire,
  type OrganizationWire,
  type Problem,
  type RequestState,
} from "./model";

type Reply = EmulatorResponse & { errorCode?: string };

const CPS = "/sec/cps";
const SCOPE = "sec.cps.certificates";
// inferred: no page-size maximum is stated beyond "20 as default / upper limit"; larger values are capped.
const PAGE_SIZE_MAX = 20;
// inferred: the validity of an emulated certificate (DigiCert's 397-day maximum).
const VALIDITY_DAYS = 397;

const ROUTES: { method: string; re: RegExp; action: string }[] = [
  { method: "POST", re: /^\/v2\.0\/certificates\/cdnprovided$/, action: "POST /v2.0/certificates/cdnprovided" },
  { method: "GET", re: /^\/v2\.0\/certificates$/, action: "GET /v2.0/certificates" },
  { method: "GET", re: /^\/v2\.0\/certificates\/([^/]+)$/, action: "GET /v2.0/certificates/{id}" },
  { method: "PATCH", re: /^\/v2\.0\/certificates\/([^/]+)$/, action: "PATCH /v2.0/certificates/{id}" },
  { method: "DELETE", re: /^\/v2\.0\/certificates\/([^/]+)$/, action: "DELETE /v2.0/certificates/{id}" },
  { method: "GET", re: /^\/v2\.0\/certificates\/([^/]+)\/status$/, action: "GET /v2.0/certificates/{id}/status" },
  { method: "PUT", re: /^\/v2\.0\/certificates\/([^/]+)\/cancel$/, action: "PUT /v2.0/certificates/{id}/cancel" },
  { method: "PUT", re: /^\/v2\.0\/certificates\/([^/]+)\/retrigger$/, action: "PUT /v2.0/certificates/{id}/retrigger" },
  { method: "PUT", re: /^\/v2\.0\/certificates\/([^/]+)\/renew$/, action: "PUT /v2.0/certificates/{id}/renew" },
  { method: "PUT", re: /^\/v2\.0\/certificates\/([^/]+)\/organization$/, action: "PUT /v2.0/certificates/{id}/organization" },
  { method: "GET", re: /^\/v2\.0\/certificates\/([^/]+)\/notifications$/, action: "GET /v2.0/certificates/{id}/notifications" },
  { method: "PATCH", re: /^\/v2\.0\/certificates\/([^/]+)\/notifications$/, action: "PATCH /v2.0/certificates/{id}/notifications" },
  { method: "GET", re: /^\/v2\.0\/dcv\/certificates\/([^/]+)$/, action: "GET /v2.0/dcv/certificates/{id}" },
];

function fail(status: number, code: string, problems: Problem[] | string, source = ""): Reply {
  const details = typeof problems === "string" ? [{ source, description: problems }] : problems;
  return { status, body: errorBody(status, code, details), errorCode: code };
}

// inferred: the concrete `code` strings of CPS errors are not documented; these are ours.
const BAD = "ValidationFailed";
const NOT_FOUND = "NotFound";
const CONFLICT = "Conflict";

/** The Edgecast part of the emulator: the identity server and the CPS v2.0 certificate API. */
export class EdgecastEmulator implements CloudEmulator {
  readonly cloud = "edgecast" as const;
  private requests = new Map<number, RequestState>();
  /** Every label ever used (lower-case) → request id; deleted requests keep theirs. */
  private labels = new Map<string, number>();
  private tokens = new Map<string, { expiresAt: number; scope: string }>();
  private nextId = 11605;
  private nextDomainId = 12345;
  /** E-mails of the account's MCC users; `undefined` = every address counts as one. */
  // inferred: the emulator has no user directory; until the control command `users` sets one, any address is accepted.
  private accountUsers?: Set<string>;
  /** Number of tokens the identity server issued (tests check caching with it). */
  tokensIssued = 0;

  /** Issues the CDN-provided certificates (the CDN keeps the keys; nothing of them is served). */
  private readonly ca = new EmulatorCa();

  constructor(private readonly shared: EmulatorShared) {}

  match(req: EmulatorRequest): string | undefined {
    if (req.path === "/connect/token") return "POST /connect/token";
    if (!req.path.startsWith(`${CPS}/`)) return undefined;
    const p = req.path.slice(CPS.length);
    for (const r of ROUTES) if (r.method === req.method && r.re.test(p)) return r.action;
    return `${req.method} ${p}`;
  }

  async handle(req: EmulatorRequest, action: string): Promise<Reply> {
    if (action === "POST /connect/token") return this.token(req);
    const auth = this.authorize(req);
    if (auth) return auth;
    const p = req.path.slice(CPS.length);
    const route = ROUTES.find((r) => r.action === action && r.method === req.method);
    if (!route) return fail(404, NOT_FOUND, `no such resource: ${req.method} ${p}`);
    const m = route.re.exec(p);
    const rawId = m?.[1];
    let body: unknown;
    if (req.body.length > 0) {
      try {
        body = JSON.parse(req.body.toString("utf8"));
      } catch {
        return fail(400, BAD, "the request body is not valid JSON");
      }
    }
    if (route.action === "POST /v2.0/certificates/cdnprovided") return this.create(body);
    if (route.action === "GET /v2.0/certificates") return this.list(req.query);
    const id = Number(rawId);
    if (!rawId || !/^[0-9]+$/.test(rawId) || !Number.isSafeInteger(id)) {
      // inferred: a non-numeric id is a 400 (ids are int64 in the SDK).
      return fail(400, BAD, `certificate id must be an integer, got "${rawId ?? ""}"`, "id");
    }
    const r = this.requests.get(id);
    if (!r) return fail(404, NOT_FOUND, `certificate request ${id} was not found`, "id");
    switch (route.action) {
      case "GET /v2.0/certificates/{id}":
        // inferred: a soft-deleted request still answers GET (its /status says Deleted).
        this.onRead(r);
        return { status: 200, body: this.varied(r, "get", this.certificateWire(r, true)) };
      case "GET /v2.0/certificates/{id}/status":
        this.onRead(r);
        return { status: 200, body: this.varied(r, "status", this.statusWire(r)) };
      case "PATCH /v2.0/certificates/{id}":
        return this.patch(r, body);
      case "DELETE /v2.0/certificates/{id}":
        return this.remove(r);
      case "PUT /v2.0/certificates/{id}/cancel":
        return this.cancel(r, req.query.get("apply"));
      case "PUT /v2.0/certificates/{id}/retrigger":
        return this.retrigger(r);
      case "PUT /v2.0/certificates/{id}/renew":
        return this.renew(r);
      case "PUT /v2.0/certificates/{id}/organization":
        return this.putOrganization(r, body);
      case "GET /v2.0/certificates/{id}/notifications":
        return { status: 200, body: this.notificationsWire(r) };
      case "PATCH /v2.0/certificates/{id}/notifications":
        return this.patchNotifications(r, body);
      case "GET /v2.0/dcv/certificates/{id}":
        return this.dcv(r, req.query.get("domain_ids"));
      default:
        return fail(404, NOT_FOUND, `no such resource: ${req.method} ${p}`);
    }
  }

  faultResponse(kind: ReplyFault): Reply {
    if (kind === "not-found") return fail(404, NOT_FOUND, "certificate request was not found", "id");
    // inferred: fault injection; a gateway's 404 is plain text, not the CPS error body.
    if (kind === "gateway-not-found") return { status: 404, headers: { "content-type": "text/plain" }, body: "404 page not found" };
    // inferred: throttling and internal errors use the same error body as 400/404/409.
    if (kind === "throttle") return { ...fail(429, "TooManyRequests", "rate limit exceeded, retry later"), headers: { "Retry-After": "1" } };
    return fail(500, "InternalServerError", "an internal error occurred");
  }

  async control(command: string, body: Record<string, unknown>): Promise<EmulatorResponse> {
    if (command === "users") {
      const emails = body.emails;
      this.accountUsers = Array.isArray(emails) ? new Set(emails.map((e) => String(e).toLowerCase())) : undefined;
      return { status: 200, body: { users: this.accountUsers ? [...this.accountUsers] : null } };
    }
    if (command === "tokens") return { status: 200, body: { issued: this.tokensIssued } };
    if (command === "settings") {
      if (typeof body.searchLagReads === "number") this.searchLagReads = body.searchLagReads;
      return { status: 200, body: { searchLagReads: this.searchLagReads } };
    }
    const id = Number(body.id);
    const r = this.requests.get(id);
    if (!r) return { status: 404, body: { error: `no certificate request ${String(body.id)}` } };
    const now = this.shared.now();
    const refuse = (why: string): EmulatorResponse => ({ status: 409, body: { error: why, state: this.stateView(r) } });
    switch (command) {
      case "state":
        return { status: 200, body: this.stateView(r) };
      case "advance": {
        if (r.status === "Deleted") return refuse("request is deleted");
        if (r.orderStatus === "Canceled") return refuse("request is cancelled");
        if (r.domains.some((d) => d.status === "TimedOut")) return refuse("a domain timed out; retrigger the request first");
        await this.advance(r, now);
        return { status: 200, body: this.stateView(r) };
      }
      case "timeout": {
        if (r.status !== "DomainControlValidation") return refuse(`only a request in DomainControlValidation can time out (status ${r.status})`);
        const name = typeof body.domain === "string" ? body.domain : undefined;
        const targets = r.domains.filter((d) => (name ? d.name === name : d.status !== "Active"));
        if (targets.length === 0) return refuse(name ? `no domain ${name} on request ${r.id}` : "no pending domain");
        // inferred: the request-level signal of a timeout is not documented. Here the domain status becomes
        // TimedOut (documented value), the request stays in DomainControlValidation with order Pending, and
        // requires_attention / error_message are set.
        for (const d of targets) d.status = "TimedOut";
        r.requiresAttention = true;
        r.errorMessage = `domain control validation timed out for ${targets.map((d) => d.name).join(", ")}`;
        r.lastModified = now;
        return { status: 200, body: this.stateView(r) };
      }
      case "issue": {
        if (r.status === "Deleted") return refuse("request is deleted");
        if (r.orderStatus === "Canceled") return refuse("request is cancelled");
        await this.issue(r, now);
        r.status = "Active";
        return { status: 200, body: this.stateView(r) };
      }
      case "reject": {
        // inferred: how a rejection shows at request level is not documented. Here the domain status becomes
        // Rejected or SecretRejected (documented values) and the request requires attention.
        if (r.status === "Deleted") return refuse("request is deleted");
        if (body.in === "status" && body.organization === true) {
          // E-R2: the organization validation is rejected; only /status says so.
          r.orgValidationRejected = true;
          r.requiresAttention = true;
          r.lastModified = now;
          return { status: 200, body: this.stateView(r) };
        }
        const name = typeof body.domain === "string" ? body.domain : undefined;
        const targets = r.domains.filter((d) => (name ? d.name === name : d.status !== "Active"));
        if (targets.length === 0) return refuse(name ? `no domain ${name} on request ${r.id}` : "no pending domain");
        if (body.in === "status") {
          // E-R2: the domain validation is rejected in /status; the domain keeps its own status.
          r.validationRejected = new Set([...(r.validationRejected ?? []), ...targets.map((d) => d.name)]);
          r.requiresAttention = true;
          r.lastModified = now;
          return { status: 200, body: this.stateView(r) };
        }
        for (const d of targets) d.status = body.secret === true ? "SecretRejected" : "Rejected";
        r.requiresAttention = true;
        r.errorMessage = `the certificate authority rejected ${targets.map((d) => d.name).join(", ")}`;
        r.lastModified = now;
        return { status: 200, body: this.stateView(r) };
      }
      case "order": {
        // Sets an order status from the SDK enum (e.g. RenewalRejected, ReissueRejected), as the CA would.
        if (typeof body.status !== "string" || !ORDER_STATUSES.includes(body.status as (typeof ORDER_STATUSES)[number])) {
          return { status: 400, body: { error: `status must be one of ${ORDER_STATUSES.join(", ")}` } };
        }
        r.orderStatus = body.status;
        r.lastModified = now;
        return { status: 200, body: this.stateView(r) };
      }
      case "autorenew": {
        // The CA starts the automatic renewal (about 60 days before expiry when auto_renew is on).
        if (!r.autoRenew) return refuse("auto_renew is off");
        if (!r.everIssued || r.status === "Deleted" || r.orderStatus === "Canceled") return refuse("only an issued request renews");
        this.startRenewal(r, "AwaitingRenewal");
        return { status: 200, body: this.stateView(r) };
      }
      case "renewed": {
        // The CA issues the renewal: a new certificate (new expiration and thumbprint), order Renewed.
        if (r.orderStatus !== "PendingRenewal" && r.orderStatus !== "AwaitingRenewal") return refuse(`no renewal in progress (order ${r.orderStatus ?? "none"})`);
        await this.issue(r, now);
        r.status = "Active";
        r.orderStatus = "Renewed";
        return { status: 200, body: this.stateView(r) };
      }
      case "age": {
        // Test control: the CA signs the current certificate again so that it expires `daysLeft` days from now.
        const days = typeof body.daysLeft === "number" ? body.daysLeft : NaN;
        if (!r.everIssued || r.expiration === undefined || !Number.isFinite(days)) return refuse("age needs an issued request and a number daysLeft");
        const common = r.domains.find((d) => d.isCommonName) ?? r.domains[0];
        const issued = await this.ca.issue({
          commonName: common.name,
          dnsNames: r.domains.map((d) => d.name),
          notBefore: new Date(Math.floor((now - (VALIDITY_DAYS - days) * 86_400_000) / 1000) * 1000),
          validityDays: VALIDITY_DAYS,
        });
        r.expiration = issued.notAfter.getTime();
        r.thumbprint = issued.sha1Thumbprint;
        r.certificatePem = issued.certificatePem;
        return { status: 200, body: this.stateView(r) };
      }
      case "cancel": {
        if (r.status === "Deleted") return refuse("request is deleted");
        r.orderStatus = "Canceled";
        r.requiresAttention = false;
        r.lastModified = now;
        return { status: 200, body: this.stateView(r) };
      }
      default:
        return { status: 404, body: { error: `unknown edgecast control command ${command}` } };
    }
  }

  reset(): void {
    this.requests.clear();
    this.labels.clear();
    this.tokens.clear();
    this.accountUsers = undefined;
    this.tokensIssued = 0;
    this.nextId = 11605;
    this.nextDomainId = 12345;
    this.searchLagReads = 0;
  }

  /** inferred: searches (`query`) that miss a request created from now on (a lagging search index); tests raise it. */
  searchLagReads = 0;

  // ---------------------------------------------------------------- identity server

  private token(req: EmulatorRequest): Reply {
    if (req.method !== "POST") return { status: 405, body: { error: "invalid_request" }, errorCode: "invalid_request" };
    const form = new URLSearchParams(req.body.toString("utf8"));
    const creds = this.shared.credentials.edgecast;
    const err = (error: string): Reply => ({ status: 400, body: { error }, errorCode: error });
    if (form.get("grant_type") !== "client_credentials") return err("unsupported_grant_type");
    if (form.get("client_id") !== creds.clientId || form.get("client_secret") !== creds.clientSecret) return err("invalid_client");
    const scope = form.get("scope") ?? "";
    // inferred: a scope other than sec.cps.certificates is refused with the OAuth `invalid_scope` error.
    if (!scope.split(" ").includes(SCOPE)) return err("invalid_scope");
    const accessToken = randomBytes(24).toString("base64url");
    const lifetime = creds.tokenLifetimeSeconds;
    this.tokens.set(accessToken, { expiresAt: this.shared.now() + lifetime * 1000, scope });
    this.tokensIssued += 1;
    return { status: 200, body: { access_token: accessToken, expires_in: lifetime, token_type: "Bearer", scope } };
  }

  private authorize(req: EmulatorRequest): Reply | undefined {
    const header = req.headers.authorization;
    const m = typeof header === "string" ? /^Bearer (\S+)$/.exec(header) : null;
    // inferred: a missing, unknown or expired bearer token is a 401 with the usual error body.
    if (!m) return fail(401, "Unauthorized", "an OAuth bearer token is required (Authorization: Bearer <token>)", "Authorization");
    const t = this.tokens.get(m[1]);
    if (!t) return fail(401, "Unauthorized", "the access token is not valid", "Authorization");
    if (this.shared.now() >= t.expiresAt) {
      this.tokens.delete(m[1]);
      return fail(401, "Unauthorized", "the access token has expired", "Authorization");
    }
    return undefined;
  }

  // ---------------------------------------------------------------- create / list

  private create(body: unknown): Reply {
    if (!isRecord(body)) return fail(400, BAD, "the request body must be a certificate object");
    const problems: Problem[] = [];
    const label = body.certificate_label;
    if (typeof label !== "string" || label.trim() === "") problems.push({ source: "certificate_label", description: "certificate_label is required" });
    else problems.push(...this.checkLabel(label, undefined));
    if (body.description !== undefined && body.description !== null && typeof body.description !== "string") {
      problems.push({ source: "description", description: "description must be a string" });
    }
    if (body.auto_renew !== undefined && body.auto_renew !== null && typeof body.auto_renew !== "boolean") {
      problems.push({ source: "auto_renew", description: "auto_renew must be a boolean" });
    }
    problems.push(...enumProblem(body.certificate_authority, "certificate_authority", CERTIFICATE_AUTHORITIES));
    problems.push(...enumProblem(body.validation_type, "validation_type", VALIDATION_TYPES));
    problems.push(...enumProblem(body.dcv_method, "dcv_method", DCV_METHODS));
    const domains = parseDomains(body.domains, problems);
    const vt = typeof body.validation_type === "string" ? body.validation_type : "";
    const org = body.organization;
    if (vt === "DV" && org !== undefined && org !== null) {
      problems.push({ source: "organization", description: "organization must be omitted for DV certificates" });
    }
    if ((vt === "OV" || vt === "EV") && (org === undefined || org === null)) {
      problems.push({ source: "organization", description: `organization is required for ${vt} certificates` });
    } else if (vt === "OV" || vt === "EV") {
      problems.push(...checkOrganization(org, vt, "organization"));
    }
    if (problems.length) return fail(400, BAD, problems);
    const now = this.shared.now();
    const id = this.nextId++;
    const r: RequestState = {
      id,
      label: label as string,
      description: typeof body.description === "string" ? body.description : "",
      // E-AR: auto_renew omitted is false: the official model (ec-sdk-go CertificateCreate `auto_renew,omitempty`) can
      // say false only by leaving it out.
      autoRenew: body.auto_renew === true,
      autoRenewSent: typeof body.auto_renew === "boolean" ? body.auto_renew : null,
      certificateAuthority: body.certificate_authority as string,
      validationType: vt,
      dcvMethod: body.dcv_method as string,
      domains: domains.map((d) => ({ id: this.nextDomainId++, name: d.name, isCommonName: d.isCommonName, status: "ProvisioningInitiated", created: now })),
      organization: vt === "DV" ? undefined : withOrgId(org as OrganizationWire, id),
      created: now,
      lastModified: now,
      status: "Processing",
      everIssued: false,
      requiresAttention: false,
      // inferred: a new request starts with every notification type disabled.
      notifications: NOTIFICATION_TYPES.map((t) => ({ notification_type: t, enabled: false, emails: [] })),
      tokens: new Map(),
      retriggerCount: 0,
      searchLagReads: this.searchLagReads,
    };
    this.requests.set(id, r);
    this.labels.set(r.label.toLowerCase(), id);
    return { status: 201, body: this.certificateWire(r, true) };
  }

  private checkLabel(label: string, self: number | undefined): Problem[] {
    const out: Problem[] = [];
    if (!LABEL_RE.test(label)) out.push({ source: "certificate_label", description: "certificate_label may contain only letters, digits, '_' and '-'" });
    if (label.length > LABEL_MAX) out.push({ source: "certificate_label", description: `certificate_label is longer than ${LABEL_MAX} characters` });
    // documented (TF docs): labels must be unique including deleted certificates.
    // inferred: the comparison ignores case.
    const owner = this.labels.get(label.toLowerCase());
    if (owner !== undefined && owner !== self) {
      out.push({ source: "certificate_label", description: `certificate_label "${label}" is already used by certificate request ${owner} (labels stay reserved after deletion)` });
    }
    return out;
  }

  private list(q: URLSearchParams): Reply {
    const page = q.has("page") ? Number(q.get("page")) : 1;
    const size = q.has("page_size") ? Number(q.get("page_size")) : 20;
    if (!Number.isInteger(page) || page < 1) return fail(400, BAD, "page must be a positive integer", "page");
    if (!Number.isInteger(size) || size < 1) return fail(400, BAD, "page_size must be a positive integer", "page_size");
    const pageSize = Math.min(size, PAGE_SIZE_MAX);
    let items = [...this.requests.values()];
    const query = q.get("query");
    if (query) {
      // inferred: a search is answered from an index that may lag behind a create (setting searchLagReads).
      items = items.filter((r) => !r.searchLagReads);
      for (const r of this.requests.values()) if (r.searchLagReads) r.searchLagReads -= 1;
      const m = /^(certificate_label|description|id|domain_names):(.*)$/.exec(query);
      // inferred: a query without a field prefix searches certificate_label.
      const field = m ? m[1] : "certificate_label";
      const pattern = m ? m[2] : query;
      const re = new RegExp(`^${pattern.split("*").map(escapeRe).join(".*")}$`, "i");
      items = items.filter((r) => {
        if (field === "id") return re.test(String(r.id));
        if (field === "description") return re.test(r.description);
        if (field === "domain_names") return r.domains.some((d) => re.test(d.name));
        return re.test(r.label);
      });
    }
    const sortParam = q.get("sort") ?? "id";
    const ascending = sortParam.startsWith("-"); // documented: default descending, "-" prefix ascending.
    const sortField = sortParam.replace(/^-/, "");
    if (!["certificate_label", "description", "id"].includes(sortField)) {
      return fail(400, BAD, "sort must be one of certificate_label, description, id (optionally with a '-' prefix)", "sort");
    }
    const key = (r: RequestState): string | number => (sortField === "id" ? r.id : sortField === "description" ? r.description : r.label);
    items.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : 0;
      return ascending ? c : -c;
    });
    const total = items.length;
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const slice = items.slice((page - 1) * pageSize, page * pageSize);
    const link = (n: number) => {
      const p = new URLSearchParams(q);
      p.set("page", String(n));
      p.set("page_size", String(pageSize));
      return { href: `/v2.0/certificates?${p.toString()}` };
    };
    const links: Record<string, { href: string }> = { first: link(1), last: link(pages) };
    if (page < pages) links.next = link(page + 1);
    if (page > 1) links.prev = link(page - 1);
    return {
      status: 200,
      body: {
        "@id": "/v2.0/certificates",
        "@type": "Collection",
        // documented: list items carry no organization.
        // V1–V3, V8 (seeded): list items vary as a GET does.
        items: slice.map((r) => this.varied(r, "list", this.certificateWire(r, false))),
        total_items: total,
        "@links": links,
      },
    };
  }

  // ---------------------------------------------------------------- changes

  private patch(r: RequestState, body: unknown): Reply {
    // inferred: a deleted request cannot be changed (TF's updater errors on Deleted).
    if (r.status === "Deleted") return fail(400, BAD, `certificate request ${r.id} is deleted and cannot be changed`);
    if (!isRecord(body)) return fail(400, BAD, "the request body must be a certificate update object");
    const problems: Problem[] = [];
    for (const k of ["validation_type", "certificate_authority", "organization"]) {
      // documented: not part of the PATCH model. inferred: sending them is a 400 rather than silently ignored.
      if (body[k] !== undefined && body[k] !== null) problems.push({ source: k, description: `${k} cannot be changed with PATCH` });
    }
    const label = body.certificate_label;
    if (label !== undefined && label !== null) {
      if (typeof label !== "string" || label === "") problems.push({ source: "certificate_label", description: "certificate_label must be a non-empty string" });
      else problems.push(...this.checkLabel(label, r.id));
    }
    if (body.description !== undefined && body.description !== null && typeof body.description !== "string") {
      problems.push({ source: "description", description: "description must be a string" });
    }
    if (body.auto_renew !== undefined && body.auto_renew !== null && typeof body.auto_renew !== "boolean") {
      problems.push({ source: "auto_renew", description: "auto_renew must be a boolean" });
    }
    if (body.dcv_method !== undefined && body.dcv_method !== null) problems.push(...enumProblem(body.dcv_method, "dcv_method", DCV_METHODS));
    let newDomains: { name: string; isCommonName: boolean }[] | undefined;
    // documented (SDK wire detail): "domains": null means unchanged.
    if (body.domains !== undefined && body.domains !== null) {
      newDomains = parseDomains(body.domains, problems);
      const issued = r.status === "Deployment" || r.status === "Active";
      if (!issued) {
        // documented: domains cannot be added, changed or removed while the CA is still processing the request.
        problems.push({ source: "domains", description: `domains cannot be changed while the certificate authority is processing the request (status ${r.status})` });
      }
    }
    if (problems.length) return fail(400, BAD, problems);
    const now = this.shared.now();
    if (typeof label === "string") {
      this.labels.set(label.toLowerCase(), r.id);
      // inferred: the old label stays reserved after a rename, like the label of a deleted request.
      r.label = label;
    }
    if (typeof body.description === "string") r.description = body.description;
    if (typeof body.auto_renew === "boolean") r.autoRenew = body.auto_renew;
    if (typeof body.dcv_method === "string") r.dcvMethod = body.dcv_method;
    if (newDomains && !sameDomains(r.domains, newDomains)) {
      // documented (TF docs): changing the domains of an issued certificate submits a new request to the CA.
      r.domains = newDomains.map((d) => {
        const old = r.domains.find((x) => x.name === d.name);
        // inferred: unchanged domains keep their id and Active status; new ones wait for the reissue.
        if (old) return { ...old, isCommonName: d.isCommonName };
        return { id: this.nextDomainId++, name: d.name, isCommonName: d.isCommonName, status: "PendingReissue", created: now };
      });
      this.startReissue(r, "PendingReissue");
    }
    r.lastModified = now;
    return { status: 200, body: this.certificateWire(r, true) };
  }

  private putOrganization(r: RequestState, body: unknown): Reply {
    if (r.status === "Deleted") return fail(400, BAD, `certificate request ${r.id} is deleted and cannot be changed`);
    if (r.validationType === "DV") return fail(400, BAD, "DV certificates have no organization", "organization");
    // documented: the organization can only be changed once the OV/EV certificate has been issued.
    if (r.status !== "Deployment" && r.status !== "Active") {
      return fail(400, BAD, `the organization can only be changed once the certificate is issued (status ${r.status})`, "organization");
    }
    const problems = checkOrganization(body, r.validationType, "organization");
    if (problems.length) return fail(400, BAD, problems);
    // inferred: GET …/{id} shows the new organization at once.
    r.organization = withOrgId(body as OrganizationWire, r.organization?.id ?? r.id);
    // inferred: an organization change restarts organization validation with order status PendingOrgUpdate.
    this.startReissue(r, "PendingOrgUpdate", "OtherValidation");
    r.lastModified = this.shared.now();
    return { status: 200, body: r.organization };
  }

  private startReissue(r: RequestState, orderStatus: string, status: "DomainControlValidation" | "OtherValidation" = "DomainControlValidation"): void {
    r.status = status;
    // V6 (seeded): a reissue reads `AwaitingReissue` or `PendingReissue` (both SDK order statuses; which the CA shows
    // when is not documented).
    r.orderStatus = orderStatus === "PendingReissue" && this.shared.vary.chance(`edgecast|reissue|${r.id}`, 0.5) ? "AwaitingReissue" : orderStatus;
    this.makeTokens(r);
  }

  private patchNotifications(r: RequestState, body: unknown): Reply {
    if (r.status === "Deleted") return fail(400, BAD, `certificate request ${r.id} is deleted and cannot be changed`);
    // documented: the body is a JSON array of notification settings.
    if (!Array.isArray(body)) return fail(400, BAD, "the request body must be an array of notification settings");
    const problems: Problem[] = [];
    const parsed: NotificationWire[] = [];
    body.forEach((n, i) => {
      const src = `[${i}]`;
      if (!isRecord(n)) {
        problems.push({ source: src, description: "a notification setting must be an object" });
        return;
      }
      problems.push(...enumProblem(n.notification_type, `${src}.notification_type`, NOTIFICATION_TYPES));
      if (typeof n.enabled !== "boolean") problems.push({ source: `${src}.enabled`, description: "enabled must be a boolean" });
      const emails = n.emails === undefined || n.emails === null ? [] : n.emails;
      if (!Array.isArray(emails) || emails.some((e) => typeof e !== "string")) {
        problems.push({ source: `${src}.emails`, description: "emails must be an array of strings" });
        return;
      }
      // documented: emails are required when enabled.
      if (n.enabled === true && emails.length === 0) problems.push({ source: `${src}.emails`, description: "emails are required when enabled is true" });
      for (const e of emails as string[]) {
        if (!EMAIL_RE.test(e)) problems.push({ source: `${src}.emails`, description: `"${e}" is not an e-mail address` });
        // documented: each address must belong to an MCC user (or partner user) of the account.
        else if (this.accountUsers && !this.accountUsers.has(e.toLowerCase())) {
          problems.push({ source: `${src}.emails`, description: `${e} is not a user of this account` });
        }
      }
      parsed.push({ notification_type: n.notification_type as string, enabled: n.enabled as boolean, emails: emails as string[] });
    });
    if (problems.length) return fail(400, BAD, problems);
    for (const n of parsed) {
      const i = r.notifications.findIndex((x) => x.notification_type === n.notification_type);
      if (i >= 0) r.notifications[i] = n;
      else r.notifications.push(n);
    }
    r.lastModified = this.shared.now();
    return { status: 200, body: this.notificationsWire(r) };
  }

  // ---------------------------------------------------------------- cancel / delete / retrigger

  private cancellable(r: RequestState): string | undefined {
    if (r.status === "Deleted") return `certificate request ${r.id} is deleted`;
    if (r.orderStatus === "Canceled") return `certificate request ${r.id} is already cancelled`;
    // documented: cancel only while the CA is still processing a request that was never issued.
    // inferred: the documented 409 is the reply for these states.
    if (r.everIssued || r.status === "Deployment" || r.status === "Active") return `certificate request ${r.id} was already issued; it can no longer be cancelled`;
    return undefined;
  }

  private cancel(r: RequestState, apply: string | null): Reply {
    // inferred: a missing `apply` is treated as apply=false (a preview).
    if (apply !== null && apply !== "true" && apply !== "false") return fail(400, BAD, "apply must be true or false", "apply");
    const why = this.cancellable(r);
    if (why) return fail(409, CONFLICT, why);
    if (apply !== "true") {
      // inferred: the shape of the apply=false preview is not retrievable; this one names the action.
      return { status: 200, body: { "@type": "CancelAction", id: r.id, action: "Cancel", description: "the request will be cancelled at the certificate authority" } };
    }
    // documented: cancellation shows as order status Canceled. inferred: the request status stays where it was.
    r.orderStatus = "Canceled";
    r.requiresAttention = false;
    r.lastModified = this.shared.now();
    return { status: 204, headers: { "Cache-Control": "private" } };
  }

  private remove(r: RequestState): Reply {
    // inferred: deleting a request that is already deleted is a 404.
    if (r.status === "Deleted") return fail(404, NOT_FOUND, `certificate request ${r.id} is already deleted`, "id");
    // documented: DELETE is for a certificate already issued. inferred: a cancelled request may be deleted too,
    // and a request still at the CA must be cancelled first (400).
    if (!r.everIssued && r.orderStatus !== "Canceled") {
      return fail(400, BAD, `certificate request ${r.id} is still being processed by the certificate authority; cancel it instead`);
    }
    r.status = "Deleted";
    // documented: deleting may also delete the system CNAME (hex_url).
    r.hexUrl = undefined;
    // V7 (seeded): the domains read `PendingDelete` (SDK domain enum) for 0–2 reads before `Delete`.
    r.pendingDeleteReads = this.shared.vary.between(`edgecast|pending-delete|${r.id}`, 0, 2, 0);
    for (const d of r.domains) d.status = r.pendingDeleteReads > 0 ? "PendingDelete" : "Delete";
    r.lastModified = this.shared.now();
    return { status: 204, headers: { "Cache-Control": "private" } };
  }

  private retrigger(r: RequestState): Reply {
    // documented (seed): retrigger a request that timed out and therefore was never issued; 204.
    // inferred: every other state gets a 400 naming the reason.
    if (r.status === "Deleted") return fail(400, BAD, `certificate request ${r.id} is deleted and cannot be retriggered`);
    if (r.orderStatus === "Canceled") return fail(400, BAD, `certificate request ${r.id} is cancelled and cannot be retriggered`);
    if (r.everIssued) return fail(400, BAD, `certificate request ${r.id} was issued; only a request that timed out and was never issued can be retriggered`);
    if (!r.domains.some((d) => d.status === "TimedOut")) {
      return fail(400, BAD, `certificate request ${r.id} has not timed out (status ${r.status}); only a request that timed out can be retriggered`);
    }
    // inferred: a retrigger restarts the request at Processing with fresh DCV tokens.
    r.status = "Processing";
    r.orderStatus = undefined;
    r.requiresAttention = false;
    r.errorMessage = undefined;
    r.tokens.clear();
    for (const d of r.domains) d.status = "ProvisioningInitiated";
    r.retriggerCount += 1;
    r.lastModified = this.shared.now();
    return { status: 204, headers: { "Cache-Control": "private" } };
  }

  /**
   * `PUT /v2.0/certificates/{id}/renew` (no body, 204): renews an issued certificate manually. The deployed
   * certificate stays in service until the renewal is issued. inferred: a request never issued, cancelled or
   * deleted gets a 400; a renewal already in progress is not started again (204, nothing changes).
   */
  private renew(r: RequestState): Reply {
    if (r.status === "Deleted") return fail(400, BAD, `certificate request ${r.id} is deleted and cannot be renewed`);
    if (r.orderStatus === "Canceled") return fail(400, BAD, `certificate request ${r.id} is cancelled and cannot be renewed`);
    if (!r.everIssued) return fail(400, BAD, `certificate request ${r.id} was never issued; only an issued certificate can be renewed`);
    if (r.orderStatus !== "PendingRenewal" && r.orderStatus !== "AwaitingRenewal") this.startRenewal(r, "PendingRenewal");
    return { status: 204, headers: { "Cache-Control": "private" } };
  }

  /** inferred: a renewal revalidates the domains (fresh DCV tokens) while the old certificate stays deployed. */
  private startRenewal(r: RequestState, orderStatus: "PendingRenewal" | "AwaitingRenewal"): void {
    r.orderStatus = orderStatus;
    r.renewCount = (r.renewCount ?? 0) + 1;
    this.makeTokens(r);
    r.lastModified = this.shared.now();
  }

  // ---------------------------------------------------------------- DCV

  private dcv(r: RequestState, domainIdsParam: string | null): Reply {
    // inferred: DCV metadata of a deleted request is a 404.
    if (r.status === "Deleted") return fail(404, NOT_FOUND, `certificate request ${r.id} is deleted`, "id");
    let targets = r.domains;
    if (domainIdsParam === null || domainIdsParam.trim() === "") {
      // documented: domain_ids is required for DNS TXT/CNAME tokens.
      if (r.dcvMethod !== "Email") return fail(400, BAD, "domain_ids is required for DNS token validation", "domain_ids");
    } else {
      const ids = domainIdsParam.split(",").map((s) => Number(s.trim()));
      const unknown = ids.filter((i) => !r.domains.some((d) => d.id === i));
      if (ids.some((i) => !Number.isInteger(i)) || unknown.length) {
        return fail(400, BAD, `domain_ids ${domainIdsParam} are not domains of certificate request ${r.id}`, "domain_ids");
      }
      targets = r.domains.filter((d) => ids.includes(d.id));
    }
    const items = targets.map((d) => {
      const token = r.tokens.get(this.group(r, d.name));
      return {
        domain_id: d.id,
        dcv_method: r.dcvMethod,
        // documented (TF): no token while the request is Processing.
        dcv_token: r.dcvMethod !== "Email" && token ? { token } : null,
        emails: r.dcvMethod === "Email" && r.status !== "Processing" ? dcvEmails(d.name) : [],
      };
    });
    // V2/V3 (seeded): items in a drawn order; fields a newer API version adds.
    const vary = this.shared.vary;
    const listed = vary.order(`edgecast|dcv|${r.id}`, items).map((i) => ({ ...i, ...vary.extraSnake("edgecast|dcv-item") }));
    return { status: 200, body: { "@id": `/v2.0/dcv/certificates/${r.id}`, "@type": "Collection", items: listed, total_items: items.length, ...vary.extraSnake("edgecast|dcv") } };
  }

  private group(r: RequestState, name: string): string {
    // documented (TF comments): DV shares one token across all domains; OV/EV per parent-domain group.
    return r.validationType === "DV" ? "*" : parentDomain(name);
  }

  private makeTokens(r: RequestState): void {
    r.tokens.clear();
    for (const d of r.domains) {
      const g = this.group(r, d.name);
      if (!r.tokens.has(g)) r.tokens.set(g, randomBytes(16).toString("hex"));
    }
  }

  // ---------------------------------------------------------------- workflow

  /** One step of the CA workflow (control `advance`). */
  private async advance(r: RequestState, now: number): Promise<void> {
    switch (r.status) {
      case "Processing":
        r.status = "DomainControlValidation";
        r.orderStatus = "Pending";
        // V5 (seeded): a domain awaiting its DNS token reads `PendingDns` or `AwaitingCertificateAuthority` (both in
        // the SDK domain enum; which one the CA shows during DNS validation is not documented).
        for (const d of r.domains) {
          d.status = r.dcvMethod !== "Email" && this.shared.vary.chance(`edgecast|pending-dns|${d.id}`, 0.5) ? "PendingDns" : "AwaitingCertificateAuthority";
        }
        this.makeTokens(r);
        break;
      case "DomainControlValidation":
        for (const d of r.domains) if (d.status !== "Active") d.status = "AwaitingCertificateAuthority";
        // documented: OtherValidation (organization vetting) comes after DCV; inferred: only for OV/EV.
        if (r.validationType === "DV") await this.issue(r, now);
        else r.status = "OtherValidation";
        break;
      case "OtherValidation":
        await this.issue(r, now);
        break;
      case "Deployment":
        r.status = "Active";
        break;
      default:
        break;
    }
    r.lastModified = now;
  }

  /**
   * The CA issues: a real certificate for the request's domains (kept, so every read reports the same expiration
   * and thumbprint), order Issued, CNAME target assigned, request in Deployment.
   */
  private async issue(r: RequestState, now: number): Promise<void> {
    const common = r.domains.find((d) => d.isCommonName) ?? r.domains[0];
    const issued = await this.ca.issue({
      commonName: common.name,
      dnsNames: r.domains.map((d) => d.name),
      // X.509 times have whole seconds: the reported expiration is the certificate's own.
      notBefore: new Date(Math.floor(now / 1000) * 1000),
      validityDays: VALIDITY_DAYS,
    });
    r.status = "Deployment";
    r.orderStatus = "Issued";
    r.everIssued = true;
    // documented: expiration_date and thumbprint are reported once issued. inferred: the thumbprint is the
    // SHA-1 of the DER certificate in upper-case hex (the usual meaning of "thumbprint"; the format is not given).
    r.expiration = issued.notAfter.getTime();
    r.thumbprint = issued.sha1Thumbprint;
    r.certificatePem = issued.certificatePem;
    // inferred: the shape of the CNAME target; only its place (HttpLarge deployment hex_url) is documented.
    r.hexUrl ??= `${randomBytes(4).toString("hex")}.wpc.edgecastcdn.net`;
    // E-DR: the region is one of the SDK enum (ec-sdk-go v1.2.0 `models/request_deployment.go`); V8 (seeded): drawn.
    const vary = this.shared.vary;
    r.deliveryRegion ??= vary.on ? DELIVERY_REGIONS[vary.pick(`edgecast|region|${r.id}`, DELIVERY_REGIONS.length)] : "GlobalStandard";
    r.requiresAttention = false;
    r.errorMessage = undefined;
    for (const d of r.domains) {
      d.status = "Active";
      d.activeDate ??= now;
    }
    r.lastModified = now;
  }

  // ---------------------------------------------------------------- wire shapes

  /** V7: a read of a deleted request counts down its `PendingDelete` reads. */
  private onRead(r: RequestState): void {
    if (r.pendingDeleteReads === undefined || r.pendingDeleteReads <= 0) return;
    r.pendingDeleteReads -= 1;
    if (r.pendingDeleteReads === 0) for (const d of r.domains) d.status = "Delete";
  }

  private certificateWire(r: RequestState, withOrg: boolean): Record<string, unknown> {
    const identity = { user_id: 1, portal_type_id: "Customer", identity_id: "certapply-emulator", identity_type: "Client" };
    const out: Record<string, unknown> = {
      "@id": `/v2.0/certificates/${r.id}`,
      "@type": "Certificate",
      id: r.id,
      certificate_label: r.label,
      description: r.description,
      auto_renew: r.autoRenew,
      certificate_authority: r.certificateAuthority,
      validation_type: r.validationType,
      dcv_method: r.dcvMethod,
      request_type: "Enterprise",
      created: iso(r.created),
      last_modified: iso(r.lastModified),
      // documented: 0001-01-01T00:00:00Z until issued.
      expiration_date: r.expiration !== undefined ? iso(r.expiration) : ZERO_DATE,
      created_by: identity,
      modified_by: null,
      thumbprint: r.thumbprint ?? null,
      workflow_error_message: r.errorMessage ?? null,
      deployments: r.hexUrl ? [{ delivery_region: r.deliveryRegion ?? "GlobalStandard", platform: "HttpLarge", hex_url: r.hexUrl }] : null,
      domains: r.domains.map((d) => ({
        id: d.id,
        name: d.name,
        is_common_name: d.isCommonName,
        status: d.status,
        created: iso(d.created),
        active_date: d.activeDate !== undefined ? iso(d.activeDate) : null,
      })),
    };
    if (withOrg) out.organization = r.organization ?? null;
    return out;
  }

  /**
   * V1–V4 (seeded): a GET or /status reply with what the SDK model leaves open varied: optional fields as they are,
   * absent, null or empty; domains and domain validations in a drawn order; a pending domain validation `Unknown`
   * instead of `Pending` (both in the SDK enum); fields a newer API version adds.
   */
  private varied(r: RequestState, what: string, v: Record<string, unknown>): Record<string, unknown> {
    const vary = this.shared.vary;
    if (!vary.on) return v;
    const key = `edgecast|${what}|${r.id}`;
    // `deployments` is not optional: ec-sdk-go CertificateRequestBase has it without omitempty.
    const out = vary.optional(key, v, ["modified_by", "workflow_error_message", "error_message", "request_type"]);
    if (Array.isArray(out.domains)) out.domains = vary.order(`${key}|domains`, out.domains);
    // V8: another platform's deployment (SDK platform enum HttpLarge, HttpSmall, Adn) beside the HttpLarge one, in a
    // drawn order: the CNAME target is the HttpLarge deployment's hex_url, not the first one's.
    if (Array.isArray(out.deployments) && out.deployments.length > 0 && vary.chance(`${key}|deployments`, 0.5)) {
      const platform = vary.pick(`${key}|platform`, 2) === 0 ? "HttpSmall" : "Adn";
      const more = { delivery_region: r.deliveryRegion ?? "GlobalStandard", platform, hex_url: `${vary.pick(`${key}|hex`, 2 ** 30).toString(16).padStart(8, "0")}.wac.edgecastcdn.net` };
      out.deployments = vary.order(`${key}|deployments-order`, [...(out.deployments as unknown[]), more]);
    }
    const ov = out.order_validation as { domain_validations?: { status: string }[] } | null | undefined;
    if (ov?.domain_validations) {
      ov.domain_validations = vary.order(`${key}|dv`, ov.domain_validations).map((d) =>
        d.status === "Pending" && vary.chance(`${key}|unknown`, 0.5) ? { ...d, status: "Unknown" } : d,
      );
    }
    return { ...out, ...vary.extraSnake(key) };
  }

  private statusWire(r: RequestState): Record<string, unknown> {
    const orgStatus = r.orgValidationRejected ? "Rejected" : r.validationType === "DV" ? "NA" : r.everIssued && r.orderStatus !== "PendingOrgUpdate" ? "Approved" : "Pending";
    return {
      "@id": `/v2.0/certificates/${r.id}/status`,
      "@type": "Certificate",
      id: r.id,
      step: STEP[r.status],
      status: r.status,
      requires_attention: r.requiresAttention,
      error_message: r.errorMessage ?? null,
      // documented (TF): no order_validation while Processing.
      order_validation:
        r.orderStatus === undefined
          ? null
          : {
              status: r.orderStatus,
              organization_validation: { validation_type: r.validationType, status: orgStatus },
              domain_validations: r.domains.map((d) => ({
                domain_names: [d.name],
                // inferred: how a domain's validation status (SDK enum) follows its domain status.
                status:
                  d.status === "Rejected" || d.status === "SecretRejected" || r.validationRejected?.has(d.name) ? "Rejected" : d.status === "Active" ? "Approved" : "Pending",
              })),
            },
    };
  }

  private notificationsWire(r: RequestState): Record<string, unknown> {
    return {
      "@id": `/v2.0/certificates/${r.id}/notifications`,
      "@type": "Collection",
      items: r.notifications.map((n) => ({ ...n, emails: [...n.emails] })),
      total_items: r.notifications.length,
    };
  }

  private stateView(r: RequestState): Record<string, unknown> {
    return {
      id: r.id,
      label: r.label,
      status: r.status,
      orderStatus: r.orderStatus ?? null,
      everIssued: r.everIssued,
      validationType: r.validationType,
      dcvMethod: r.dcvMethod,
      description: r.description,
      autoRenew: r.autoRenew,
      autoRenewSent: r.autoRenewSent ?? null,
      domains: r.domains.map((d) => ({ id: d.id, name: d.name, status: d.status, isCommonName: d.isCommonName })),
      expirationDate: r.expiration !== undefined ? iso(r.expiration) : ZERO_DATE,
      cnameTarget: r.hexUrl ?? null,
      notifications: r.notifications,
      retriggerCount: r.retriggerCount,
      renewCount: r.renewCount ?? 0,
      thumbprint: r.thumbprint ?? null,
      certificatePem: r.certificatePem ?? null,
      organization: r.organization ?? null,
    };
  }
}

function enumProblem(v: unknown, source: string, allowed: readonly string[]): Problem[] {
  if (v === undefined || v === null || v === "") return [{ source, description: `${source} is required (one of ${allowed.join(", ")})` }];
  if (typeof v !== "string" || !allowed.includes(v)) return [{ source, description: `${source} must be one of ${allowed.join(", ")}` }];
  return [];
}

function parseDomains(v: unknown, problems: Problem[]): { name: string; isCommonName: boolean }[] {
  if (!Array.isArray(v) || v.length === 0) {
    problems.push({ source: "domains", description: "domains must be a non-empty array of {name, is_common_name}" });
    return [];
  }
  const out: { name: string; isCommonName: boolean }[] = [];
  v.forEach((d, i) => {
    if (!isRecord(d) || typeof d.name !== "string") {
      problems.push({ source: `domains[${i}]`, description: "each domain needs a name" });
      return;
    }
    const name = d.name.trim().toLowerCase();
    if (!DOMAIN_RE.test(name)) problems.push({ source: `domains[${i}].name`, description: `"${d.name}" is not a domain name` });
    // inferred: the same name twice is refused.
    if (out.some((x) => x.name === name)) problems.push({ source: `domains[${i}].name`, description: `${name} is listed twice` });
    out.push({ name, isCommonName: d.is_common_name === true });
  });
  // documented: at most one domain may be the common name; if none is flagged, the system picks one.
  const flagged = out.filter((d) => d.isCommonName).length;
  if (flagged > 1) problems.push({ source: "domains", description: "at most one domain may have is_common_name set" });
  // inferred: the system picks the first domain.
  if (flagged === 0 && out.length) out[0].isCommonName = true;
  return out;
}

function sameDomains(a: DomainState[], b: { name: string; isCommonName: boolean }[]): boolean {
  if (a.length !== b.length) return false;
  return b.every((d) => a.some((x) => x.name === d.name && x.isCommonName === d.isCommonName));
}

function withOrgId(org: OrganizationWire, id: number): OrganizationWire {
  // inferred: a new organization gets an integer id (the request id is reused as a simple unique value).
  return { ...org, id: typeof org.id === "number" && org.id > 0 ? org.id : id };
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}
