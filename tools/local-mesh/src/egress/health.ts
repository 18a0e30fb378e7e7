// '_' is never in an external's name (a DNS label), so this path cannot shadow one.
export const EGRESS_HEALTH_PATH = '/_health';
