// Simplified Chinese messages of hours; hours.en.ts has the same keys.
export const hoursZh = {
} as const;
