import { migrateTemplate } from "./database";

export default async function setup() {
  await migrateTemplate();
}
