// Every migration, in order. Never edit a landed migration: add a new one.
import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation';
import * as m0002 from './0002-population-frame';
import * as m0003 from './0003-surveys';
import * as m0004 from './0004-reports';
import * as m0005 from './0005-frame-units-without-import-id';
import * as m0006 from './0006-disclosure-protection';
import * as m0007 from './0007-mail-queue';
import * as m0008 from './0008-frame-upload-chunks';
import * as m0009 from './0009-publication-files-and-release-log';
import * as m0010 from './0010-wave-period';
import * as m0011 from './0011-contacts';
import * as m0012 from './0012-report-cache';
import * as m0013 from './0013-organisation-record-keys';
import * as m0014 from './0014-plausibility';
import * as m0015 from './0015-survey-drafts';
import * as m0016 from './0016-response-resume-page';
import * as m0017 from './0017-answer-keys';
import * as m0018 from './0018-answer-corrections';
import * as m0020 from './0020-pending-inputs';
import * as m0021 from './0021-wave-calibration';
import * as m0022 from './0022-user-organisations';
import * as m0023 from './0023-publication-cells';
import * as m0024 from './0024-branch-publications';
import * as m0025 from './0025-publication-choices';
import * as m0026 from './0026-branch-publication-values';
import * as m0027 from './0027-frame-bulk-load';
import * as m0028 from './0028-contacts-without-email-index';

export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-population-frame': m0002,
  '0003-surveys': m0003,
  '0004-reports': m0004,
  '0005-frame-units-without-import-id': m0005,
  '0006-disclosure-protection': m0006,
  '0007-mail-queue': m0007,
  '0008-frame-upload-chunks': m0008,
  '0009-publication-files-and-release-log': m0009,
  '0010-wave-period': m0010,
  '0011-contacts': m0011,
  '0012-report-cache': m0012,
  '0013-organisation-record-keys': m0013,
  '0014-plausibility': m0014,
  '0015-survey-drafts': m0015,
  '0016-response-resume-page': m0016,
  '0017-answer-keys': m0017,
  '0018-answer-corrections': m0018,
  '0020-pending-inputs': m0020,
  '0021-wave-calibration': m0021,
  '0022-user-organisations': m0022,
  '0023-publication-cells': m0023,
  '0024-branch-publications': m0024,
  '0025-publication-choices': m0025,
  '0026-branch-publication-values': m0026,
  '0027-frame-bulk-load': m0027,
  '0028-contacts-without-email-index': m0028,
};
