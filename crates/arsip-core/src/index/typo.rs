//! A typo clause: the words within one or two edits of a typed word, the
//! word itself left out.
//!
//! tantivy's `FuzzyTermQuery` matches the typed word too. For a word most
//! records hold ("bogor", "tahun"), that read the word's whole posting list
//! into a bitset once more per field and segment, only to find documents the
//! exact clause beside it already found: at 1M records it was the largest
//! part of the slowest searches. The exact word has its own clauses (exact
//! and stemmed, ranked higher), so here it is left out of the automaton.

use super::analyzer::stem_word;
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};
use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, Term};
use tantivy_fst::Automaton;

/// Words within `distance` edits (a swap of two letters is one) of `word`
/// in `field`; left out are `word` itself, other words (`is_another_word`),
/// and, given the protected stems (`stemmed`) when a stemmed clause beside
/// this one searches the same text, the words of `word`'s stem
/// ("perhitungan" near "penghitungan": that clause finds them already).
#[derive(Debug, Clone)]
pub(crate) struct TypoQuery {
    field: Field,
    word: String,
    distance: u8,
    stemmed: Option<Arc<HashMap<String, String>>>,
}

impl TypoQuery {
    pub fn new(
        field: Field,
        word: &str,
        distance: u8,
        stemmed: Option<Arc<HashMap<String, String>>>,
    ) -> TypoQuery {
        TypoQuery {
            field,
            word: word.to_string(),
            distance: distance.min(2),
            stemmed,
        }
    }

    /// Whether a near word is the typed word's stem's (see `stemmed`).
    fn same_stem(&self, near: &str) -> bool {
        self.stemmed
            .as_ref()
            .is_some_and(|o| stem_word(near, o) == stem_word(&self.word, o))
    }
}

/// Building the automaton builder for a distance takes milliseconds: once.
fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    let cell = if distance <= 1 { &ONE } else { &TWO };
    cell.get_or_init(|| LevenshteinAutomatonBuilder::new(distance.max(1), true))
}

impl Query for TypoQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let automaton = NotTheWord {
            dfa: builder(self.distance).build_dfa(&self.word),
            word: self.word.as_bytes().to_vec(),
        };
        let Some(searcher) = scoring.searcher() else {
            // No counts to tell other words by: every near word, segment
            // by segment.
            return Ok(Box::new(TypoWeight {
                field: self.field,
                near: Near::Any(automaton, self.clone()),
            }));
        };
        // Each near word, with how many records hold it, over all segments.
        let typed = searcher.doc_freq(&Term::from_field_text(self.field, &self.word))?;
        let mut near: BTreeMap<String, u64> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(self.field)?;
            let mut terms = index.terms().search(&automaton).into_stream()?;
            while terms.advance() {
                if let Ok(word) = std::str::from_utf8(terms.key()) {
                    *near.entry(word.to_string()).or_insert(0) += u64::from(terms.value().doc_freq);
                }
            }
        }
        let words = near
            .into_iter()
            .filter(|(word, held)| !is_another_word(typed, *held) && !self.same_stem(word))
            .map(|(word, _)| Term::from_field_text(self.field, &word))
            .collect();
        Ok(Box::new(TypoWeight {
            field: self.field,
            near: Near::Chosen(words),
        }))
    }
}

/// A near word is another word, not a misreading or a mistyping of the
/// typed one, when both are held by at least this many records and the
/// near word by at least a tenth as many as the typed one ("pemilih",
/// voter, beside "pemilihan", election). An OCR misreading is rare beside
/// the word it bends ("pemi1u" beside "pemilu"); a typed misspelling is held
/// by few records or none ("reakpitulasi").
///
/// The counts are the index's, over every access class (as BM25's are, by
/// which every search ranks): whether a near word counts as another word
/// can depend on records the caller may not read. What that tells is
/// whether some 50 records hold a word, never which.
const A_WORD: u64 = 50;

fn is_another_word(typed: u64, near: u64) -> bool {
    typed >= A_WORD && near >= A_WORD && near.saturating_mul(10) >= typed
}

/// As tantivy's `AutomatonWeight` (a bitset of every document holding a
/// near word, one score for all), over the near words chosen; a segment
/// holding none gives an `EmptyScorer` (see the module docs).
struct TypoWeight {
    field: Field,
    near: Near,
}

enum Near {
    /// Chosen in `weight`, from counts over every segment.
    Chosen(Vec<Term>),
    /// No searcher to count with: every near word of each segment.
    Any(NotTheWord, TypoQuery),
}

impl Weight for TypoWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let index = reader.inverted_index(self.field)?;
        let mut infos = Vec::new();
        match &self.near {
            Near::Chosen(words) => {
                for word in words {
                    infos.extend(index.get_term_info(word)?);
                }
            }
            Near::Any(automaton, query) => {
                let mut terms = index.terms().search(automaton).into_stream()?;
                while terms.advance() {
                    let same = std::str::from_utf8(terms.key()).is_ok_and(|w| query.same_stem(w));
                    if !same {
                        infos.push(terms.value().clone());
                    }
                }
            }
        }
        if infos.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let mut docs = BitSet::with_max_value(reader.max_doc());
        for info in &infos {
            let mut postings =
                index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            while !postings.docs().is_empty() {
                for &doc in postings.docs() {
                    docs.insert(doc);
                }
                postings.advance();
            }
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("TypoScorer", scorer.score()))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} holds no near word"
            )))
        }
    }
}

/// The Levenshtein automaton, and how much of the word itself the bytes
/// so far spell (None once they leave it).
struct NotTheWord {
    dfa: DFA,
    word: Vec<u8>,
}

impl Automaton for NotTheWord {
    type State = (u32, Option<usize>);

    fn start(&self) -> Self::State {
        (self.dfa.initial_state(), Some(0))
    }

    fn is_match(&self, state: &Self::State) -> bool {
        matches!(self.dfa.distance(state.0), Distance::Exact(_)) && state.1 != Some(self.word.len())
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.0 != SINK_STATE
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let spelled = state
            .1
            .and_then(|i| (self.word.get(i) == Some(&byte)).then_some(i + 1));
        (self.dfa.transition(state.0, byte), spelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(a: &NotTheWord, text: &str) -> bool {
        let mut s = a.start();
        for b in text.bytes() {
            s = a.accept(&s, b);
        }
        a.is_match(&s)
    }

    #[test]
    fn near_words_match_and_the_word_itself_does_not() {
        let a = NotTheWord {
            dfa: builder(1).build_dfa("bogor"),
            word: b"bogor".to_vec(),
        };
        assert!(!matches(&a, "bogor"));
        for near in ["bogar", "bgoor", "bogo", "bogorr"] {
            assert!(matches(&a, near), "{near}");
        }
        assert!(!matches(&a, "depok"));
    }

    /// Documents holding one word each (`copies` of each), in one segment;
    /// the words of the documents a typo query finds (each once), and
    /// whether its scorer was empty.
    fn found(words: &[(&str, usize)], typed: &str) -> (Vec<String>, bool) {
        use tantivy::schema::{Schema, STORED, STRING};
        let mut schema = Schema::builder();
        let field = schema.add_text_field("w", STRING | STORED);
        let index = tantivy::Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for (w, copies) in words {
            for _ in 0..*copies {
                writer
                    .add_document(tantivy::doc!(field => *w))
                    .expect("add");
            }
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let query = TypoQuery::new(
            field,
            typed,
            2,
            Some(Arc::new(crate::index::analyzer::overrides())),
        );
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .expect("weight");
        let segment = &searcher.segment_readers()[0];
        let mut scorer = weight.scorer(segment, 1.0).expect("scorer");
        let empty = scorer.is::<EmptyScorer>();
        let store = segment.get_store_reader(1).expect("store");
        let mut out = Vec::new();
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED {
            let d: tantivy::TantivyDocument = store.get(doc).expect("doc");
            let word = tantivy::Document::to_json(&d, &index.schema());
            if !out.contains(&word) {
                out.push(word);
            }
            doc = scorer.advance();
        }
        (out, empty)
    }

    #[test]
    fn near_words_of_the_typed_words_stem_or_other_words_are_left_out() {
        // "perhitungan" is two edits from "penghitungan" and of its stem
        // ("hitung"): the stemmed clause finds it, so the typo clause does not.
        let words = [("perhitungan", 1), ("penghitungn", 1), ("penghitungan", 1)];
        let (hits, empty) = found(&words, "penghitungan");
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(hits[0].contains("penghitungn"), "{hits:?}");
        assert!(!empty);
        // "pemilih" (voter) is kept apart from "pemilihan" (election) by the
        // protected stems; held by many records it is another word, not a
        // misreading, while a rare near form is one.
        let words = [("pemilihan", 400), ("pemilih", 60), ("pemiiihan", 2)];
        let (hits, _) = found(&words, "pemilihan");
        assert!(hits.len() == 1 && hits[0].contains("pemiiihan"), "{hits:?}");
        let (hits, _) = found(&[("pemilihan", 400), ("pemilih", 30)], "pemilihan");
        assert!(hits.len() == 1 && hits[0].contains("pemilih"), "{hits:?}");
        // A misspelling typed finds the word, however common.
        let (hits, _) = found(&[("rekapitulasi", 400)], "reakpitulasi");
        assert_eq!(hits.len(), 1, "{hits:?}");
        // No near word in the segment: an empty scorer, which a boolean
        // query drops (the term union stays specialised).
        let (hits, empty) = found(&[("perhitungan", 1), ("penghitungan", 1)], "penghitungan");
        assert!(hits.is_empty() && empty, "{hits:?}");
    }
}
