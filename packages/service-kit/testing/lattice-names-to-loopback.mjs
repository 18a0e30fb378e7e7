// Preloaded (`node --import`) into a service under test: VPC Lattice service names resolve to
// loopback, where the test's stand-in Lattice service listens, so the service signs as it would
// on AWS. Every other name resolves as usual.
import dns from 'node:dns';

const LATTICE_NAME = /\.vpc-lattice-svcs\.[a-z0-9-]+\.on\.aws\.?$/i;
const resolve = dns.lookup;

dns.lookup = function lookup(hostname, options, callback) {
  const target =
    typeof hostname === 'string' && LATTICE_NAME.test(hostname) ? '127.0.0.1' : hostname;
  return resolve.call(this, target, options, callback);
};
