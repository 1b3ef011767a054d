import type { fairnessZh } from './fairness.zh-CN.js';

export const fairnessEn: Record<keyof typeof fairnessZh, string> = {
};
