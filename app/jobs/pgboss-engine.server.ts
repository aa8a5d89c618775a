/**
 * The pg-boss engine (docs/decisions/0002-job-engine.md §5): jobs live in pg-boss 10's tables on
 * PostgreSQL, one queue per job kind, policy `stately` (at most one queued and one active job per
 * singletonKey), singletonKey "<shop>:<dedupeKey>". pg-boss owns the schema (created and migrated at
 * start), the queues and their partitions, the insert (`send`, run through the caller's Prisma
 * transaction) and the maintenance that fails over a dead worker's job once its lease (`expire_in`)
 * has passed, and archives finished jobs.
 *
 * Claiming, the lease, and how a run ends are a few statements of ours on `pgboss.job`, because
 * pg-boss 10's own cannot keep the contract of engine.ts: its fetch turns a queued job active while
 * the same key runs (under `stately` that fails the whole fetch on the unique index, stalling the
 * queue), it has no heartbeat (a lease here is `expire_in`, pushed forward while the job runs), and
 * its complete/fail do not check that the worker still holds the job, cannot fail permanently, and
 * cannot merge a request made during the run into the retry. That ties this module to pg-boss
 * 10.4's table layout (name, id, state, start_after, started_on, singleton_key, retry_count,
 * retry_limit, expire_in, output, keep_until): the version is pinned and the contract suite covers it.
 */
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import PgBoss from "pg-boss";
import { describeError, logEvent } from "~/log.server";
import { DEFAULT_MAX_ATTEMPTS, type Client, type DeadJob, type JobEngine, type JobSpec } from "./engine";
import { abandonedReason, retryDelayMs } from "./queue.server";
import { newWorkDue } from "./wake";
import { createWorker, type ClaimedJob, type JobSource } from "./worker.server";

const SCHEMA = "pgboss";
const JOB = `${SCHEMA}.job`;
// A queued job not run by then would be archived by pg-boss's maintenance; every change that makes a job due again pushes it out.
const KEEP = "interval '14 days'";
// A dead job stays listed for the merchant this long (pg-boss then archives it).
const DEAD_KEPT_SECONDS = 30 * 24 * 60 * 60;
// pg-boss's reason for a job whose lease ran out (its worker died): failJobsByTimeout in its plans.js.
const TIMEOUT_MESSAGE = "job failed by timeout in active state";

/** What a pg-boss job's `data` holds: the shop (listed and cancelled by it), our dedupe key, the handler's payload. */
interface JobData {
  shop: string;
  key: string | null;
  payload: unknown;
}

interface ClaimedRow {
  id: string;
  name: string;
  data: string;
  singletonKey: string;
  retryCount: number;
  retryLimit: number;
}

export interface PgBossEngineOptions {
  connectionString: string;
  /** How often the worker's maintenance fails over the jobs of dead workers (seconds). */
  maintenanceIntervalSeconds?: number;
}

/** The queue of the webhook inbox's deliveries (app/webhooks/inbox-queue.server.ts): not a job kind, never cancelled with a shop's jobs. */
export const INBOX_QUEUE = "webhook";

/**
 * Queue names as literals, not parameters: pgboss.job is partitioned by name, and only literals let
 * PostgreSQL plan a statement for those queues' partitions alone. With parameters it plans every
 * partition's indexes on each call: most of a claim's cost, measured in the cluster benchmark.
 */
export function queueNames(names: readonly string[]): Prisma.Sql {
  return Prisma.join(
    names.map((name) => {
      // What pg-boss means a queue name to be; nothing else (a quote) ever reaches the statement.
      if (!/^[\w./-]+$/.test(name)) throw new Error(`Not a queue name: ${JSON.stringify(name)}`);
      return Prisma.raw(`'${name}'`);
    }),
  );
}

export interface PgBossEngine extends JobEngine {
  /** pg-boss's schema and the inbox's queue, made once: before deliveries are queued or claimed. */
  prepareInbox(): Promise<void>;
  /** Closes the engine's own connections (pg-boss's pool); the Prisma client is the caller's. */
  close(): Promise<void>;
}

/** pg-boss's `db` option on a Prisma client or transaction: its statements then run with the caller's. */
function executorOf(db: Client) {
  return {
    async executeSql(text: string, values: unknown[]) {
      // pg serializes objects as JSON on its own; Prisma's raw parameters need it done.
      const params = values.map((value) => (value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value));
      return { rows: await db.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params) };
    },
  };
}

/** PostgreSQL refused a row under a unique index (pg-boss's one-per-state-and-key of `stately`): another process got there first. */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return (error.meta as { code?: string } | undefined)?.code === "23505" || error.message.includes("23505");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createPgBossEngine(options: PgBossEngineOptions): PgBossEngine {
  const bossOptions = {
    connectionString: options.connectionString,
    schema: SCHEMA,
    // Its own statements are few (schema, queues, maintenance): jobs go through Prisma's pool.
    max: 2,
    schedule: false,
    archiveFailedAfterSeconds: DEAD_KEPT_SECONDS,
  };
  let started: Promise<PgBoss> | undefined;
  const queues = new Map<string, Promise<void>>();
  let maintainer: PgBoss | undefined;

  const onError = (error: unknown) => logEvent("error", "jobs.pgboss_error", { error });

  /** pg-boss's schema, created or migrated on first use, and the index that finds a shop's jobs. */
  function ready(): Promise<PgBoss> {
    started ??= (async () => {
      const boss = new PgBoss({ ...bossOptions, supervise: false });
      boss.on("error", onError);
      await boss.start();
      // Indexes on the partitioned table reach every queue's partition, present and future.
      await boss.getDb().executeSql(`CREATE INDEX IF NOT EXISTS job_shop ON ${JOB} ((data->>'shop'), state)`, []);
      // A claim takes the first due job in this order: the index hands it over without sorting the backlog
      // (every partition holds one queue, so the name need not lead).
      await boss.getDb().executeSql(`CREATE INDEX IF NOT EXISTS job_due ON ${JOB} (start_after, created_on, id) WHERE state < 'active'`, []);
      // A key's queued or running job (bringing it forward, "is it running?"), without reading the completed ones.
      await boss.getDb().executeSql(`CREATE INDEX IF NOT EXISTS job_key ON ${JOB} (singleton_key) WHERE state <= 'active'`, []);
      // A dead worker's jobs are found among the few running ones.
      await boss.getDb().executeSql(`CREATE INDEX IF NOT EXISTS job_running ON ${JOB} (started_on) WHERE state = 'active'`, []);
      return boss;
    })();
    return started;
  }

  /** The queue of a job kind, created once (createQueue is idempotent across processes). */
  function queueOf(kind: string): Promise<void> {
    let queue = queues.get(kind);
    if (!queue) {
      const settings: PgBoss.Queue = {
        name: kind,
        // A delivery's job is its own (one per stored delivery): no key to keep single.
        policy: kind === INBOX_QUEUE ? "standard" : "stately",
        retryLimit: DEFAULT_MAX_ATTEMPTS - 1,
        // A failed attempt's delay is ours (fail below). pg-boss's own applies only when its maintenance fails
        // over a dead worker's job: that job is due again at once, as when our claim takes it over.
        retryDelay: 0,
        retryBackoff: false,
        expireInSeconds: 60,
      };
      // updateQueue too: a queue made by an earlier version keeps its settings through createQueue.
      queue = ready().then(async (boss) => {
        await boss.createQueue(kind, settings);
        await boss.updateQueue(kind, settings);
      });
      queue.catch(() => queues.delete(kind));
      queues.set(kind, queue);
    }
    return queue;
  }

  /**
   * The queued job of `key` is due no later than `runAt` (and takes `payload` when given); false
   * when none is queued. One statement, so a claim in between makes it match nothing.
   */
  async function bringForward(db: Client, kind: string, key: string, runAt: Date, payload?: unknown): Promise<boolean> {
    const data = payload === undefined ? Prisma.sql`data` : Prisma.sql`jsonb_set(data, '{payload}', ${JSON.stringify(payload)}::jsonb)`;
    const updated = await db.$executeRaw`
      UPDATE ${Prisma.raw(JOB)} SET start_after = LEAST(start_after, ${runAt}::timestamptz), data = ${data}
      WHERE name = ${queueNames([kind])} AND singleton_key = ${key} AND state < 'active'`;
    return updated > 0;
  }

  /**
   * S1/S2 through `db`: a queued job of the key is brought forward; else one is sent (under `stately`
   * it is inserted beside a running one, which is the "once more"); if a concurrent request sent it
   * first, that one is brought forward.
   */
  async function put(db: Client, spec: { kind: string; shop: string; key: string | null; singletonKey: string; runAt: Date; payload: unknown; retryLimit: number; replacePayload: boolean }) {
    await queueOf(spec.kind);
    const boss = await ready();
    const payload = spec.replacePayload ? spec.payload : undefined;
    if (await bringForward(db, spec.kind, spec.singletonKey, spec.runAt, payload)) return;
    const data: JobData = { shop: spec.shop, key: spec.key, payload: spec.payload };
    const id = await boss.send(spec.kind, data as unknown as object, {
      singletonKey: spec.singletonKey,
      startAfter: spec.runAt,
      retryLimit: spec.retryLimit,
      db: executorOf(db),
    });
    if (id === null) await bringForward(db, spec.kind, spec.singletonKey, spec.runAt, payload);
  }

  async function enqueue(db: Client, spec: JobSpec) {
    const runAt = spec.runAt ?? new Date();
    // A job without a key is one of its own: a key no other job has.
    const key = spec.dedupeKey ?? null;
    const singletonKey = `${spec.shop}:${key ?? `#${randomUUID()}`}`;
    const retryLimit = (spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) - 1;
    await put(db, { kind: spec.kind, shop: spec.shop, key, singletonKey, runAt, payload: spec.payload ?? {}, retryLimit, replacePayload: false });
    if (runAt <= new Date()) newWorkDue();
  }

  /** This claim's row: the job, still active, still under this claim (its lease not taken over). */
  const held = (row: ClaimedRow, token: string) => Prisma.sql`name = ${queueNames([row.name])} AND id = ${row.id}::uuid AND state = 'active' AND output->>'claim' = ${token}`;

  function claimed(db: PrismaClient, row: ClaimedRow, token: string, leaseMs: number): ClaimedJob {
    const data = JSON.parse(row.data) as JobData;
    const attempts = row.retryCount + 1;
    const where = held(row, token);
    return {
      job: { id: row.id, shop: data.shop, kind: row.name, dedupeKey: data.key, payload: JSON.stringify(data.payload), attempts, maxAttempts: row.retryLimit + 1 },
      payload: data.payload,
      lockedUntil: null,
      // pg-boss 10 has no heartbeat: the lease is the job's expire_in, which maintenance checks against started_on.
      renew: async (client) =>
        (await client.$executeRaw`UPDATE ${Prisma.raw(JOB)} SET expire_in = (now() - started_on) + ${leaseMs}::double precision * interval '1 millisecond' WHERE ${where}`) === 1,
      async complete() {
        await db.$executeRaw`UPDATE ${Prisma.raw(JOB)} SET state = 'completed', completed_on = now(), output = NULL WHERE ${where}`;
      },
      async fail(error, _now, permanent) {
        const dead = permanent || attempts > row.retryLimit;
        const output = JSON.stringify({ error: describeError(error), permanent });
        if (dead) {
          await db.$executeRaw`UPDATE ${Prisma.raw(JOB)} SET state = 'failed', completed_on = now(), output = ${output}::jsonb WHERE ${where}`;
          return true;
        }
        // The retry does whatever a request made while it ran asked for: that queued job is folded into it.
        await db.$executeRaw`
          WITH retried AS (
            UPDATE ${Prisma.raw(JOB)} SET state = 'retry', start_after = now() + ${retryDelayMs(attempts)}::double precision * interval '1 millisecond',
              output = ${output}::jsonb, keep_until = GREATEST(keep_until, now() + ${Prisma.raw(KEEP)})
            WHERE ${where}
            RETURNING name, singleton_key
          )
          UPDATE ${Prisma.raw(JOB)} AS queued SET state = 'cancelled', completed_on = now()
          FROM retried WHERE queued.name = retried.name AND queued.singleton_key = retried.singleton_key AND queued.state = 'created'`;
        return false;
      },
      async snooze(runAt, payload) {
        await db.$transaction(async (tx) => {
          const done = await tx.$executeRaw`UPDATE ${Prisma.raw(JOB)} SET state = 'completed', completed_on = now(), output = NULL WHERE ${where}`;
          if (done !== 1) return;
          await put(tx, {
            kind: row.name,
            shop: data.shop,
            key: data.key,
            singletonKey: row.singletonKey,
            runAt,
            payload: payload === undefined ? data.payload : payload,
            retryLimit: row.retryLimit,
            replacePayload: payload !== undefined,
          });
        });
      },
      async release() {
        // Due at once, as 'retry' (a request made during the run may hold the 'created' slot); the claim's count is taken back.
        const released = await db.$executeRaw`
          UPDATE ${Prisma.raw(JOB)} SET state = 'retry', start_after = now(), output = NULL,
            started_on = CASE WHEN retry_count = 0 THEN NULL ELSE started_on END, retry_count = GREATEST(retry_count - 1, 0),
            keep_until = GREATEST(keep_until, now() + ${Prisma.raw(KEEP)})
          WHERE ${where}`;
        return released === 1;
      },
    };
  }

  const source: JobSource = {
    async claim(db, workerId, now, leaseUntil, kinds) {
      if (kinds.length === 0) return null;
      await ready();
      const leaseMs = Math.max(leaseUntil.getTime() - now.getTime(), 1_000);
      const token = `${workerId}:${randomUUID()}`;
      // Due and lease expiry by the worker's clock, as on the table engine (a test's clock too).
      const expired = Prisma.sql`j.state = 'active' AND j.started_on + j.expire_in < ${now}::timestamptz`;
      // S3: a job whose worker died on each of its attempts is dead-lettered, not taken over (it may be what kills
      // the worker). pg-boss's maintenance fails such jobs too, but only every maintenance interval.
      const names = queueNames(kinds);
      await db.$executeRaw`
        UPDATE ${Prisma.raw(JOB)} AS j SET state = 'failed', completed_on = now(),
          output = jsonb_build_object('error', ${abandonedReason(Prisma.sql`(j.retry_count + 1)`)}, 'permanent', false)
        WHERE j.name IN (${names}) AND ${expired} AND j.retry_count >= j.retry_limit`;
      // A running job whose lease ran out (its worker died) is taken over at once, as the table engine does; else the
      // due job that came due first, of a key that is not running. pg-boss's attempt count (retry_count) as its fetch keeps it.
      const claim = () => db.$queryRaw<ClaimedRow[]>`
        WITH expired AS (
          SELECT j.name, j.id FROM ${Prisma.raw(JOB)} AS j
          WHERE j.name IN (${names}) AND ${expired} AND j.retry_count < j.retry_limit
          LIMIT 1
          FOR UPDATE SKIP LOCKED
        ), queued AS (
          SELECT j.name, j.id FROM ${Prisma.raw(JOB)} AS j
          WHERE j.name IN (${names}) AND j.state < 'active' AND j.start_after <= ${now}::timestamptz
            AND NOT EXISTS (SELECT 1 FROM ${Prisma.raw(JOB)} AS a WHERE a.name IN (${names}) AND a.name = j.name AND a.singleton_key = j.singleton_key AND a.state = 'active')
          ORDER BY j.start_after, j.created_on, j.id
          LIMIT 1
          FOR UPDATE SKIP LOCKED
        ), next AS (
          (SELECT name, id FROM expired) UNION ALL (SELECT name, id FROM queued) LIMIT 1
        )
        UPDATE ${Prisma.raw(JOB)} AS j SET state = 'active', started_on = now(),
          retry_count = CASE WHEN j.started_on IS NOT NULL THEN j.retry_count + 1 ELSE j.retry_count END,
          expire_in = ${leaseMs}::double precision * interval '1 millisecond', output = jsonb_build_object('claim', ${token}::text)
        FROM next WHERE j.name IN (${names}) AND j.name = next.name AND j.id = next.id
        RETURNING j.id::text AS id, j.name, j.data::text AS data, j.singleton_key AS "singletonKey", j.retry_count AS "retryCount", j.retry_limit AS "retryLimit"`;
      let rows: ClaimedRow[];
      try {
        rows = await claim();
      } catch (error) {
        // Another worker started the same key's other queued job (a retry beside a request) at the same moment.
        if (!isUniqueViolation(error)) throw error;
        rows = await claim().catch((again: unknown) => {
          if (isUniqueViolation(again)) return [];
          throw again;
        });
      }
      const row = rows[0];
      return row ? claimed(db, { ...row, retryCount: Number(row.retryCount), retryLimit: Number(row.retryLimit) }, token, leaseMs) : null;
    },
    cancelShop: (db, shop) => cancelShop(db, shop),
  };

  async function cancelShop(db: Client, shop: string) {
    await ready();
    // Not its deliveries: those still arriving are settled by the inbox (skipped, or shop/redact applied).
    await db.$executeRaw`UPDATE ${Prisma.raw(JOB)} SET state = 'cancelled', completed_on = now() WHERE data->>'shop' = ${shop} AND state < 'completed' AND name <> ${INBOX_QUEUE}`;
  }

  const retryable = Prisma.sql`retry_count >= retry_limit AND NOT COALESCE((output->>'permanent')::boolean, false)`;

  async function retryDead(db: PrismaClient, shop: string, id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    await ready();
    const dead = Prisma.sql`id = ${id}::uuid AND data->>'shop' = ${shop} AND state = 'failed' AND ${retryable}`;
    // A job queued or running under its key since does the work: the dead one is closed.
    const close = () => db.$executeRaw`
      UPDATE ${Prisma.raw(JOB)} AS j SET state = 'completed', completed_on = now()
      WHERE ${dead} AND EXISTS (SELECT 1 FROM ${Prisma.raw(JOB)} AS s WHERE s.name = j.name AND s.singleton_key = j.singleton_key AND s.state <= 'active')`;
    if ((await close()) === 1) return true;
    try {
      const revived = await db.$executeRaw`
        UPDATE ${Prisma.raw(JOB)} SET state = 'created', retry_count = 0, started_on = NULL, start_after = now(), completed_on = NULL,
          output = NULL, keep_until = now() + ${Prisma.raw(KEEP)}
        WHERE ${dead}`;
      if (revived === 1) newWorkDue();
      return revived === 1;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await close()) === 1;
    }
  }

  return {
    name: "pg-boss",
    enqueue,
    createWorker: (workerOptions) =>
      createWorker({
        ...workerOptions,
        jobs: source,
        // The worker's process runs pg-boss's maintenance: a dead worker's job is failed over once its lease has passed.
        onStart() {
          const boss = new PgBoss({ ...bossOptions, supervise: true, maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 5 });
          boss.on("error", onError);
          maintainer = boss;
          void ready()
            .then(() => boss.start())
            .catch(onError);
        },
        async onStop() {
          await maintainer?.stop({ graceful: false, wait: true });
          maintainer = undefined;
        },
      }),
    async listDead(db, shop, limit): Promise<DeadJob[]> {
      await ready();
      const rows = await db.$queryRaw<{ id: string; kind: string; retryCount: number; retryLimit: number; output: string | null; completedOn: Date | null }[]>`
        SELECT id::text AS id, name AS kind, retry_count AS "retryCount", retry_limit AS "retryLimit", output::text AS output, completed_on AS "completedOn"
        FROM ${Prisma.raw(JOB)} WHERE data->>'shop' = ${shop} AND state = 'failed'
        ORDER BY completed_on DESC, id DESC LIMIT ${limit}`;
      return rows.map((row) => {
        const attempts = Number(row.retryCount) + 1;
        const maxAttempts = Number(row.retryLimit) + 1;
        const output = (row.output === null ? {} : JSON.parse(row.output)) as { error?: string; permanent?: boolean; value?: { message?: string } };
        const lastError =
          output.error ??
          (output.value?.message === TIMEOUT_MESSAGE
            ? `Abandoned: its worker stopped before finishing on each of its ${attempts} attempts (its lease ran out every time); it is not run again, as it may be what stops the worker`
            : (output.value?.message ?? null));
        return { id: row.id, kind: row.kind, attempts, maxAttempts, lastError, finishedAt: row.completedOn ? new Date(row.completedOn) : null, retryable: !output.permanent && attempts >= maxAttempts };
      });
    },
    async countDead(db, shop) {
      await ready();
      const [row] = await db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM ${Prisma.raw(JOB)} WHERE data->>'shop' = ${shop} AND state = 'failed'`;
      return Number(row?.count ?? 0);
    },
    async countActive(db, shop, kind, now) {
      await ready();
      const [row] = await db.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM ${Prisma.raw(JOB)}
        WHERE name = ${queueNames([kind])} AND data->>'shop' = ${shop} AND (state = 'active' OR (state < 'active' AND start_after <= ${now}::timestamptz))`;
      return Number(row?.count ?? 0);
    },
    retryDead: (db, shop, id) => retryDead(db, shop, id),
    async retryAllDead(db, shop) {
      await ready();
      const rows = await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM ${Prisma.raw(JOB)} WHERE data->>'shop' = ${shop} AND state = 'failed' AND ${retryable}`;
      let retried = 0;
      for (const { id } of rows) if (await retryDead(db, shop, id)) retried += 1;
      return retried;
    },
    cancelShop: (db, shop) => cancelShop(db, shop),
    prepareInbox: () => queueOf(INBOX_QUEUE),
    async deleteShop(db, shop) {
      await ready();
      // The shop's name is in each job's data, running ones too (a worker still holding one loses its lease with its row).
      await db.$executeRaw`DELETE FROM ${Prisma.raw(JOB)} WHERE data->>'shop' = ${shop}`;
      await db.$executeRaw`DELETE FROM ${Prisma.raw(`${SCHEMA}.archive`)} WHERE data->>'shop' = ${shop}`;
    },
    async close() {
      await maintainer?.stop({ graceful: false, wait: true });
      const boss = await started?.catch(() => undefined);
      started = undefined;
      queues.clear();
      await boss?.stop({ graceful: false, wait: true });
    },
  };
}
