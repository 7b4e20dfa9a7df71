// The nl catalogue: one file per area, merged here.
import { common } from './common';
import { frame } from './frame';
import { survey } from './survey';
import { analysis } from './analysis';
import { waves } from './waves';
import { numbers } from './numbers';

export const nl: Record<string, string> = {
  ...common,
  ...frame,
  ...survey,
  ...analysis,
  ...waves,
  ...numbers,
};
