import type { caseViewsZh } from './case-views.zh-CN.js';

export const caseViewsEn: Record<keyof typeof caseViewsZh, string> = {
};
