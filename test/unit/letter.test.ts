import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LETTER_MAX_BYTES, check, diff, sniffFormat } from "../../provider/resources/letter";
import type { LetterOutputs } from "../../provider/resources/types";

const dir = mkdtempSync(path.join(tmpdir(), "certapply-letter-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
