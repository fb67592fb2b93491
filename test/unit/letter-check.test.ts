/**
 * ConfirmLetter input checks owned by the spec (validateLetterInputs): unknown keys, the certificate id's
 * format, types, exactly one of file/content, and a base64 scan that is linear in the content's length.
 */
import { isBase64, validateLetterInputs } from "../../provider/resources/schema";
import { UNKNOWN } from "../../provider/resources/types";

const ok = { certificateId: "J2lX2maH", content: Buffer.alloc(2048, 7).toString("base64") };

test("valid inputs pass; preview unknowns are skipped", () => {
  expect(validateLetterInputs(ok)).toEqual([]);
  expect(validateLetterInputs({ certificateId: "J2lX2maH", file: "/tmp/letter.pdf", waitTimeoutSeconds: 60 })).toEqual([]);
  expect(validateLetterInputs({ certificateId: UNKNOWN, content: UNKNOWN })).toEqual([]);
});

test("an unknown key (a typo such as fiel) is named, with a suggestion", () => {
  expect(validateLetterInputs({ certificateId: "J2lX2maH", fiel: "/tmp/letter.pdf" })).toEqual([
    { property: "fiel", reason: expect.stringMatching(/^is not a ConfirmLetter argument; did you mean file\?/) },
    { property: "file", reason: "set exactly one of file (a path) or content (base64)" },
  ]);
});

test("certificateId must be a Tencent certificate id", () => {
  for (const bad of ["J2lX2ma", "J2lX2maHH", "J2lX-maH", "scs1554192131150"]) {
    expect(validateLetterInputs({ ...ok, certificateId: bad })).toEqual([{ property: "certificateId", reason: expect.stringMatching(/8 letters and digits/) }]);
  }
  expect(validateLetterInputs({ content: ok.content })).toEqual([{ property: "certificateId", reason: "is required" }]);
  expect(validateLetterInputs({ ...ok, certificateId: 12345678 })).toEqual([{ property: "certificateId", reason: "must be a string, not a whole number" }]);
});

test("exactly one of file and content; content is base64; types and bounds say what was expected", () => {
  expect(validateLetterInputs({ certificateId: "J2lX2maH" })).toEqual([{ property: "file", reason: "set exactly one of file (a path) or content (base64)" }]);
  expect(validateLetterInputs({ ...ok, file: "/tmp/x.pdf" })).toEqual([{ property: "content", reason: "set exactly one of file (a path) or content (base64)" }]);
  expect(validateLetterInputs({ ...ok, content: "not base64!" })).toEqual([{ property: "content", reason: "must be base64 (the letter file's bytes encoded)" }]);
  expect(validateLetterInputs({ ...ok, waitTimeoutSeconds: 4000 })).toEqual([{ property: "waitTimeoutSeconds", reason: "must be at most 3600" }]);
  expect(validateLetterInputs({ ...ok, waitTimeoutSeconds: "60" })).toEqual([{ property: "waitTimeoutSeconds", reason: "must be a whole number, not a string" }]);
});

test("no message contains the letter's content", () => {
  const secret = "U2VjcmV0TGV0dGVy".repeat(4) + "!";
  for (const f of validateLetterInputs({ certificateId: "bad", content: secret, fiel: secret })) expect(f.reason).not.toContain(secret.slice(0, 16));
});

describe("base64 scan", () => {
  test("accepts base64 with line breaks and padding; refuses everything else", () => {
    expect(isBase64("QUJD")).toBe(true);
    expect(isBase64("QUI=")).toBe(true);
    expect(isBase64("QQ==\n")).toBe(true);
    expect(isBase64("QUJD\r\nREVG\r\n")).toBe(true);
    expect(isBase64("QQ===")).toBe(false);
    expect(isBase64("Q=Q=")).toBe(false);
    expect(isBase64("QU*D")).toBe(false);
    expect(isBase64("QUI=\nQUI=")).toBe(false);
  });

  test("is linear: a 1.4 MB pathological content (line breaks, then a bad byte at the end) costs what a clean one does", () => {
    // The old regex backtracked on exactly this shape (2.7 s). Steps are counted by the characters the scanner
    // can visit (one pass), and the times of pathological and clean inputs of the same size are compared, with
    // the clean one as the baseline and a generous factor.
    const size = Math.floor(1.4 * 1024 * 1024);
    const pathological = "\n".repeat(size - 2) + "=!";
    const clean = "A".repeat(size);
    const time = (s: string) => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = process.hrtime.bigint();
        isBase64(s);
        best = Math.min(best, Number(process.hrtime.bigint() - t0));
      }
      return best;
    };
    expect(isBase64(pathological)).toBe(false);
    expect(isBase64(clean)).toBe(true);
    const base = time(clean);
    expect(time(pathological)).toBeLessThan(base * 10 + 5e6);
    // Doubling the input doubles the work, not quadruples it.
    const double = time("\n".repeat(2 * size - 2) + "=!");
    expect(double).toBeLessThan(time(pathological) * 6 + 5e6);
  });
});
