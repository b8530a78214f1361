//! The Indonesian analyzer: words split on non-alphanumerics, lowercased,
//! ASCII-folded, then stemmed with Snowball's Indonesian algorithm (via frostem,
//! tantivy's own stemming backend, whose `Language` enum lacks Indonesian) except
//! for the protected words of `assets/search/stem-overrides.txt`, where Snowball
//! would conflate distinct election terms (ketua→tua, pemilu→pilu, pengumuman→umum).
//! The exact analyzer is the same without the stemmer: for numbers, codes and
//! words spelled as typed. What OCR bends (`fold_ocr`) is folded: the index
//! adds the fold beside the token, a query folds its words (see `OcrFold`).

use std::collections::HashMap;
use std::sync::Arc;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

pub const STEMMED: &str = "id_stem";
pub const EXACT: &str = "id_exact";

pub(crate) const OVERRIDES: &str = include_str!("../../../../assets/search/stem-overrides.txt");

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

/// The exact analyzer of the index (and of text compared with a query:
/// snippets, a page's words): bent tokens kept, their folded forms added.
pub fn exact_analyzer() -> TextAnalyzer {
    exact(true)
}

/// The exact analyzer of what people type: see `OcrFold`.
pub fn query_analyzer() -> TextAnalyzer {
    exact(false)
}

fn exact(index: bool) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(OcrFold { index })
        .build()
}

pub fn stemmed_analyzer(overrides: Arc<HashMap<String, String>>) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(OcrFold { index: true })
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

/// A lowercase token as OCR may have bent it, put back:
/// - a Roman numeral read with a `1` (`111`, `I11`, `V11` for III, VII: the
///   month of a document number, `…/KPU-Kab/III/2024`) becomes the numeral
///   (`iii`, `vii`); whether a query's number is folded is `OcrFold`'s;
/// - a word with a stray `0`, `1` or `5` among four or more letters
///   (`rekapitu1asi`, `pemi1ihan`, `5urat`) becomes the word.
///
/// Codes keep their digits: `pl`, `01`, `3271kec`, `c1`, a NIK.
pub fn fold_ocr(token: &str) -> Option<String> {
    let roman = (2..=4).contains(&token.len())
        && token
            .chars()
            .all(|c| matches!(c, 'i' | 'l' | '1' | 'v' | 'x'))
        && token.contains('1');
    if roman {
        return Some(token.replace(['l', '1'], "i"));
    }
    let chars: Vec<char> = token.chars().collect();
    let letters = chars.iter().filter(|c| c.is_ascii_lowercase()).count();
    let digits = chars.iter().filter(|c| c.is_ascii_digit()).count();
    // Each digit inside the word (two letters on each side), or first with
    // three letters after it: `penanda0x0` or `abc1` stay codes.
    let lettered = |r: std::ops::Range<usize>| {
        chars
            .get(r)
            .is_some_and(|s| s.iter().all(char::is_ascii_lowercase))
    };
    let bent = letters >= 4
        && digits >= 1
        && letters + digits == chars.len()
        && chars.iter().enumerate().all(|(i, c)| {
            !c.is_ascii_digit()
                || (matches!(c, '0' | '1' | '5')
                    && if i == 0 {
                        lettered(1..4)
                    } else {
                        i >= 2 && lettered(i - 2..i) && lettered(i + 1..i + 3)
                    })
        });
    bent.then(|| {
        token
            .chars()
            .map(|c| match c {
                '0' => 'o',
                '1' => 'l',
                '5' => 's',
                c => c,
            })
            .collect()
    })
}

/// `fold_ocr` in the token stream. In the index (`index`), a bent token is
/// kept and its folded form added at the same position, so either finds the
/// text. In a query, only a token with letters is folded (`pemi1ihan`,
/// `V11`); a number typed finds that number: `11` never finds `II` (a
/// Dapil II is not Dapil 11), though `II` finds a `11` that OCR bent.
#[derive(Clone)]
pub struct OcrFold {
    pub index: bool,
}

impl TokenFilter for OcrFold {
    type Tokenizer<T: Tokenizer> = OcrFoldTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> OcrFoldTokenizer<T> {
        OcrFoldTokenizer {
            inner,
            index: self.index,
        }
    }
}

#[derive(Clone)]
pub struct OcrFoldTokenizer<T> {
    inner: T,
    index: bool,
}

impl<T: Tokenizer> Tokenizer for OcrFoldTokenizer<T> {
    type TokenStream<'a> = OcrFoldStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        OcrFoldStream {
            inner: self.inner.token_stream(text),
            index: self.index,
            added: None,
            on_added: false,
            current: Token::default(),
        }
    }
}

pub struct OcrFoldStream<S> {
    inner: S,
    index: bool,
    /// The folded form still to be given, at the original's position.
    added: Option<Token>,
    on_added: bool,
    current: Token,
}

impl<S: TokenStream> TokenStream for OcrFoldStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(token) = self.added.take() {
            self.current = token;
            self.on_added = true;
            return true;
        }
        self.on_added = false;
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        if let Some(folded) = fold_ocr(&token.text) {
            if self.index {
                let mut added = token.clone();
                added.text = folded;
                self.added = Some(added);
            } else if token.text.chars().any(|c| c.is_ascii_alphabetic()) {
                token.text = folded;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        if self.on_added {
            &self.current
        } else {
            self.inner.token()
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.on_added {
            &mut self.current
        } else {
            self.inner.token_mut()
        }
    }
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

/// Tokens of `text` under an analyzer, grouped by position: a filter that
/// adds a form (an OCR-bent word's folded one) adds it at the same position.
pub fn tokens_by_position(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    let mut last = usize::MAX;
    while stream.advance() {
        let token = stream.token();
        if token.position == last {
            if let Some(here) = out.last_mut() {
                here.push(token.text.clone());
            }
        } else {
            // A token a filter dropped (too long) leaves its position empty,
            // so no phrase is found across it.
            while out.len() < token.position {
                out.push(Vec::new());
            }
            out.push(vec![token.text.clone()]);
        }
        last = token.position;
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

    #[test]
    fn what_ocr_bends_meets_what_was_printed() {
        let finds = |query: &str, text: &str| {
            let q = tokens(&mut query_analyzer(), query);
            let t = tokens(&mut exact_analyzer(), text);
            q.iter().all(|w| t.contains(w))
        };
        // Typed with OCR's confusions, or read with them: either way.
        assert!(finds(
            "rekapitu1asi pemi1ihan 5urat",
            "rekapitulasi pemilihan surat"
        ));
        assert!(finds(
            "rekapitulasi pemilihan surat",
            "rekapitu1asi pemi1ihan 5urat"
        ));
        assert!(finds("417/KPU-Kab/III/2024", "417/KPU-Kab/111/2024"));
        assert!(finds("VII XII IV", "V11 X11 1V"));
        assert!(finds("111", "111 suara"));
        // A number typed is that number, and a name stays a name.
        assert!(!finds("11", "Dapil II"));
        assert!(!finds("1111", "Ibu Lili Suryani"));
        assert!(!finds("lili", "1111"));
        check("Rekapitu1asi", &["rekapitu1asi", "rekapitulasi"]);
        // Codes and numbers keep their digits.
        let kept = tokens(
            &mut query_analyzer(),
            "PL.01.9 3271kec C1 2024 3271046504930002 tps005",
        );
        assert_eq!(
            kept,
            [
                "pl",
                "01",
                "9",
                "3271kec",
                "c1",
                "2024",
                "3271046504930002",
                "tps005"
            ]
        );
        assert_eq!(fold_ocr("bogor"), None);
        assert_eq!(fold_ocr("vi"), None, "a numeral as printed stays");
        assert_eq!(fold_ocr("penanda0x0"), None, "a marker, not a bent word");
    }
}
