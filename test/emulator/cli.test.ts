import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import axios from "axios";
import { readFileSync } from "node:fs";
import { controlPaths } from "../../emulator/controls";
import { DEFAULT_CREDENTIALS } from "../../emulator/server";
import { FAULT_KINDS, GARBLED_SHAPES } from "../../emulator/types";
import { DV_BODY } from "../edgecast/helpers";

const cli = path.join(__dirname, "..", "..", "dist", "emulator", "cli.js");
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

/** Starts `certapply-emulator` as a user would and collects what it prints until the control line. */
async function start(args: string[]): Promise<string[]> {
  child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const rl = readline.createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    rl.on("line", (l) => {
      lines.push(l);
      if (l.startsWith("Control API")) resolve();
    });
    child!.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return lines;
}

/** Runs the CLI to its end; returns exit code and output. */
async function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child!.once("exit", resolve));
  return { code, out, err };
}

test("npx certapply-emulator prints the stack config and serves the control API on loopback", async () => {
  const lines = await start(["--port", "0"]);
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0])?.[1];
  expect(url).toBeDefined();
  const config = lines.filter((l) => l.includes("pulumi config set"));
  expect(config.join("\n")).toContain(`certapply:tencentEndpoint ${url}`);
  expect(config.filter((l) => /SecretKey|ClientSecret/.test(l)).every((l) => l.includes("--secret"))).toBe(true);
  const seeded = await axios.post(`${url}/_control/tencent/seed`, { productType: "ov" });
  expect(seeded.data.certificateId).toMatch(/^[A-Za-z0-9]{8}$/);
  const log = await axios.get(`${url}/_control/log`);
  expect(log.data).toEqual([]);
});

test("a bad argument is refused with usage", async () => {
  const { code, err } = await run(["--port", "banana"]);
  expect(code).toBe(2);
  expect(err).toMatch(/--port takes a number from 0 to 65535/);
  const unknown = await run(["--bogus"]);
  expect(unknown.code).toBe(2);
  expect(unknown.err).toMatch(/unknown argument --bogus \(see --help\)/);
});

test("--seed N varies the replies by that seed (said on start, and in /_control/seed); a bad seed is refused", async () => {
  const lines = await start(["--port", "0", "--seed", "5"]);
  expect(lines[0]).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(seed 5\)$/);
  const bad = await run(["--seed", "x"]);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--seed takes a whole number/);
});

/** One certificate of each cloud in the running emulator: Tencent and Huawei seeded, Edgecast ordered through its API. */
async function oneOfEach(url: string): Promise<Record<string, Record<string, unknown>>> {
  const tencent = await axios.post(`${url}/_control/tencent/seed`, {});
  const huawei = await axios.post(`${url}/_control/huawei/seed`, {});
  const { clientId, clientSecret } = DEFAULT_CREDENTIALS.edgecast;
  const form = new URLSearchParams({ grant_type: "client_credentials", scope: "sec.cps.certificates", client_id: clientId, client_secret: clientSecret });
  const token = await axios.post(`${url}/connect/token`, form.toString(), { headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  const edgecast = await axios.post(`${url}/sec/cps/v2.0/certificates/cdnprovided`, DV_BODY, { headers: { Authorization: `Bearer ${token.data.access_token}` } });
  return {
    tencent: { certificateId: tencent.data.certificateId },
    huawei: { id: huawei.data.certificateId },
    edgecast: { id: edgecast.data.id },
  };
}

describe("--help", () => {
  let help = "";
  beforeAll(async () => {
    const res = await run(["--help"]);
    expect(res.code).toBe(0);
    help = res.out;
    child = undefined;
  });

  test("describes every option, and every option it describes is accepted", async () => {
    for (const flag of ["--port N", "--verbose", "--help", "-p", "-v", "-h"]) expect(help).toContain(flag);
    expect(help).toMatch(/default 0: a free port/);
    const lines = await start(["-p", "0", "-v"]);
    expect(lines[0]).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
  });

  test("names every fault kind and garbled-reply shape the emulator injects", () => {
    // Each as a word of the faults entry: "reset" alone is also in /_control/reset, "delay" in "delayMs".
    const faults = help.slice(help.indexOf("/_control/faults "), help.indexOf("/_control/fault-share"));
    for (const k of [...FAULT_KINDS, ...GARBLED_SHAPES]) expect(faults).toMatch(new RegExp(`(^|[\\s:,(])${k}([\\s,)]|$)`));
  });

  test("lists every control command each cloud handles (read from its control method), and prints the one list", () => {
    const listed = controlPaths();
    for (const cloud of ["tencent", "edgecast", "huawei"]) {
      const source = readFileSync(path.join(__dirname, "..", "..", "emulator", cloud, "index.ts"), "utf8");
      const body = source.slice(source.indexOf("async control(command: string"));
      const handled = [...body.slice(0, body.indexOf("\n  }\n")).matchAll(/(?:case |command === )"([a-z-]+)"/g)].map((m) => `${cloud}/${m[1]}`);
      expect(handled.length).toBeGreaterThan(5);
      expect(handled.filter((c) => !listed.includes(c))).toEqual([]);
    }
    for (const c of listed) expect(help).toContain(`/_control/${c}`);
    for (const c of ["tencent/submit", "huawei/apply", "edgecast/reject", "edgecast/order"]) expect(help).toContain(`/_control/${c} `);
  });

  test("lists control commands the emulator really serves, for every cloud and the global ones", async () => {
    const commands = [...help.matchAll(/^\s+\/_control\/([a-z-]+(?:\/[a-z]+)?)/gm)].map((m) => m[1]);
    for (const expected of ["log", "reset", "clock", "faults", "fault-share", "tencent/seed", "edgecast/advance", "huawei/seed"]) {
      expect(commands).toContain(expected);
    }
    expect(new Set(commands.map((c) => c.split("/")[0]))).toEqual(new Set(["log", "reset", "clock", "faults", "fault-share", "seed", "tencent", "edgecast", "huawei"]));
    const lines = await start(["--port", "0"]);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0])![1];
    // Global commands first (one of them is reset), then each cloud's against a real id of that cloud: a
    // command the emulator lacks answers "unknown ... control command" rather than "no such certificate".
    const post = (c: string, body: object) => axios.post(`${url}/_control/${c}`, body, { validateStatus: () => true });
    const unknown = expect.stringMatching(/unknown (\w+ )?control (command|target)/);
    for (const c of commands.filter((c) => !c.includes("/"))) {
      expect({ c, body: JSON.stringify((await post(c, {})).data) }).not.toEqual({ c, body: unknown });
    }
    const ids = await oneOfEach(url);
    for (const c of commands.filter((c) => c.includes("/"))) {
      expect({ c, body: JSON.stringify((await post(c, ids[c.split("/")[0]])).data) }).not.toEqual({ c, body: unknown });
    }
  });
});
