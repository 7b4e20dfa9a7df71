export const frame: Record<string, string> = {};
