//! Queries: Indonesian words as people type them. Every word must match, in its
//! exact form (ranked first), its stem, a synonym, or (for longer words) with a
//! typo; quoted text is a phrase. The caller's clearance is a filter inside the
//! query, so hits, counts and facets never include what it may not see.

use super::facet_tally::FacetTally;
use super::typo::TypoQuery;
use super::{analyzer, synonyms, Fields, SearchIndex};
use crate::access::Clearance;
use crate::error::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Bound;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Score, TantivyDocument, Term};

/// Facet filters; each narrows the results.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub doc_type: Option<String>,
    pub election: Option<String>,
    pub year: Option<u32>,
    /// A region code; records in it or any region below it match.
    pub region: Option<String>,
    pub access: Option<String>,
    pub series: Option<String>,
    /// The office a record belongs to (at a province: each office's name).
    pub office: Option<String>,
    /// The berkas a record is filed in (its id).
    pub berkas: Option<String>,
}

impl Filters {
    /// The filters set, as the audit trail records them: `type=sk berkas=…`.
    pub fn described(&self) -> String {
        let year = self.year.map(|y| y.to_string());
        [
            ("type", &self.doc_type),
            ("election", &self.election),
            ("year", &year),
            ("region", &self.region),
            ("access", &self.access),
            ("series", &self.series),
            ("office", &self.office),
            ("berkas", &self.berkas),
        ]
        .into_iter()
        // Ids as they are (the trail hides a berkas the reader may not
        // read by its id); names quoted.
        .filter_map(|(k, v)| {
            v.as_ref().map(|v| match k {
                "berkas" | "year" => format!("{k}={v}"),
                _ => format!("{k}={v:?}"),
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
    }
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub limit: usize,
    pub offset: usize,
    pub filters: Filters,
}

impl SearchRequest {
    pub fn new(text: impl Into<String>) -> SearchRequest {
        SearchRequest {
            text: text.into(),
            limit: 20,
            offset: 0,
            filters: Filters::default(),
        }
    }

    /// Refuses a search too long to answer quickly: a pasted page of text
    /// costs seconds of the server every time it is sent.
    pub fn check_cost(&self) -> Result<()> {
        // tantivy allocates room for offset + limit hits up front: a huge
        // offset asked by anyone would take the server down.
        if self.offset > MAX_OFFSET || self.limit > MAX_HITS {
            return Err(crate::error::Error::new(
                crate::error::ErrorCode::InvalidInput,
                format!("offset at most {MAX_OFFSET}, limit at most {MAX_HITS}"),
            ));
        }
        let words = self.text.split_whitespace().count();
        if self.text.chars().count() > MAX_QUERY_CHARS || words > MAX_QUERY_WORDS {
            return Err(crate::error::Error::new(
                crate::error::ErrorCode::QueryTooLong,
                format!("{} characters, {words} words", self.text.chars().count()),
            ));
        }
        Ok(())
    }
}

/// The furthest page of results a search may ask for, and the most hits.
pub const MAX_OFFSET: usize = 10_000;
pub const MAX_HITS: usize = 10_000;
/// The longest search accepted, in characters and in words.
pub const MAX_QUERY_CHARS: usize = 500;
pub const MAX_QUERY_WORDS: usize = 32;

/// One hit as the index knows it; the archive adds snippets, pages and files.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub score: f32,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Counts per facet value, over everything the caller may see that matched.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Facets {
    #[serde(rename = "type")]
    pub doc_type: Vec<FacetCount>,
    pub election: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub region: Vec<FacetCount>,
    pub access: Vec<FacetCount>,
    pub series: Vec<FacetCount>,
    pub office: Vec<FacetCount>,
    /// The berkas the records are filed in, each named: only berkas the
    /// caller may read (the public, none).
    pub berkas: Vec<BerkasCount>,
}

/// A berkas and how many of the results are filed in it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct BerkasCount {
    /// Its id: the value a search filters on.
    pub value: String,
    pub number: String,
    pub title: String,
    /// The office that sent it (at a province, where numbers repeat from
    /// office to office); None for this archive's own.
    pub office: Option<String>,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// Highlighting for one query: one generator per analyzer, since stemmed and
/// exact terms match different token streams.
pub struct Highlighter {
    stemmed: SnippetGenerator,
    exact: SnippetGenerator,
}

/// A snippet: a text fragment and the byte ranges in it to highlight.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

impl Highlighter {
    /// The best snippet of `text`, or None when no query word occurs in it.
    pub fn snippet(&self, text: &str) -> Option<Snippet> {
        let a = self.stemmed.snippet(text);
        let b = self.exact.snippet(text);
        let best = if b.highlighted().len() > a.highlighted().len() {
            b
        } else {
            a
        };
        if best.highlighted().is_empty() {
            return None;
        }
        Some(Snippet {
            text: best.fragment().to_string(),
            highlights: best
                .highlighted()
                .iter()
                .map(|r| (r.start, r.end))
                .collect(),
        })
    }
}

const SNIPPET_CHARS: usize = 180;

/// The facets every search counts.
pub const FACET_ROOTS: [&str; 8] = [
    "/type",
    "/election",
    "/year",
    "/access",
    "/series",
    "/office",
    "/region",
    "/berkas",
];

impl SearchIndex {
    /// `unsettled`: records the index may hold in a state the catalogue has
    /// left (see `catch_up`): neither found nor counted.
    pub fn search(
        &self,
        req: &SearchRequest,
        clearance: &Clearance,
        unsettled: &[String],
    ) -> Result<(SearchResults, Highlighter)> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let text_query = self.parse(&req.text, !clearance.masks_personal_data());
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        // The clearance, inside the query. (Terms for the classes left out,
        // as MustNot clauses, measured no faster at 100k or 1M records.)
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(f.access, 0)),
                Bound::Included(Term::from_field_u64(f.access, clearance.max_level().rank())),
            )),
        ));
        let facet_filters = [
            ("type", &req.filters.doc_type),
            ("election", &req.filters.election),
            ("access", &req.filters.access),
            ("series", &req.filters.series),
            ("office", &req.filters.office),
            ("berkas", &req.filters.berkas),
        ];
        for (root, value) in facet_filters {
            if let Some(v) = value {
                clauses.push((
                    Occur::Must,
                    facet_query(f, Facet::from_path([root, v.as_str()])),
                ));
            }
        }
        if let Some(y) = req.filters.year {
            clauses.push((
                Occur::Must,
                facet_query(f, Facet::from_path(["year", &y.to_string()])),
            ));
        }
        // A region is a code ("32.71.01"): anything else matches nothing, and
        // is neither counted nor kept among the facet maps.
        let region = req.filters.region.as_deref().filter(|r| is_region_code(r));
        if let Some(region) = region {
            clauses.push((Occur::Must, facet_query(f, region_facet(region))));
        } else if req.filters.region.is_some() {
            clauses.push((Occur::Must, Box::new(EmptyQuery)));
        }
        // A filter value holding a long number (a series named after a
        // person) matches nothing for a masked clearance: facets show such
        // names masked, and a filter must not tell whether one exists.
        let filters = &req.filters;
        let typed = [
            &filters.doc_type,
            &filters.election,
            &filters.region,
            &filters.access,
            &filters.series,
            &filters.office,
        ];
        if clearance.masks_personal_data()
            && typed
                .iter()
                .any(|v| v.as_deref().is_some_and(crate::privacy::has_long_number))
        {
            clauses.push((Occur::Must, Box::new(EmptyQuery)));
        }
        if !unsettled.is_empty() {
            clauses.push((
                Occur::MustNot,
                Box::new(TermSetQuery::new(
                    unsettled.iter().map(|id| Term::from_field_text(f.id, id)),
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);

        let region_root = region.map(region_facet);
        // With a region chosen its children are counted instead of the top
        // level (a root may not lie below another). The public has no
        // berkas: not counted for it.
        let mut roots: Vec<Facet> = FACET_ROOTS
            .iter()
            .filter(|root| {
                !((**root == "/region" && region_root.is_some())
                    || (**root == "/berkas" && clearance.is_public()))
            })
            .map(|root| Facet::from(*root))
            .collect();
        roots.extend(region_root.clone());
        self.tally_maps.retain_segments(&searcher);
        let tally = FacetTally::new("facets", roots.clone(), &self.tally_maps);
        let top = TopDocs::with_limit(req.limit.max(1))
            .and_offset(req.offset)
            .order_by_score();
        let (docs, tallies) = searcher.search(&query, &(top, tally))?;
        let total = tallies.total;
        let mut hits = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            hits.push(self.hit(&searcher, score, addr)?);
        }
        if req.limit == 0 {
            hits.clear();
        }
        let counts = |root: &str| -> Vec<FacetCount> {
            let root = Facet::from(root);
            let Some(i) = roots.iter().position(|r| *r == root) else {
                return Vec::new();
            };
            let mut v: Vec<FacetCount> = tallies
                .of_root(i)
                .map(|(value, count)| FacetCount {
                    value: value.to_string(),
                    count,
                })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            v
        };
        let region_counts = match &region_root {
            Some(r) => counts(&r.to_string()),
            None => counts("/region"),
        };
        let results = SearchResults {
            total,
            hits,
            facets: Facets {
                doc_type: counts("/type"),
                election: counts("/election"),
                year: counts("/year"),
                region: region_counts,
                access: counts("/access"),
                series: counts("/series"),
                office: counts("/office"),
                // Named by the archive, which knows who may read which.
                berkas: counts("/berkas")
                    .into_iter()
                    .map(|c| BerkasCount {
                        value: c.value,
                        number: String::new(),
                        title: String::new(),
                        office: None,
                        count: c.count,
                    })
                    .collect(),
            },
        };
        Ok((results, self.highlighter(text_query.as_ref())?))
    }

    fn hit(&self, searcher: &tantivy::Searcher, score: Score, addr: DocAddress) -> Result<Hit> {
        let d: TantivyDocument = searcher.doc(addr)?;
        let get = |field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        Ok(Hit {
            id: get(self.fields.id),
            title: get(self.fields.title),
            score,
        })
    }

    fn highlighter(&self, query: &dyn Query) -> Result<Highlighter> {
        let f = self.fields;
        let mut stemmed = BTreeMap::new();
        let mut exact = BTreeMap::new();
        query.query_terms(&mut |term, _| {
            let value = term.value();
            let Some(text) = value.as_str() else {
                return;
            };
            if term.field() == f.body || term.field() == f.title {
                stemmed.insert(text.to_string(), 1.0);
            } else if term.field() == f.body_exact
                || term.field() == f.title_exact
                || term.field() == f.pii
            {
                exact.insert(text.to_string(), 1.0);
            } else if term.field() == f.syn || term.field() == f.syn_title {
                for word in self.synonyms.words_of(text) {
                    exact.insert(word, 1.0);
                }
            }
        });
        Ok(Highlighter {
            stemmed: SnippetGenerator::new(
                stemmed,
                analyzer::stemmed_analyzer(self.overrides.clone()),
                f.body,
                SNIPPET_CHARS,
            ),
            exact: SnippetGenerator::new(
                exact,
                analyzer::exact_analyzer(),
                f.body_exact,
                SNIPPET_CHARS,
            ),
        })
    }

    /// Turns what a person typed into a query (see the module docs).
    /// Long numbers (a NIK typed plainly, with separators or as OCR bent it)
    /// are taken out first: for cleared roles they match the `pii` field,
    /// for the public they match nothing, so a search cannot tell anyone
    /// whether a person's number is in the archive.
    pub(crate) fn parse(&self, text: &str, personal_data: bool) -> Box<dyn Query> {
        let mut exact = analyzer::query_analyzer();
        let mut groups: Vec<Box<dyn Query>> = Vec::new();
        let mut rest = String::with_capacity(text.len());
        let mut last = 0;
        for run in crate::privacy::number_runs(text) {
            rest.push_str(text.get(last..run.range.start).unwrap_or_default());
            rest.push(' ');
            last = run.range.end;
            groups.push(self.number_clause(&run, personal_data));
        }
        rest.push_str(text.get(last..).unwrap_or_default());
        for (i, part) in rest.split('"').enumerate() {
            if i % 2 == 1 {
                let tokens = analyzer::tokens(&mut exact, part);
                if !tokens.is_empty() {
                    groups.push(self.phrase_clause(&tokens, 1.0));
                }
                continue;
            }
            let words: Vec<String> = part
                .split_whitespace()
                .flat_map(|w| {
                    let t = analyzer::tokens(&mut exact, w);
                    // "C.Hasil" or "123/PL.01": keep the pieces together as one word.
                    if t.len() > 1 {
                        vec![t.join(" ")]
                    } else {
                        t
                    }
                })
                .collect();
            let mut j = 0;
            while j < words.len() {
                let rest: Vec<String> = words[j..]
                    .iter()
                    .flat_map(|w| w.split(' ').map(str::to_string))
                    .collect();
                if let Some((len, abbr)) = self.synonyms.phrase_at(&rest) {
                    // A phrase with an abbreviation: "berita acara" also
                    // finds "BA"; both are one term of `syn`.
                    if let Some(consumed) = count_words(&words[j..], len) {
                        groups.push(self.synonym_clause(abbr));
                        j += consumed;
                        continue;
                    }
                }
                let tokens: Vec<String> = words[j].split(' ').map(str::to_string).collect();
                groups.push(self.word_clause(&tokens));
                j += 1;
            }
        }
        if groups.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(
            groups.into_iter().map(|g| (Occur::Must, g)).collect(),
        ))
    }

    /// A long number typed in a search (see `parse`).
    fn number_clause(
        &self,
        run: &crate::privacy::NumberRun,
        personal_data: bool,
    ) -> Box<dyn Query> {
        if !personal_data {
            return Box::new(EmptyQuery);
        }
        let alts: Vec<(Occur, Box<dyn Query>)> = run
            .numbers
            .iter()
            .chain(std::iter::once(&run.digits))
            .map(|n| -> (Occur, Box<dyn Query>) {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.pii, n),
                        IndexRecordOption::WithFreqs,
                    )),
                )
            })
            .collect();
        Box::new(BooleanQuery::new(alts))
    }

    /// One typed word (one or more exact tokens): exact, stemmed, synonyms, typos.
    fn word_clause(&self, tokens: &[String]) -> Box<dyn Query> {
        let f = self.fields;
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // An abbreviation is its group: "pemilu" finds "Pemilihan Umum" as
        // it finds itself, ranked by the group alone. Its own forms are not
        // ranked (written out it is rarer than the phrase, and would outrank
        // a title holding the phrase, at any weight: the group is in nearly
        // every record, so its rank weighs little), but still found:
        // "pemilunya", and an OCR-bent "pemi1u" by its typo clause.
        let grouped = !self.synonyms.expand(tokens).is_empty();
        if grouped {
            alts.push((Occur::Should, self.synonym_clause(tokens)));
        }
        let weigh = |q: Box<dyn Query>, boost: f32| -> (Occur, Box<dyn Query>) {
            let q: Box<dyn Query> = if grouped {
                Box::new(ConstScoreQuery::new(q, 0.0))
            } else {
                Box::new(BoostQuery::new(q, boost))
            };
            (Occur::Should, q)
        };
        if tokens.len() > 1 {
            if !grouped {
                alts.push((Occur::Should, self.phrase_clause(tokens, 2.0)));
            }
        } else if let Some(word) = tokens.first() {
            let stem = analyzer::stem_word(word, &self.overrides);
            let term = |field, t: &str| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                ))
            };
            // A word that is its own stem: every page holding it holds its
            // stem, so the exact body finds nothing more and is not read;
            // the stemmed body weighs as both would (an inflected form,
            // "bogornya", then ranks as the word). Measured at 1M records:
            // for words nearly every record holds ("kota bogor tahun"),
            // scoring every posting was a third of the search. The exact
            // title stays: it holds the metadata too, which the stemmed
            // title does not.
            let own_stem = stem == *word;
            if !grouped {
                alts.push(weigh(term(f.title_exact, word), 4.0));
                if !own_stem {
                    alts.push(weigh(term(f.body_exact, word), 2.0));
                }
            }
            alts.push(weigh(term(f.title, &stem), 2.0));
            alts.push(weigh(term(f.body, &stem), if own_stem { 3.0 } else { 1.0 }));
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            if letters >= 5 && letters == word.chars().count() {
                let distance = if letters >= 9 { 2 } else { 1 };
                // The body's near words of the word's stem are the stemmed
                // body's already; the exact title holds metadata the
                // stemmed title does not.
                let stemmed_too = Some(self.overrides.clone());
                for (field, boost, stemmed) in
                    [(f.body_exact, 0.3, stemmed_too), (f.title_exact, 0.5, None)]
                {
                    alts.push(weigh(
                        Box::new(TypoQuery::new(field, word, distance, stemmed)),
                        boost,
                    ));
                }
            }
        }
        Box::new(BooleanQuery::new(alts))
    }

    /// Where a synonym group occurs, in any of its forms (`syn`), a title
    /// first (`syn_title`).
    fn synonym_clause(&self, abbr: &[String]) -> Box<dyn Query> {
        let key = synonyms::Synonyms::key(abbr);
        let alts: Vec<(Occur, Box<dyn Query>)> =
            [(self.fields.syn_title, 4.0), (self.fields.syn, 2.0)]
                .into_iter()
                .map(|(field, boost)| -> (Occur, Box<dyn Query>) {
                    let q = TermQuery::new(
                        Term::from_field_text(field, &key),
                        IndexRecordOption::WithFreqs,
                    );
                    (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
                })
                .collect();
        Box::new(BooleanQuery::new(alts))
    }

    fn phrase_clause(&self, tokens: &[String], boost: f32) -> Box<dyn Query> {
        let f = self.fields;
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, b) in [(f.body_exact, boost), (f.title_exact, boost * 2.0)] {
            let q: Box<dyn Query> = if tokens.len() == 1 {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &tokens[0]),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(
                    tokens
                        .iter()
                        .map(|t| Term::from_field_text(field, t))
                        .collect(),
                ))
            };
            alts.push((Occur::Should, Box::new(BoostQuery::new(q, b))));
        }
        Box::new(BooleanQuery::new(alts))
    }
}

/// How many typed words cover the first `tokens` tokens exactly, if they do.
fn count_words(words: &[String], tokens: usize) -> Option<usize> {
    let mut seen = 0;
    for (i, w) in words.iter().enumerate() {
        seen += w.split(' ').count();
        if seen == tokens {
            return Some(i + 1);
        }
        if seen > tokens {
            return None;
        }
    }
    None
}

fn facet_query(f: Fields, facet: Facet) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(f.facets, &facet),
        IndexRecordOption::Basic,
    ))
}

/// A region code as the vocabulary writes them: up to four parts of digits.
fn is_region_code(code: &str) -> bool {
    code.len() <= 20
        && code.split('.').count() <= 4
        && code
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The facet of a region code: /region/32/32.71/32.71.01 for "32.71.01".
fn region_facet(code: &str) -> Facet {
    let parts: Vec<&str> = code.split('.').collect();
    let mut path = vec!["region".to_string()];
    for i in 1..=parts.len() {
        path.push(parts[..i].join("."));
    }
    Facet::from_path(path)
}
