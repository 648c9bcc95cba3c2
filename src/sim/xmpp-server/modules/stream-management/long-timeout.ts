/** The longest delay `setTimeout` keeps; a longer one fires at once (Node warns "TimeoutOverflowWarning"). */
const MAX_DELAY = 2 ** 31 - 1;

export interface LongTimeout {
  clear(): void;
}

/** `setTimeout` for any delay, in steps of at most ~24.8 days: royneary keeps push users 100 days. */
export function setLongTimeout(callback: () => void, delay: number): LongTimeout {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (remaining: number): void => {
    timer = setTimeout(() => (remaining > MAX_DELAY ? arm(remaining - MAX_DELAY) : callback()), Math.min(remaining, MAX_DELAY));
  };
  arm(delay);
  return { clear: () => clearTimeout(timer) };
}
