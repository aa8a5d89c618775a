import type { Prisma, PrismaClient } from "@prisma/client";
import { dialectOf } from "~/sql.server";
import type { ComplianceSql } from "./dialect";
import { POSTGRES_COMPLIANCE_SQL } from "./postgres.server";
import { SQLITE_COMPLIANCE_SQL } from "./sqlite.server";

export type { ComplianceSql, ExportColumn, ExportSpec, KeptFields } from "./dialect";

/** The compliance SQL of the database behind `db`. */
export function complianceSql(db: PrismaClient | Prisma.TransactionClient): ComplianceSql {
  return dialectOf(db) === "postgresql" ? POSTGRES_COMPLIANCE_SQL : SQLITE_COMPLIANCE_SQL;
}

