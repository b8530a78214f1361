//! A typo clause: the words within one or two edits of a typed word, the
//! word itself left out.
//!
//! tantivy's `FuzzyTermQuery` matches the typed word too. For a word most
//! records hold ("bogor", "tahun"), that read the word's whole posting list
//! into a bitset once more per field and segment, only to find documents the
//! exact clause beside it already found: at 1M records it was the largest
//! part of the slowest searches. The exact word has its own clauses (exact
//! and stemmed, ranked higher), so here it is left out of the automaton.

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use std::sync::{Arc, OnceLock};
use tantivy::query::{AutomatonWeight, EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy_fst::Automaton;

/// Words within `distance` edits (a swap of two letters is one) of `word`
/// in `field`, `word` itself excepted.
#[derive(Debug, Clone)]
pub(crate) struct TypoQuery {
    field: Field,
    word: String,
    distance: u8,
}

impl TypoQuery {
    pub fn new(field: Field, word: &str, distance: u8) -> TypoQuery {
        TypoQuery {
            field,
            word: word.to_string(),
            distance: distance.min(2),
        }
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
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let automaton = NotTheWord {
            dfa: builder(self.distance).build_dfa(&self.word),
            word: self.word.as_bytes().to_vec(),
        };
        Ok(Box::new(AutomatonWeight::<NotTheWord>::new(
            self.field,
            Arc::new(automaton),
        )))
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
}
