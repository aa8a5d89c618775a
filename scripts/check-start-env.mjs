// Runs before `npm start` (the "prestart" script). `npm start` serves the production build, and
// remix-serve makes NODE_ENV "production" when it is unset: a production app must be told its
// database rather than fall back to the development file. app/db-url.ts applies the same rule
// when the app loads (and says the same; test/config/database-url.test.ts checks both).
const production = (process.env.NODE_ENV ?? "production") === "production";
if (production && !process.env.DATABASE_URL?.trim()) {
  console.error(
    "DATABASE_URL is required in production (NODE_ENV=production): set it to the app's database, e.g. postgresql://user:password@host:5432/lifecycle, or file:/var/lib/lifecycle/app.sqlite for a small install, and run `npm run setup` with it. Without it the app would use the development file prisma/dev.sqlite.",
  );
  process.exit(1);
}
