// Contacts on the web (Populatie): "Contacten importeren" reads the same contacts
// CSV as `frame contacts FILE.csv --year YYYY` (register/contacts-import.ts):
// checked first (every error by line and column, nothing stored), a preview with
// the addresses several organisations share, then confirmed and imported all or
// nothing. "Contact corrigeren" changes one organisation's addresses and names.
import { Router } from 'express';
import { z } from 'zod';
import { formText } from '../../foundation/form-fields';
import { contactsCorrectionForm, correctContacts, readCorrection } from '../../register/contacts-correction';
import { contactErrorMessage, importContacts } from '../../register/contacts-import';
import { contactsOf } from '../../register/contacts-repository';
import { frameUploadForm } from '../../register/frame-forms';
import { findOrganisation } from '../../register/frame-repository';
import type { AppContext } from '../app';
import { requireStaff } from '../web/auth';
import { readForm } from '../web/form';
import { HttpError, notFound } from '../web/http-error';
import { closeAfterResponse, readUpload } from '../web/upload';

/** A contacts file is small (20,000 rows at most); it waits for confirmation in the session. */
const CONTACTS_LIMIT_BYTES = 2 * 1024 * 1024;
const orgQuery = z.object({ org_id: formText });

export function frameContactsRoutes(ctx: AppContext) {
  const router = Router();
  contactsImportRoutes(router, ctx);
  contactCorrectionRoutes(router, ctx);
  return router;
}

/** Importing contacts: the file and its confirmation. */
function contactsImportRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  router.post('/beheer/populatie/contacten', requireStaff, async (req, res) => {
    let upload;
    try {
      upload = await readUpload(req, {
        limitBytes: CONTACTS_LIMIT_BYTES,
        fileField: 'file',
        receive: async (stream, fileName) => {
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          return { name: fileName.slice(0, 200), bytes: Buffer.concat(chunks) };
        },
        discard: async () => {},
      });
    } catch (error) {
      if (error instanceof HttpError && error.status === 413) closeAfterResponse(req, res);
      throw error;
    }
    const { values, errors } = readForm(frameUploadForm, upload.fields);
    const fieldErrors = errors.map((e) => ({ ...e, field: `contacts_${e.field}` }));
    if (!upload.file || upload.file.bytes.length === 0)
      fieldErrors.push({ field: 'contacts_file', key: 'frame.file_required' });
    if (fieldErrors.length) {
      return res.page(
        'pages/frame-contacts-preview',
        {
          title: res.locals.t('contacts.web.title'),
          year: values.year,
          fileName: '',
          result: null,
          fieldErrors,
          messages: [],
        },
        422,
      );
    }
    const year = Number(values.year);
    const file = upload.file!;
    const result = await importContacts(db, file.bytes, null, { year, dryRun: true });
    if (result.ok) req.session.contactsUpload = { year, fileName: file.name, csv: file.bytes.toString('base64') };
    else delete req.session.contactsUpload;
    await res.page(
      'pages/frame-contacts-preview',
      {
        title: res.locals.t('contacts.web.title'),
        year,
        fileName: file.name,
        result,
        fieldErrors: [],
        messages: result.ok ? [] : result.errors.map((e) => contactErrorMessage(res.locals.locale, e)),
      },
      result.ok ? 200 : 422,
    );
  });

  router.post('/beheer/populatie/contacten/bevestigen', requireStaff, async (req, res) => {
    const pending = req.session.contactsUpload;
    if (!pending) throw new HttpError(404, 'contacts.web.expired');
    const result = await importContacts(db, Buffer.from(pending.csv, 'base64'), req.user!, { year: pending.year });
    delete req.session.contactsUpload;
    if (!result.ok) throw new HttpError(409, 'contacts.web.changed');
    req.session.flash = {
      kind: 'success',
      key: 'contacts.imported',
      params: { contacts: result.contacts, organisations: result.organisations },
    };
    res.redirect(303, '/beheer/populatie#contacts-title');
  });
}

/** One organisation's contact, corrected by staff. */
function contactCorrectionRoutes(router: Router, ctx: AppContext) {
  const { db } = ctx;
  async function loadOrganisation(orgId: string) {
    const organisation = orgId ? await findOrganisation(db, orgId) : undefined;
    if (!organisation) throw notFound();
    return organisation;
  }

  router.get('/beheer/populatie/contact', requireStaff, async (req, res) => {
    const orgId = orgQuery.parse(req.query).org_id.trim();
    if (!orgId) return res.redirect(303, '/beheer/populatie#contacts-title');
    const organisation = await loadOrganisation(orgId);
    const contacts = (await contactsOf(db, [orgId])).get(orgId) ?? [];
    const values: Record<string, string> = {};
    contacts.forEach((c, i) => {
      values[`email_${i}`] = c.email;
      values[`name_${i}`] = c.name;
    });
    await res.page('pages/frame-contact-correct', {
      title: res.locals.t('contacts.correct.title', { org: organisation.name }),
      organisation,
      values,
      errors: [],
    });
  });

  router.post('/beheer/populatie/contact', requireStaff, async (req, res) => {
    const orgId = orgQuery.parse(req.body).org_id.trim();
    const organisation = await loadOrganisation(orgId);
    const { values } = readForm(contactsCorrectionForm, req.body);
    const { contacts, errors } = readCorrection(orgId, values);
    if (errors.length)
      return res.page(
        'pages/frame-contact-correct',
        { title: res.locals.t('contacts.correct.title', { org: organisation.name }), organisation, values, errors },
        422,
      );
    await correctContacts(db, { orgId, contacts, actor: req.user! });
    req.session.flash = {
      kind: 'success',
      key: 'contacts.correct.done',
      params: { org: organisation.name, n: contacts.length },
    };
    res.redirect(303, `/beheer/populatie/contact?org_id=${encodeURIComponent(orgId)}`);
  });

  return router;
}
