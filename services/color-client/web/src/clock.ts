/** Local wall-clock time as HH:MM:SS (24 h), independent of the browser's locale. */
export function formatClock(at: Date): string {
  return [at.getHours(), at.getMinutes(), at.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}
