// The nl catalogue: one file per area, merged here.
import { common } from './common';

export const nl: Record<string, string> = {
  ...common,
};
