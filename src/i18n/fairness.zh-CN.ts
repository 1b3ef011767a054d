// Simplified Chinese messages of fairness; fairness.en.ts has the same keys.
export const fairnessZh = {
} as const;
