import type { hoursZh } from './hours.zh-CN.js';

export const hoursEn: Record<keyof typeof hoursZh, string> = {
};
