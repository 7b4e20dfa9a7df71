export const analysis: Record<string, string> = {};
