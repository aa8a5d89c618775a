import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../support/paths";

export interface RunningDemo {
  adminUrl: string;
  storefrontUrl: string;
  appUrl: string;
  sandboxUrl: string;
  customers: number;
  orders: number;
  stateDir: string;
  credentials: { apiKey: string; apiSecret: string };
  output: () => string;
  stop(): Promise<void>;
}

/** Runs `npm run demo` exactly as a person would, on its own ports and state, and waits for its URL. */
export async function startDemo(options: { port: number; sandboxPort: number; customers: number; stateDir: string }): Promise<RunningDemo> {
  const child: ChildProcess = spawn(
    "npm",
    [
      "run",
      "demo",
      "--",
      "--reset",
      "--customers",
      String(options.customers),
      "--port",
      String(options.port),
      "--sandbox-port",
      String(options.sandboxPort),
      "--state-dir",
      options.stateDir,
    ],
    { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: "" }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  };

  const adminUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not print its admin URL in time:\n${output}`)), 170_000);
    const check = () => {
      // The storefront line comes last: once it is there, every URL is.
      const match = /^Admin: (\S+)$/m.exec(output);
      if (match && /^Storefront: \S+$/m.test(output)) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  const sizes = /Sandbox shop \S+: (\d+) customers, (\d+) orders/.exec(output);
  return {
    adminUrl,
    appUrl: /^App: (\S+)/m.exec(output)![1]!,
    sandboxUrl: /^Sandbox: (\S+)/m.exec(output)![1]!,
    storefrontUrl: /^Storefront: (\S+)/m.exec(output)![1]!,
    customers: Number(sizes?.[1]),
    orders: Number(sizes?.[2]),
    stateDir: options.stateDir,
    credentials: JSON.parse(readFileSync(path.join(options.stateDir, "credentials.json"), "utf8")) as RunningDemo["credentials"],
    output: () => output,
    stop,
  };
}
