import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import axios from "axios";

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
  child = spawn(process.execPath, [cli, "--port", "banana"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child!.once("exit", resolve));
  expect(code).toBe(2);
  expect(err).toMatch(/--port takes a number from 0 to 65535/);
});
