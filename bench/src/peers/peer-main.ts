// Runs one peer proxy in its own process, chosen by PEER, in front of UPSTREAM, on PORT.
import { isPeerName, loadPeer, peerNames } from './registry';

const name = process.env.PEER;
const upstream = process.env.UPSTREAM;
const port = Number(process.env.PORT);
if (!isPeerName(name) || !upstream || !Number.isInteger(port) || port <= 0) {
  console.error(
    `set PEER to one of ${peerNames.join(', ')} (got ${name}), UPSTREAM (got ${upstream}) and PORT (got ${process.env.PORT})`,
  );
  process.exit(1);
}
const close = await (await loadPeer(name))(upstream, port);
process.on('SIGTERM', () => void close().then(() => process.exit(0)));
