// The en catalogue: one file per area, merged here.

import { analysis } from './analysis';
import { common } from './common';
import { corrections } from './corrections';
import { editor } from './editor';
import { frame } from './frame';
import { limits } from './limits';
import { numbers } from './numbers';
import { plausibility } from './plausibility';
import { survey } from './survey';
import { surveyFiles } from './survey-files';
import { waves } from './waves';

export const en: Record<string, string> = {
  ...common,
  ...frame,
  ...survey,
  ...surveyFiles,
  ...analysis,
  ...waves,
  ...editor,
  ...numbers,
  ...plausibility,
  ...corrections,
  ...limits,
};
