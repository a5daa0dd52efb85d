export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __maitredPostgres?: { stop(): Promise<void> } }).__maitredPostgres;
  await server?.stop();
}
