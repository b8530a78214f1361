//! The index's Indonesian stemmer agrees with Snowball's reference implementation
//! on 5,000 real words (fixture made by scripts/fixtures/snowball-indonesian.sh).

use arsip_core::index::analyzer::stem_word;
use std::collections::HashMap;

const CASES: &str = include_str!("../fixtures/snowball-indonesian.tsv");

#[test]
fn the_stemmer_agrees_with_snowball_indonesian() {
    let no_overrides = HashMap::new();
    let mut checked = 0;
    let mut changed = 0;
    let mut disagreements = Vec::new();
    for line in CASES.lines().filter(|l| !l.starts_with('#')) {
        let (word, expected) = line.split_once('\t').expect("word<TAB>stem");
        let got = stem_word(word, &no_overrides);
        if got != expected {
            disagreements.push(format!("{word}: snowball {expected}, ours {got}"));
        }
        checked += 1;
        changed += usize::from(word != expected);
    }
    assert!(checked >= 5_000, "fixture holds {checked} words");
    // The fixture is a real test of stemming only if most words carry affixes.
    assert!(
        changed > checked / 2,
        "only {changed} of {checked} words change"
    );
    assert!(
        disagreements.is_empty(),
        "{} of {checked} words disagree:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

#[test]
fn protected_words_are_ones_snowball_would_conflate() {
    // An override that Snowball already gets right is dead weight in the list.
    let snowball = HashMap::new();
    for (word, stem) in arsip_core::index::analyzer::overrides() {
        assert_ne!(
            stem_word(&word, &snowball),
            stem,
            "{word}: the override changes nothing"
        );
    }
}
