/** `color-backend` → `ColorBackend`: construct IDs derived from DNS labels, stable across runs. */
export function pascalCase(label: string): string {
  return label
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
