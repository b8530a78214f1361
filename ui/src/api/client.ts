// The one way the UI talks to the archive: typed calls on relative URLs, so
// the same build works under `arsip serve` and in the desktop app. Types come
// from src/api/schema.d.ts, generated from the server's OpenAPI document.

import type { components } from './schema';
import { prefs } from '../lib/prefs.svelte';

type S = components['schemas'];
export type Me = S['Me'];
export type SearchOutcome = S['SearchOutcome'];
export type SearchHit = S['SearchHit'];
export type Facets = S['Facets'];
export type FacetCount = S['FacetCount'];
export type RecordView = S['RecordView'];
/** Fields left out are left as they are (serde's defaults). */
export type RecordEdit = Partial<S['RecordEdit']>;
export type Vocabularies = S['Vocabularies'];
export type Term = S['Term'];
export type FileReport = S['FileReport'];
export type ImportStatus = S['ImportStatus'];
export type WatchStatus = S['WatchStatus'];
export type ReviewQueue = S['ReviewQueue'];
export type RecapTable = S['RecapTable'];
export type RecapRow = S['RecapRow'];
export type ConfirmRow = S['ConfirmRow'];
export type AuditEntry = S['AuditEntry'];
export type Version = S['Version'];
export type AuditReport = S['AuditReport'];
export type SyncStatus = S['SyncStatus'];
export type PushReport = S['PushReport'];
export type AccessLevel = S['AccessLevel'];
export type ErrorCode = S['ErrorCode'];
export type Role = S['Role'];
export type UserInfo = S['UserInfo'];
export type Berkas = S['Berkas'];
export type NewBerkas = Partial<S['NewBerkas']> & Pick<S['NewBerkas'], 'number' | 'title'>;
export type BerkasEdit = Partial<S['BerkasEdit']>;
export type JraRow = S['JraRow'];
export type Place = S['Place'];
export type NewPlace = S['NewPlace'];
export type ArchiveBox = S['ArchiveBox'];
export type BoxContents = S['BoxContents'];
export type NewBox = Partial<S['NewBox']> & Pick<S['NewBox'], 'number'>;
export type BoxEdit = Partial<S['BoxEdit']>;
export type LabelRequest = S['LabelRequest'];
export type Digitisation = S['Digitisation'];
export type LabelTarget = S['LabelTarget'];
export type Loan = S['Loan'];
export type LoanReport = S['LoanReport'];
export type NewLoan = Partial<S['NewLoan']> & Pick<S['NewLoan'], 'borrower' | 'unit' | 'due_on'>;
export type RetentionReport = S['RetentionReport'];
export type Disposal = S['Disposal'];
export type TrashedRecord = S['TrashedRecord'];
export type DisposalSummary = S['DisposalSummary'];
export type DisposalStep = S['DisposalStep'];
/** The server leaves out what an edit does not name. */
export type UserEdit = Partial<S['UserEdit']>;

/** A failed call: the server's code and its message in the chosen language. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface SearchParams {
  q?: string;
  limit?: number;
  offset?: number;
  type?: string;
  election?: string;
  year?: string;
  region?: string;
  access?: string;
  series?: string;
  office?: string;
  berkas?: string;
}

/** What the audit trail is filtered by; days are local, `YYYY-MM-DD`. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** Entries per page of the audit trail. */
export const AUDIT_PAGE = 100;

/**
 * The browser's offset from UTC in minutes: the server reads the filter's
 * days, and writes an export's times, in the zone the screen shows.
 */
function utcOffset(): number {
  return -new Date().getTimezoneOffset();
}

export const FACET_PARAMS = ['type', 'election', 'year', 'region', 'access', 'series', 'office'] as const;
export type FacetParam = (typeof FACET_PARAMS)[number];
/** Staff also narrow by berkas (the public has none). */
export const OFFICE_FACET_PARAMS = [...FACET_PARAMS, 'berkas'] as const;
export type OfficeFacetParam = (typeof OFFICE_FACET_PARAMS)[number];

function query(params: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The request sent, the response checked: an error reply becomes an ApiError. */
async function send(method: string, path: string, body?: unknown, raw?: Blob | FormData): Promise<Response> {
  const headers: Record<string, string> = { 'Accept-Language': prefs.lang };
  let payload: BodyInit | undefined;
  if (raw instanceof FormData) {
    // The browser writes the multipart boundary itself.
    payload = raw;
  } else if (raw) {
    // A photo says it is an image, typed text that it is text.
    headers['Content-Type'] = raw.type || 'application/octet-stream';
    payload = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError('network', prefs.t('error.network'), 0);
  }
  if (!res.ok) {
    const data: unknown = await res.json().catch(() => null);
    const err = (data as S['ErrorReply'] | null)?.error;
    throw new ApiError(err?.code ?? 'internal', err?.message ?? res.statusText, res.status);
  }
  return res;
}

async function call<T>(method: string, path: string, body?: unknown, raw?: Blob | FormData): Promise<T> {
  const res = await send(method, path, body, raw);
  if (res.status === 204) return undefined as T;
  return (await res.json().catch(() => null)) as T;
}

export const api = {
  me: () => call<Me>('GET', '/api/me'),
  setupInfo: () => call<S['SetupInfo']>('GET', '/api/setup'),
  setUp: (form: S['SetupForm']) => call<S['SetupInfo']>('POST', '/api/setup', form),
  firstAdmin: (form: S['FirstAdminForm']) => call<S['SetupInfo']>('POST', '/api/setup/admin', form),
  login: (name: string, password: string) => call<S['Session']>('POST', '/api/login', { name, password }),
  logout: () => call<undefined>('POST', '/api/logout'),
  vocabularies: () => call<Vocabularies>('GET', '/api/vocabularies'),
  search: (p: SearchParams) => call<SearchOutcome>('GET', `/api/search${query(p)}`),
  exportUrl: (p: SearchParams) => `/api/export.csv${query({ ...p, limit: undefined, offset: undefined })}`,
  record: (id: string) => call<RecordView>('GET', `/api/records/${encodeURIComponent(id)}`),
  edit: (id: string, edit: RecordEdit) => call<RecordView>('PATCH', `/api/records/${encodeURIComponent(id)}`, edit),
  editMany: (ids: string[], edit: RecordEdit) => call<S['Changed']>('POST', '/api/records/edit', { ids, edit }),
  pageImageUrl: (id: string, n: number, q: string) =>
    `/api/records/${encodeURIComponent(id)}/pages/${n}/image${query({ q })}`,
  thumbnailUrl: (id: string, n: number) => `/api/records/${encodeURIComponent(id)}/pages/${n}/thumbnail`,
  fileUrl: (sha256: string) => `/api/files/${sha256}`,
  upload: (file: File, opts: { series?: string; access?: string }) =>
    call<FileReport>('POST', `/api/uploads${query({ name: file.name, ...opts })}`, undefined, file),
  /** Separator sheets to print, as a PDF. */
  separators: async (req: S['SeparatorSheets']) => (await send('POST', '/api/separators', req)).blob(),
  /** The page files of one document, in page order, as one record. */
  uploadDocument: (files: File[], opts: { series?: string; access?: string }) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    return call<FileReport>('POST', `/api/uploads/document${query(opts)}`, undefined, form);
  },
  proposeDocuments: (names: string[], sequences: boolean) =>
    call<S['ProposedDocument'][]>('POST', '/api/imports/proposal', { names, sequences }),
  movePages: (id: string, pages: number[], to: string | null) =>
    call<S['Moved']>('POST', `/api/records/${encodeURIComponent(id)}/pages/move`, { pages, to }),
  reviewQueue: () => call<ReviewQueue>('GET', '/api/review'),
  recapQueue: () => call<S['RecapQueue']>('GET', '/api/recap'),
  recap: (id: string) => call<RecapTable>('GET', `/api/records/${encodeURIComponent(id)}/recap`),
  confirmRecap: (id: string, rows: ConfirmRow[], readAt: string) =>
    call<RecapTable>('POST', `/api/records/${encodeURIComponent(id)}/recap`, { rows, read_at: readAt }),
  recapExportUrl: () => '/api/recap.csv',
  // `version` (the table's read_at or confirmed_at) changes the URL when
  // the rows do: an index names another row after a confirmation.
  recapCropUrl: (id: string, index: number, version: string) =>
    `/api/records/${encodeURIComponent(id)}/recap/rows/${index}/crop?v=${encodeURIComponent(version)}`,
  review: (ids: string[], accept: boolean) => call<S['Changed']>('POST', '/api/review', { ids, accept }),
  watch: () => call<S['WatchStatus']>('GET', '/api/watch'),
  setWatch: (folder: string | null, series: string, access: string) =>
    call<S['WatchStatus']>('PUT', '/api/watch', { folder, series: series || null, access: access || null }),
  importPaths: (paths: string[], series?: string, access?: string) =>
    call<ImportStatus>('POST', '/api/imports', { paths, series: series || null, access: access || null }),
  importStatus: (id: number) => call<ImportStatus>('GET', `/api/imports/${id}`),
  audit: (filter: AuditFilter, before?: number) =>
    call<AuditEntry[]>('GET', `/api/audit${query({ ...filter, tz: utcOffset(), before, limit: AUDIT_PAGE })}`),
  auditExportUrl: (filter: AuditFilter) => `/api/audit.csv${query({ ...filter, tz: utcOffset() })}`,
  auditVerify: () => call<AuditReport>('GET', '/api/audit/verify'),
  syncStatus: () => call<SyncStatus>('GET', '/api/sync'),
  syncPush: (target: string) => call<PushReport>('POST', '/api/sync/push', { target }),
  backupPlan: () => call<S['BackupPlan']>('GET', '/api/backup'),
  setBackupPlan: (target: string | null, every_hours: number) =>
    call<S['BackupPlan']>('PUT', '/api/backup', { target, every_hours }),
  backupNow: () => call<S['BackupReport']>('POST', '/api/backup/run'),
  berkasList: () => call<Berkas[]>('GET', '/api/berkas'),
  berkas: (id: string) => call<Berkas>('GET', `/api/berkas/${encodeURIComponent(id)}`),
  addBerkas: (b: NewBerkas) => call<Berkas>('POST', '/api/berkas', b),
  editBerkas: (id: string, edit: BerkasEdit) => call<Berkas>('PATCH', `/api/berkas/${encodeURIComponent(id)}`, edit),
  jra: () => call<JraRow[]>('GET', '/api/jra'),
  importJra: (csv: File) => call<S['Imported']>('POST', '/api/jra', undefined, csv),
  retention: (on?: string) => call<RetentionReport>('GET', `/api/retention${query({ on })}`),
  /** The counts only, without the lists. */
  retentionDue: () => call<RetentionReport>('GET', '/api/retention?brief=true'),
  places: () => call<Place[]>('GET', '/api/places'),
  addPlace: (p: NewPlace) => call<Place>('POST', '/api/places', p),
  storageReportUrl: () => '/api/places/report.pdf',
  boxes: () => call<ArchiveBox[]>('GET', '/api/boxes'),
  box: (id: string) => call<BoxContents>('GET', `/api/boxes/${encodeURIComponent(id)}`),
  addBox: (b: NewBox) => call<BoxContents>('POST', '/api/boxes', b),
  editBox: (id: string, edit: BoxEdit) => call<BoxContents>('PATCH', `/api/boxes/${encodeURIComponent(id)}`, edit),
  /** Labels to print, as a PDF. */
  labels: async (req: LabelRequest) => (await send('POST', '/api/labels', req)).blob(),
  digitisation: async (name: 'ba.pdf' | 'list.pdf' | 'list.csv' | 'list.xlsx', req: Digitisation) =>
    (await send('POST', `/api/digitisation/${name}`, req)).blob(),
  /** What a label opens: the text a scanner typed, or a photo of it. */
  scanLabel: (label: string | Blob) =>
    call<LabelTarget>('POST', '/api/labels/scan', undefined, typeof label === 'string' ? new Blob([label], { type: 'text/plain' }) : label),
  loans: (all = false) => call<LoanReport>('GET', `/api/loans${query({ all: all || undefined })}`),
  lend: (loan: NewLoan) => call<Loan>('POST', '/api/loans', loan),
  returnLoan: (id: string, condition: string, note: string) =>
    call<Loan>('POST', `/api/loans/${encodeURIComponent(id)}/return`, { condition, note }),
  loanSlipUrl: (id: string) => `/api/loans/${encodeURIComponent(id)}/slip.pdf`,
  disposals: () => call<DisposalSummary[]>('GET', '/api/disposals'),
  disposal: (id: string) => call<Disposal>('GET', `/api/disposals/${encodeURIComponent(id)}`),
  propose: (kind: Disposal['kind'], berkas: string[], note: string) =>
    call<Disposal>('POST', '/api/disposals', { kind, berkas, note }),
  disposalStep: (id: string, step: DisposalStep) =>
    call<Disposal>('POST', `/api/disposals/${encodeURIComponent(id)}/steps`, step),
  disposalDocUrl: (id: string, name: 'list.pdf' | 'list.csv' | 'list.xlsx' | 'ba.pdf') =>
    `/api/disposals/${encodeURIComponent(id)}/documents/${name}`,
  disposalBagUrl: (id: string) => `/api/disposals/${encodeURIComponent(id)}/bag.zip`,
  recordHistory: (id: string) => call<AuditEntry[]>('GET', `/api/records/${encodeURIComponent(id)}/history`),
  versions: (id: string) => call<Version[]>('GET', `/api/records/${encodeURIComponent(id)}/versions`),
  versionPages: (id: string, v: number) =>
    call<S['VersionPages']>('GET', `/api/records/${encodeURIComponent(id)}/versions/${v}`),
  /** New scans of a record's paper, in page order; what it held becomes a version. */
  rescan: (id: string, files: File[]) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    return call<S['Replaced']>('POST', `/api/records/${encodeURIComponent(id)}/rescan`, undefined, form);
  },
  reocr: (id: string) => call<S['Replaced']>('POST', `/api/records/${encodeURIComponent(id)}/reocr`),
  restoreVersion: (id: string, v: number) =>
    call<S['Replaced']>('POST', `/api/records/${encodeURIComponent(id)}/versions/${v}/restore`),
  deleteRecord: (id: string) => call<undefined>('DELETE', `/api/records/${encodeURIComponent(id)}`),
  trash: () => call<TrashedRecord[]>('GET', '/api/trash'),
  restore: (id: string) => call<undefined>('POST', `/api/trash/${encodeURIComponent(id)}/restore`),
  users: () => call<UserInfo[]>('GET', '/api/users'),
  addUser: (name: string, role: Role, password: string) =>
    call<UserInfo>('POST', '/api/users', { name, role, password }),
  editUser: (name: string, edit: UserEdit) =>
    call<UserInfo>('PATCH', `/api/users/${encodeURIComponent(name)}`, edit),
};
