export const survey: Record<string, string> = {};
