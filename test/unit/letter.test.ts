import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Emulator } from "../../emulator/server";
import { tencentBackend } from "../../provider/clouds/tencent";
import { configure } from "../../provider/resources/context";
import { LETTER_MAX_BYTES, check, create, diff, sniffFormat, update, type CheckedLetterInputs } from "../../provider/resources/letter";
import type { LetterOutputs } from "../../provider/resources/types";
import { makeCtx } from "../support";
import { tencentInputs } from "../tencent/helpers";

const dir = mkdtempSync(path.join(tmpdir(), "certapply-letter-"));
const emulator = new Emulator();
let cfg: Record<string, string>;
const logs: string[] = [];

beforeAll(async () => {
  await emulator.start();
  cfg = { ...emulator.stackConfig(), "certapply:pollIntervalMs": "10" };
  // The letter's calls go to the emulator only (no environment fallback for these keys).
  configure({ get: (k: string) => cfg[k] });
});
afterAll(async () => {
  configure(undefined);
  rmSync(dir, { recursive: true, force: true });
  await emulator.stop();
});

function file(name: string, bytes: Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}
const pdf = (size: number) => Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(size - 9, 0x20)]);
const png = (size: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size - 8, 1)]);
const jpg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, 2)]);

test("formats are recognised by their first bytes", () => {
  expect(sniffFormat(pdf(2000))).toBe("pdf");
  expect(sniffFormat(png(2000))).toBe("png");
  expect(sniffFormat(jpg(2000))).toBe("jpg");
  expect(sniffFormat(Buffer.from("GIF89a........"))).toBeUndefined();
});

test("a readable PDF file passes; state gets its hash, size and format, never its bytes", async () => {
  const p = file("ok.pdf", pdf(4096));
  const res = await check({}, { certificateId: "J2lX2maH", file: p });
  expect(res.failures).toEqual([]);
  expect(res.inputs).toMatchObject({ certificateId: "J2lX2maH", file: p, sizeBytes: 4096, format: "pdf" });
  expect(res.inputs?.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(JSON.stringify(res.inputs)).not.toContain("%PDF");
});

test("base64 content passes and is sized after decoding", async () => {
  const res = await check({}, { certificateId: "J2lX2maH", content: png(1500).toString("base64") });
  expect(res.failures).toEqual([]);
  expect(res.inputs).toMatchObject({ sizeBytes: 1500, format: "png" });
});

test.each([
  ["too small", () => ({ file: file("small.pdf", pdf(500)) }), "file", /at least 1 KB/],
  ["too large", () => ({ file: file("big.png", png(LETTER_MAX_BYTES + 1)) }), "file", /at most 1.4 MB/],
  ["not a letter format", () => ({ file: file("doc.gif", Buffer.concat([Buffer.from("GIF89a"), Buffer.alloc(3000)])) }), "file", /not a JPG, PNG or PDF/],
  ["missing file", () => ({ file: path.join(dir, "nope.pdf") }), "file", /cannot read .*ENOENT/],
  ["a directory", () => ({ file: dir }), "file", /not a regular file/],
  ["both file and content", () => ({ file: file("b.pdf", pdf(2000)), content: "AAAA" }), "content", /exactly one of file/],
  ["neither", () => ({}), "file", /exactly one of file/],
  ["content not base64", () => ({ content: "this is not base64!" }), "content", /must be base64/],
])("%s fails at check on the right field", async (_name, args, property, reason) => {
  const res = await check({}, { certificateId: "J2lX2maH", ...args() });
  const f = res.failures?.find((x) => x.property === property);
  expect(f?.reason).toMatch(reason);
});

test("certificateId is required", async () => {
  const res = await check({}, { content: pdf(2000).toString("base64") });
  expect(res.failures?.map((f) => f.property)).toContain("certificateId");
});

test("diff: new bytes re-upload, a new certificate replaces, nothing else changes", async () => {
  const a = (await check({}, { certificateId: "J2lX2maH", file: file("v1.pdf", pdf(2048)) })).inputs!;
  const olds: LetterOutputs = { certificateId: a.certificateId, file: a.file, sha256: a.sha256, sizeBytes: a.sizeBytes, format: a.format, uploadedAt: "t" };
  expect(await diff("id", olds, a)).toEqual({ changes: false });
  const b = (await check({}, { certificateId: "J2lX2maH", file: file("v1.pdf", pdf(3000)) })).inputs!;
  expect(await diff("id", olds, b)).toEqual({ changes: true, replaces: [] });
  expect(await diff("id", olds, { ...a, certificateId: "OTHER123" })).toEqual({ changes: true, replaces: ["certificateId"], deleteBeforeReplace: true });
});

test("an unknown key (a typo) and a certificateId that is no Tencent id fail at check, naming the field", async () => {
  const content = pdf(2000).toString("base64");
  const typo = await check({}, { certificateId: "J2lX2maH", fiel: file("typo.pdf", pdf(2000)) });
  expect(typo.failures).toEqual(expect.arrayContaining([expect.objectContaining({ property: "fiel", reason: expect.stringMatching(/is not a ConfirmLetter argument; did you mean file/) })]));
  for (const bad of ["J2lX2ma", "J2lX2maH9", "app-1234", "J2lX 2maH"]) {
    const res = await check({}, { certificateId: bad, content });
    expect(res.failures?.find((f) => f.property === "certificateId")?.reason).toMatch(/8 letters and digits/);
  }
  expect((await check({}, { certificateId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", content })).failures).toEqual([]);
});

describe("against the emulator", () => {
  const ctx = () => makeCtx(cfg, logs);
  const inputs = (id: string) => tencentInputs(id);

  async function awaitingLetter(): Promise<string> {
    const id = emulator.tencent.seed({ productType: "ov", requiresLetter: true }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    expect(emulator.tencent.state(id)?.status).toBe(8);
    return id;
  }
  const letterFor = async (id: string) => (await check({}, { certificateId: id, content: jpg(3000).toString("base64"), waitTimeoutSeconds: 5 })).inputs as CheckedLetterInputs;

  test("a lost UploadConfirmLetter reply: the re-run finds the certificate past 8 and records the letter as accepted, uploading nothing", async () => {
    const id = await awaitingLetter();
    const letter = await letterFor(id);
    // The first run's upload reached the cloud, but its reply was lost: the certificate moved on to review.
    await tencentBackend.uploadConfirmLetter!(ctx(), id, jpg(3000).toString("base64"));
    expect(emulator.tencent.state(id)?.status).toBe(0);
    emulator.clearLog();
    const lines: string[] = [];
    const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const res = await create(letter);
      expect(res.outs).toMatchObject({ certificateId: id, sha256: letter.sha256, format: "jpg", uploadedAt: "" });
    } finally {
      write.mockRestore();
    }
    expect(emulator.actions("tencent")).not.toContain("UploadConfirmLetter");
    expect(lines.join("")).toMatch(/past the letter step.*recorded as accepted/);
  });

  test("after a resubmit brings the certificate back to 8, the next diff plans an update and the update uploads the letter again", async () => {
    const id = await awaitingLetter();
    const letter = await letterFor(id);
    const { outs } = await create(letter);
    expect(emulator.tencent.state(id)?.status).toBe(0);
    expect(await diff(id, outs, letter)).toEqual({ changes: false });

    await tencentBackend.cancel(ctx(), id, {} as never, await tencentBackend.read(ctx(), id));
    await tencentBackend.resubmit(ctx(), id, inputs(id), (await tencentBackend.read(ctx(), id))!);
    expect(emulator.tencent.state(id)?.status).toBe(8);

    expect(await diff(id, outs, letter)).toEqual({ changes: true, replaces: [] });
    emulator.clearLog();
    await update(id, outs, letter);
    expect(emulator.actions("tencent")).toContain("UploadConfirmLetter");
    expect(emulator.tencent.state(id)?.status).toBe(0);
  });

  test("a DV certificate has no letter step: create refuses before any wait or upload, and records nothing", async () => {
    const id = emulator.tencent.seed({ productType: "dv" }).certificateId;
    await tencentBackend.submit(ctx(), inputs(id));
    expect(emulator.tencent.state(id)?.status).not.toBe(8);
    const letter = await letterFor(id);
    emulator.clearLog();
    await expect(create(letter)).rejects.toThrow(/is a DV certificate, and Tencent takes no confirmation letter for DV.*nothing was uploaded; remove this ConfirmLetter/);
    expect(emulator.actions("tencent")).toEqual(["DescribeCertificateDetail"]);
  });

  test("customTimeouts replace waitTimeoutSeconds as the deadline of the wait for status 8", async () => {
    const id = emulator.tencent.seed({ productType: "ov", requiresLetter: true }).certificateId; // 5: never submitted
    const letter = { ...(await letterFor(id)), waitTimeoutSeconds: 3600 };
    await expect(create(letter, { timeoutSeconds: 0.2 })).rejects.toThrow(/not awaiting a confirmation letter \(status 8\), after 0.2s/);
  });
});
