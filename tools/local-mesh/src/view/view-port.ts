import { assertPortFree } from '../ports';

/** The port after the ingress's when it is free, else 0 (any free port). */
export async function viewPortNextTo(ingressPort: number): Promise<number> {
  if (ingressPort === 0 || ingressPort >= 65535) return 0;
  try {
    await assertPortFree(ingressPort + 1, 'the live view', 'any free port will do');
    return ingressPort + 1;
  } catch {
    return 0;
  }
}
