import { formatClock } from './clock';

/** The plain-words failure notice; renders nothing while the backend answers. */
export function BackendStatus({ failingSince }: { readonly failingSince?: Date }) {
  if (!failingSince) return null;
  return (
    <p class="backend-status" role="alert" data-testid="backend-status">
      backend unavailable since {formatClock(failingSince)}
    </p>
  );
}
