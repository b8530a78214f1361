//! Election abbreviations and synonyms (`assets/search/synonyms.txt`, editable):
//! an abbreviation such as "DPT" and the phrase it stands for ("daftar pemilih
//! tetap") find each other.

use std::collections::HashMap;

const SHIPPED: &str = include_str!("../../../../assets/search/synonyms.txt");

#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// abbreviation (exact tokens joined by a space) → phrases (exact tokens)
    expansions: HashMap<String, Vec<Vec<String>>>,
    /// phrase (exact tokens) → abbreviations (exact tokens)
    reverse: Vec<(Vec<String>, Vec<String>)>,
}

impl Synonyms {
    pub fn shipped() -> Synonyms {
        Synonyms::parse(SHIPPED)
    }

    pub fn parse(text: &str) -> Synonyms {
        let mut exact = super::analyzer::query_analyzer();
        let mut s = Synonyms::default();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((left, right)) = line.split_once('=') else {
                continue;
            };
            let abbr = super::analyzer::tokens(&mut exact, left);
            if abbr.is_empty() {
                continue;
            }
            for phrase in right.split('|') {
                let phrase = super::analyzer::tokens(&mut exact, phrase);
                if phrase.is_empty() {
                    continue;
                }
                s.expansions
                    .entry(abbr.join(" "))
                    .or_default()
                    .push(phrase.clone());
                s.reverse.push((phrase, abbr.clone()));
            }
        }
        // Longest phrases first, so "pemilihan kepala daerah" wins over shorter ones.
        s.reverse.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        s
    }

    /// The phrases an abbreviation stands for.
    pub fn expand(&self, tokens: &[String]) -> &[Vec<String>] {
        self.expansions
            .get(&tokens.join(" "))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// A phrase that starts at `words[0]`: its length and its abbreviation.
    pub fn phrase_at(&self, words: &[String]) -> Option<(usize, &[String])> {
        self.reverse
            .iter()
            .find(|(p, _)| p.len() > 1 && words.len() >= p.len() && words[..p.len()] == p[..])
            .map(|(p, a)| (p.len(), a.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn both_directions() {
        let s = Synonyms::shipped();
        assert!(s.expand(&v("dpt")).contains(&v("daftar pemilih tetap")));
        assert_eq!(
            s.phrase_at(&v("berita acara rapat"))
                .map(|(n, a)| (n, a.to_vec())),
            Some((2, v("ba")))
        );
        assert!(s
            .expand(&v("c hasil"))
            .contains(&v("formulir model c hasil")));
    }
}
