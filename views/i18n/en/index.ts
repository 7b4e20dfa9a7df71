// The en catalogue: one file per area, merged here.
import { common } from './common';

export const en: Record<string, string> = {
  ...common,
};
