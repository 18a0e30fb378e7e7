// Runs the baseline proxy in its own process, as our gateway runs in its own, so that the
// load generator never shares an event loop with the hop it measures.
import { startPassthroughProxy } from './passthrough-proxy';

const upstream = process.env.UPSTREAM;
const port = Number(process.env.PORT);
if (!upstream || !Number.isInteger(port) || port <= 0) {
  console.error(`set UPSTREAM (got ${upstream}) and PORT (got ${process.env.PORT})`);
  process.exit(1);
}
const proxy = await startPassthroughProxy(upstream, port);
process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
