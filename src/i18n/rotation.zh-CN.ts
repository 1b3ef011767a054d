// Simplified Chinese messages of rotation; rotation.en.ts has the same keys.
export const rotationZh = {
} as const;
