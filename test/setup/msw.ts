import { setupServer } from "msw/node";

/** One msw server per test file; tests add handlers (e.g. a sandbox store) with mswServer.use(). */
export const mswServer = setupServer();
