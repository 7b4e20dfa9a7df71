// The fonts of everything the server draws: DejaVu Sans, from the npm package
// dejavu-fonts-ttf, embedded in every PDF and used for chart images. The standard
// PDF fonts (Helvetica) cannot encode χ², € in every position or letters such as
// ŀ, and system fonts differ between machines; one bundled font makes the PDF and
// the PNGs the same everywhere.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const FONT_REGULAR = path.join(dir, 'DejaVuSans.ttf');
export const FONT_BOLD = path.join(dir, 'DejaVuSans-Bold.ttf');
/** The family name charts use. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';
