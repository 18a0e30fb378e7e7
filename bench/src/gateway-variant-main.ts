// Our gateway built from its own source with one of its per-request features left out, in front
// of UPSTREAM on PORT: WITHOUT=security-headers drops helmet's headers (LOG_LEVEL=warn, a
// setting of the real gateway, drops the request line). Only the bench runs this, to show what
// each feature costs against the floor.
import { runService } from '@color-teller/service-kit/server';
import { startGateway } from '../../services/color-client/src/gateway';

const upstream = process.env.UPSTREAM;
const without = process.env.WITHOUT;
if (!upstream || (without !== undefined && without !== 'security-headers')) {
  console.error(`set UPSTREAM (got ${upstream}) and WITHOUT to security-headers or nothing`);
  process.exit(1);
}
const gateway = await startGateway({
  colorBackend: new URL(upstream),
  logLevel: process.env.LOG_LEVEL,
  ...(without === 'security-headers' ? { responseHeaders: {} } : {}),
});
await runService({ app: gateway, host: '127.0.0.1', port: Number(process.env.PORT) });
