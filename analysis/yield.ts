// Long work in the server's own process (a report on the embedded database, a PDF)
// shares the event loop with every other request. Awaiting this between its steps
// lets waiting requests — /health, a member's page — run in between.
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
