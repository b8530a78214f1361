//! The Indonesian analyzer: words split on non-alphanumerics, lowercased,
//! ASCII-folded, then stemmed with Snowball's Indonesian algorithm (via frostem,
//! tantivy's own stemming backend, whose `Language` enum lacks Indonesian) except
//! for the protected words of `assets/search/stem-overrides.txt`, where Snowball
//! would conflate distinct election terms (ketua→tua, pemilu→pilu, pengumuman→umum).
//! The exact analyzer is the same without the stemmer: for numbers, codes and
//! words spelled as typed.

use std::collections::HashMap;
use std::sync::Arc;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

pub const STEMMED: &str = "id_stem";
pub const EXACT: &str = "id_exact";

const OVERRIDES: &str = include_str!("../../../../assets/search/stem-overrides.txt");

/// The protected words: word → the stem stored for it.
pub fn overrides() -> HashMap<String, String> {
    OVERRIDES
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((it.next()?.to_string(), it.next()?.to_string()))
        })
        .collect()
}

pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn stemmed_analyzer(overrides: Arc<HashMap<String, String>>) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(IndonesianStemmer { overrides })
        .build()
}

/// Stems one lowercase, folded word as the index does.
pub fn stem_word(word: &str, overrides: &HashMap<String, String>) -> String {
    if let Some(s) = overrides.get(word) {
        return s.clone();
    }
    if word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_string();
    }
    frostem::Stemmer::new(frostem::Algorithm::Indonesian)
        .stem(word)
        .into_owned()
}

/// Tokens of `text` under an analyzer, in order.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[derive(Clone)]
pub struct IndonesianStemmer {
    overrides: Arc<HashMap<String, String>>,
}

impl TokenFilter for IndonesianStemmer {
    type Tokenizer<T: Tokenizer> = StemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemmerTokenizer<T> {
        StemmerTokenizer {
            overrides: self.overrides,
            inner,
        }
    }
}

#[derive(Clone)]
pub struct StemmerTokenizer<T> {
    overrides: Arc<HashMap<String, String>>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemmerTokenizer<T> {
    type TokenStream<'a> = StemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemmerStream {
            overrides: &self.overrides,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::Indonesian),
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct StemmerStream<'a, S> {
    overrides: &'a HashMap<String, String>,
    stemmer: frostem::Stemmer,
    tail: S,
}

impl<S: TokenStream> TokenStream for StemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(s) = self.overrides.get(&token.text) {
            token.text.clone_from(s);
        } else if !token.text.chars().any(|c| c.is_ascii_digit()) {
            if let std::borrow::Cow::Owned(s) = self.stemmer.stem(&token.text) {
                token.text = s;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let mut a = stemmed_analyzer(Arc::new(overrides()));
        assert_eq!(tokens(&mut a, input), expected, "{input}");
    }

    #[test]
    fn inflected_forms_meet() {
        check("menetapkan", &["tetapkan"]);
        check(
            "penghitungan dihitung menghitung",
            &["hitung", "hitung", "hitung"],
        );
        check("Rekapitulasi", &["rekapitulasi"]);
        check("pemilihnya", &["pilih"]);
    }

    #[test]
    fn protected_words_stay_apart() {
        check("ketua", &["ketua"]);
        check("pemilu", &["pemilu"]);
        check("pengumuman umum", &["umumkan", "umum"]);
        check("penetapan tetap", &["tetapkan", "tetap"]);
    }

    #[test]
    fn numbers_and_codes_are_kept() {
        check(
            "TPS 005 NIK 3271046504930002",
            &["tps", "005", "nik", "3271046504930002"],
        );
        check("Ketetapan", &["tetapkan"]);
    }
}
