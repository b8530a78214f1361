//! Election abbreviations and synonyms (`assets/search/synonyms.txt`, editable):
//! an abbreviation such as "DPT" and the phrase it stands for ("daftar pemilih
//! tetap") find each other.

use std::collections::HashMap;

pub(crate) const SHIPPED: &str = include_str!("../../../../assets/search/synonyms.txt");

#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// abbreviation (exact tokens joined by a space) → phrases (exact tokens)
    expansions: HashMap<String, Vec<Vec<String>>>,
    /// phrase (exact tokens) → abbreviations (exact tokens)
    reverse: Vec<(Vec<String>, Vec<String>)>,
    /// first token → every form of a group (the abbreviation and each of
    /// its phrases, as exact tokens) and the group's key: what indexing
    /// looks for (`keys_in`).
    forms: HashMap<String, Vec<(Vec<String>, String)>>,
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
            let key = abbr.join(" ");
            s.add_form(abbr.clone(), &key);
            for phrase in right.split('|') {
                let phrase = super::analyzer::tokens(&mut exact, phrase);
                if phrase.is_empty() {
                    continue;
                }
                s.add_form(phrase.clone(), &key);
                s.expansions
                    .entry(key.clone())
                    .or_default()
                    .push(phrase.clone());
                s.reverse.push((phrase, abbr.clone()));
            }
        }
        // Longest phrases first, so "pemilihan kepala daerah" wins over shorter ones.
        s.reverse.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        s
    }

    fn add_form(&mut self, tokens: Vec<String>, key: &str) {
        if let Some(first) = tokens.first() {
            let forms = self.forms.entry(first.clone()).or_default();
            if !forms.iter().any(|(t, k)| *t == tokens && k == key) {
                forms.push((tokens, key.to_string()));
            }
        }
    }

    /// The key of a group, as indexing writes it (`keys_in`): the
    /// abbreviation's tokens joined by a space.
    pub fn key(abbr: &[String]) -> String {
        abbr.join(" ")
    }

    /// The groups whose abbreviation or phrases occur in a text, once per
    /// occurrence (overlapping ones too: "komisi pemilihan umum" holds both
    /// KPU and pemilu). `positions` holds the text's exact tokens at each
    /// position (an OCR-bent word and its folded form share one).
    pub fn keys_in(&self, positions: &[Vec<String>]) -> Vec<String> {
        let mut keys = Vec::new();
        // Where each key's last occurrence ends: a phrase counts its group
        // once, not again at a word inside it that is a form of its own
        // ("surat keputusan" and "keputusan" are both SK).
        let mut covered: HashMap<&str, usize> = HashMap::new();
        for (at, here) in positions.iter().enumerate() {
            for token in here {
                let Some(forms) = self.forms.get(token) else {
                    continue;
                };
                for (form, key) in forms {
                    let fits = positions.get(at..at + form.len()).is_some_and(|window| {
                        window
                            .iter()
                            .zip(form)
                            .all(|(tokens, t)| tokens.contains(t))
                    });
                    if !fits {
                        continue;
                    }
                    let end = at + form.len();
                    let until = covered.get(key.as_str()).copied().unwrap_or(0);
                    // Inside an earlier occurrence, a form only stretches it.
                    if until <= at {
                        keys.push(key.clone());
                    }
                    covered.insert(key, end.max(until));
                }
            }
        }
        keys
    }

    /// Every word of a group's forms (to highlight what its key matched).
    pub fn words_of(&self, key: &str) -> Vec<String> {
        let mut words: Vec<String> = self
            .forms
            .values()
            .flatten()
            .filter(|(_, k)| k == key)
            .flat_map(|(form, _)| form.iter().cloned())
            .collect();
        words.sort();
        words.dedup();
        words
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

    #[test]
    fn keys_are_found_where_any_form_occurs() {
        let s = Synonyms::shipped();
        let at = |text: &str| -> Vec<Vec<String>> { text.split(' ').map(v).collect() };
        let mut keys = s.keys_in(&at("rapat komisi pemilihan umum dan ba"));
        keys.sort();
        assert_eq!(keys, v("ba kpu pemilu"));
        // A phrase holding a one-word form of its own group counts once.
        assert_eq!(s.keys_in(&at("surat keputusan")), v("sk"));
        assert_eq!(s.keys_in(&at("keputusan dan sk")), v("sk sk"));
        // A word left out between two (too long to index) is a gap.
        let gap = vec![v("pemilihan"), Vec::new(), v("umum")];
        assert!(s.keys_in(&gap).is_empty());
        // A bent word and its folded form at one position: the form matches.
        let bent = vec![v("pemi1ihan pemilihan"), v("umum")];
        assert_eq!(s.keys_in(&bent), v("pemilu"));
        assert!(s
            .keys_in(&at("pemilihan presiden"))
            .contains(&"pilpres".to_string()));
        assert!(s.keys_in(&at("umum pemilihan")).is_empty());
    }
}
