/** Steady traffic from four callers on `url`, counting every answer's color and every failure. */
export function steadyTraffic(url: () => string) {
  const colors: string[] = [];
  let failures = 0;
  let running = true;
  const caller = async () => {
    while (running) {
      try {
        const response = await fetch(url());
        if (response.status !== 200) failures += 1;
        colors.push(((await response.json()) as { color: string }).color);
      } catch {
        failures += 1;
      }
    }
  };
  const done = Promise.all([caller(), caller(), caller(), caller()]);
  return {
    colors,
    failures: () => failures,
    stop: async () => {
      running = false;
      await done;
    },
  };
}
