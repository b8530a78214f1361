// The catalogue fields staff edit, in form order, and which vocabulary each
// draws its choices from.

import type { RecordEdit, RecordView } from '../api/client';
import type { Key } from '../lib/strings';
import type { VocabKind } from '../lib/vocab.svelte';

/** The fields of the form's grid (the reason for a lower class is asked apart, the berkas on the record page). */
export type Field = Exclude<keyof RecordEdit, 'reason' | 'berkas'>;

/** Access classes from public to most restricted, as the core orders them. */
export const ACCESS_ORDER = ['terbuka', 'terbatas', 'rahasia', 'sangat-rahasia'];

export interface FieldSpec {
  name: Field;
  label: Key;
  vocab?: VocabKind;
  input?: 'date' | 'textarea';
  /** Typed, with the vocabulary offered (a classification below the list's codes, PL.01.9). */
  free?: boolean;
  /** Shown in the batch form (fields that differ per record are not). */
  batch: boolean;
}

export const FIELDS: FieldSpec[] = [
  { name: 'title', label: 'field.title', batch: false },
  { name: 'description', label: 'field.description', input: 'textarea', batch: false },
  { name: 'doc_type', label: 'field.doc_type', vocab: 'type', batch: true },
  { name: 'election', label: 'field.election', vocab: 'election', batch: true },
  { name: 'stage', label: 'field.stage', batch: true },
  { name: 'doc_date', label: 'field.doc_date', input: 'date', batch: false },
  { name: 'number', label: 'field.number', batch: false },
  { name: 'region', label: 'field.region', vocab: 'region', batch: true },
  { name: 'tps', label: 'field.tps', batch: false },
  { name: 'classification', label: 'field.classification', vocab: 'classification', free: true, batch: true },
  { name: 'access', label: 'field.access', vocab: 'access', batch: true },
  { name: 'retention', label: 'field.retention', vocab: 'retention', batch: true },
  { name: 'retain_until', label: 'field.retain_until', input: 'date', batch: true },
  { name: 'series', label: 'field.series', batch: true },
  { name: 'building', label: 'field.building', batch: true },
  { name: 'shelf', label: 'field.shelf', batch: true },
  { name: 'box_no', label: 'field.box_no', batch: true },
  { name: 'folder', label: 'field.folder', batch: true },
];

/** A record's current values, as the form shows them. */
export function valuesOf(r: RecordView): Record<Field, string> {
  const v = (s: string | null | undefined): string => s ?? '';
  return {
    title: r.title,
    description: v(r.description),
    doc_type: v(r.doc_type),
    election: v(r.election),
    stage: v(r.stage),
    doc_date: v(r.doc_date),
    number: v(r.number),
    region: v(r.region),
    tps: v(r.tps),
    classification: v(r.classification),
    access: r.access,
    retention: v(r.retention),
    retain_until: v(r.retain_until),
    series: v(r.series),
    building: v(r.location.building),
    shelf: v(r.location.shelf),
    box_no: v(r.location.box_no),
    folder: v(r.location.folder),
  };
}
