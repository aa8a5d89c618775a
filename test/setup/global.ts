import { dropPostgresDatabase, migrateTemplate, POSTGRES_TEMPLATE, TEST_ON_POSTGRES } from "./database";

export default async function setup() {
  await migrateTemplate();
  // The PostgreSQL template is dropped at the end; each file drops its own copy as it ends.
  return async () => {
    if (TEST_ON_POSTGRES) await dropPostgresDatabase(POSTGRES_TEMPLATE);
  };
}
