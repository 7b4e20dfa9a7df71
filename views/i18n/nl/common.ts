export const common: Record<string, string> = {
  'app.name': 'Impactmonitor',
};
