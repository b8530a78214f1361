// Names for the codes the archive stores (document types, elections, regions,
// access classes), loaded once, in the chosen language.

import { api, type Term, type Vocabularies } from '../api/client';
import { prefs } from './prefs.svelte';

export type VocabKind = 'type' | 'election' | 'region' | 'access' | 'retention' | 'classification';

class Vocab {
  data = $state<Vocabularies | null>(null);
  private loading: Promise<void> | null = null;

  load(): Promise<void> {
    this.loading ??= api
      .vocabularies()
      .then((v) => {
        this.data = v;
      })
      .catch(() => {
        this.loading = null;
      });
    return this.loading;
  }

  terms(kind: VocabKind): Term[] {
    const d = this.data;
    if (!d) return [];
    return kind === 'type' ? d.doc_type : d[kind];
  }

  /** The name of a code; the code itself when the vocabulary lacks it. */
  label(kind: VocabKind | 'year' | 'series' | 'office', code: string | null | undefined): string {
    if (!code) return '';
    if (kind === 'year' || kind === 'series' || kind === 'office') return code;
    const term = this.terms(kind).find((t) => t.code === code);
    if (!term) return code;
    return prefs.lang === 'en' ? term.name_en : term.name_id;
  }
}

export const vocab = new Vocab();
