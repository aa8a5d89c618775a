/**
 * A throwaway PostgreSQL 15 cluster for the cluster benchmark: initdb into a temporary directory,
 * its own port and socket directory, so the benchmark can restart PostgreSQL (a fault it injects)
 * without touching the shared server on 5432. Run as the `postgres` user (PostgreSQL refuses to
 * run as root), removed at the end.
 */
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { chownSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";

const BIN = process.env.POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";

export interface ThrowawayPostgres {
  /** The URL of database `name` on this cluster. */
  url(name: string): string;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back when it resolves. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  remove(): void;
  logFile: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The command line, as the postgres user when we are root (containers, CI), as ourselves otherwise. */
function commandOf(command: string, args: string[]): [string, string[]] {
  const asRoot = process.getuid?.() === 0;
  return asRoot ? ["runuser", ["-u", "postgres", "--", path.join(BIN, command), ...args]] : [path.join(BIN, command), args];
}

function run(command: string, args: string[]) {
  const [file, argv] = commandOf(command, args);
  execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
}

// The restart happens while the benchmark sends: it must not block the sender's event loop.
const execFileAsync = promisify(execFile);

export async function startThrowawayPostgres(dir: string, database: string): Promise<ThrowawayPostgres> {
  const data = path.join(dir, "pgdata");
  const sockets = path.join(dir, "pgsock");
  const logFile = path.join(dir, "postgres.log");
  mkdirSync(sockets, { recursive: true });
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUser();
    for (const target of [dir, sockets]) chownSync(target, uid, gid);
  }
  const port = await freePort();
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  // Room for 4 app processes' pools (10 each), pg-boss's own, and the benchmark's.
  const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const ctl = (...args: string[]) => run("pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "60", ...args]);
  ctl("-o", options, "start");
  const url = (name: string) => `postgresql://postgres@127.0.0.1:${port}/${name}`;
  const client = new pg.Client({ connectionString: url("postgres") });
  await client.connect();
  await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
  return {
    url,
    logFile,
    async restart() {
      const [file, argv] = commandOf("pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "60", "-o", options, "-m", "fast", "restart"]);
      await execFileAsync(file, argv);
    },
    remove() {
      try {
        ctl("-m", "immediate", "stop");
      } catch {
        // Already stopped.
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}
