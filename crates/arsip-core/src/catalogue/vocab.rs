//! Vocabularies: document types, elections, access classes, retention outcomes,
//! classification codes and the Kemendagri region tree. Seeded from `assets/vocab`
//! at creation; each is importable again from CSV (the same columns as the seed).

use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, Transaction};

const DOC_TYPES: &str = include_str!("../../../../assets/vocab/document-types.csv");
const ELECTIONS: &str = include_str!("../../../../assets/vocab/elections.csv");
const ACCESS: &str = include_str!("../../../../assets/vocab/access-levels.csv");
const RETENTION: &str = include_str!("../../../../assets/vocab/retention-outcomes.csv");
const CLASSIFICATION: &str = include_str!("../../../../assets/vocab/classification-codes.csv");
const REGIONS: &str = include_str!("../../../../assets/vocab/regions-32-jawa-barat.csv");
const JRA: &str = include_str!("../../../../assets/vocab/jra.csv");

/// A vocabulary that can be imported from CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    DocumentTypes,
    Elections,
    AccessLevels,
    RetentionOutcomes,
    ClassificationCodes,
    Regions,
    /// The retention schedule (Jadwal Retensi Arsip): a row per
    /// classification code.
    Jra,
}

impl Vocabulary {
    pub fn parse(s: &str) -> Result<Vocabulary> {
        Ok(match s {
            "document-types" => Vocabulary::DocumentTypes,
            "elections" => Vocabulary::Elections,
            "access-levels" => Vocabulary::AccessLevels,
            "retention-outcomes" => Vocabulary::RetentionOutcomes,
            "classification-codes" => Vocabulary::ClassificationCodes,
            "regions" => Vocabulary::Regions,
            "jra" => Vocabulary::Jra,
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("vocabulary '{s}' (document-types, elections, access-levels, retention-outcomes, classification-codes, regions, jra)"),
                ))
            }
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Vocabulary::DocumentTypes => "document-types",
            Vocabulary::Elections => "elections",
            Vocabulary::AccessLevels => "access-levels",
            Vocabulary::RetentionOutcomes => "retention-outcomes",
            Vocabulary::ClassificationCodes => "classification-codes",
            Vocabulary::Regions => "regions",
            Vocabulary::Jra => "jra",
        }
    }

    fn upsert_sql(self) -> (&'static str, usize) {
        match self {
            Vocabulary::DocumentTypes => (
                "INSERT INTO doc_type (code, name_id, name_en) VALUES (?1, ?2, ?3)
                 ON CONFLICT (code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en",
                3,
            ),
            Vocabulary::Elections => (
                "INSERT INTO election (code, name, year, kind) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, year = excluded.year, kind = excluded.kind",
                4,
            ),
            Vocabulary::AccessLevels => (
                "INSERT INTO access_level (code, rank, name_id, name_en) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en",
                4,
            ),
            Vocabulary::RetentionOutcomes => (
                "INSERT INTO retention_outcome (code, name_id, name_en) VALUES (?1, ?2, ?3)
                 ON CONFLICT (code) DO UPDATE SET name_id = excluded.name_id, name_en = excluded.name_en",
                3,
            ),
            Vocabulary::ClassificationCodes => (
                "INSERT INTO classification (code, name) VALUES (?1, ?2)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                2,
            ),
            Vocabulary::Regions => (
                "INSERT INTO region (code, name, level, parent) VALUES (?1, ?2, ?3, NULLIF(?4, ''))
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent = excluded.parent",
                4,
            ),
            Vocabulary::Jra => (
                "INSERT INTO jra (code, series, active_years, inactive_years, outcome, note)
                 VALUES (?1, ?2, CAST(?3 AS INTEGER), CAST(?4 AS INTEGER), ?5, ?6)
                 ON CONFLICT (code) DO UPDATE SET series = excluded.series,
                    active_years = excluded.active_years, inactive_years = excluded.inactive_years,
                    outcome = excluded.outcome, note = excluded.note",
                6,
            ),
        }
    }

    /// A row's fields as this vocabulary stores them: a JRA's outcome as the
    /// official table writes it (`Dinilai Kembali`, `Musnah`) is its code,
    /// and its years are whole numbers (the table's CHECK refuses the rest).
    fn normalise(self, fields: &mut [String]) -> std::result::Result<(), String> {
        for f in fields.iter_mut() {
            *f = f.trim().to_string();
        }
        if self == Vocabulary::Jra {
            for (i, what) in [(2, "active_years"), (3, "inactive_years")] {
                if fields[i].parse::<u16>().is_err() {
                    return Err(format!("{what}: '{}' (whole years)", fields[i]));
                }
            }
            fields[4] = fields[4]
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("-");
        }
        Ok(())
    }
}

pub(crate) fn seed(tx: &Transaction) -> Result<()> {
    import(tx, Vocabulary::DocumentTypes, DOC_TYPES)?;
    import(tx, Vocabulary::Elections, ELECTIONS)?;
    import(tx, Vocabulary::AccessLevels, ACCESS)?;
    import(tx, Vocabulary::RetentionOutcomes, RETENTION)?;
    import(tx, Vocabulary::ClassificationCodes, CLASSIFICATION)?;
    import(tx, Vocabulary::Regions, REGIONS)?;
    Ok(())
}

/// The shipped retention schedule, seeded when the `jra` table is made.
pub(crate) fn seed_jra(tx: &Transaction) -> Result<()> {
    import(tx, Vocabulary::Jra, JRA)?;
    Ok(())
}

/// Imports CSV rows (header first) into a vocabulary; returns the number of rows.
/// Regions must list parents before children, as the seed does.
/// The shipped region list: (code, name), in its order.
pub(crate) fn shipped_regions() -> Vec<(String, String)> {
    REGIONS
        .lines()
        .skip(1)
        .map(parse_csv_line)
        .filter_map(|f| Some((f.first()?.clone(), f.get(1)?.clone())))
        .collect()
}

pub(crate) fn import(tx: &Transaction, vocab: Vocabulary, csv: &str) -> Result<usize> {
    let (sql, columns) = vocab.upsert_sql();
    let mut stmt = tx.prepare(sql)?;
    let mut n = 0;
    // A spreadsheet saved as CSV in an Indonesian locale separates with
    // semicolons and may start with a byte order mark.
    let csv = csv.trim_start_matches('\u{feff}');
    let header = csv.lines().next().unwrap_or_default();
    let delimiter = if header.contains(';') && !header.contains(',') {
        ';'
    } else {
        ','
    };
    for (line_no, line) in csv.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = parse_csv_fields(line, delimiter);
        if fields.len() != columns {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "line {}: expected {columns} columns, found {}",
                    line_no + 1,
                    fields.len()
                ),
            ));
        }
        vocab.normalise(&mut fields).map_err(|e| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("line {}: {e}", line_no + 1),
            )
        })?;
        stmt.execute(rusqlite::params_from_iter(fields.iter()))
            .map_err(|e| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("line {}: {e}", line_no + 1),
                )
            })?;
        n += 1;
    }
    Ok(n)
}

impl super::Catalogue {
    /// Imports a vocabulary from CSV in one transaction: every row or, on an
    /// error (named with its line), none.
    pub fn import_vocabulary(
        &mut self,
        vocab: Vocabulary,
        csv: &str,
        actor: &str,
    ) -> Result<usize> {
        let tx = self.write()?;
        let n = import(&tx, vocab, csv)?;
        crate::audit::append(
            &tx,
            actor,
            "vocabulary.import",
            vocab.code(),
            &format!("{n} rows"),
        )?;
        tx.commit()?;
        Ok(n)
    }
}

/// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
pub(crate) fn parse_csv_line(line: &str) -> Vec<String> {
    parse_csv_fields(line, ',')
}

/// Splits one line separated by `delimiter` (RFC 4180 quoting, no
/// embedded newlines).
fn parse_csv_fields(line: &str, delimiter: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (c, false) if c == delimiter => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::parse_csv_line;

    #[test]
    fn a_region_suggested_outside_the_office_can_be_shown_and_chosen() {
        use crate::catalogue::{Catalogue, NewRecord};
        use crate::model::StoredFile;
        let dir = tempfile::tempdir().expect("tempdir");
        let mut c = Catalogue::open(&dir.path().join("c.sqlite")).expect("open");
        c.set_office("KPU Kota Bogor", "32.71").expect("office");
        let file = StoredFile {
            name: "surat.pdf".into(),
            sha256: crate::ids::ContentHash::of(b"surat"),
            media_type: "application/pdf".into(),
            size: 5,
        };
        let mut new = NewRecord::born_digital(
            "Surat ke KPU Kabupaten Bogor",
            file,
            "Kecamatan Cibinong",
            crate::access::AccessLevel::Terbatas,
            "uji",
        );
        new.suggestions.region = Some("32.01.01".into());
        c.insert_record(&new).expect("insert");
        let region = c.vocabularies().expect("vocabularies").region;
        assert!(region
            .iter()
            .any(|t| t.code == "32.01.01" && t.name_id == "Cibinong"));
        assert!(
            region.iter().any(|t| t.code == "32.71.01"),
            "the office's own"
        );
        assert!(
            !region.iter().any(|t| t.code == "32.12"),
            "not the whole tree"
        );
    }

    #[test]
    fn csv_quotes() {
        assert_eq!(
            parse_csv_line(r#"a,"b, c","d ""e""""#),
            vec!["a", "b, c", r#"d "e""#]
        );
        assert_eq!(
            parse_csv_line("32.71,Kota Bogor,2,32"),
            vec!["32.71", "Kota Bogor", "2", "32"]
        );
    }
}

/// One term of a vocabulary, named in both languages (place and election names
/// are the same in both).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Term {
    pub code: String,
    pub name_id: String,
    pub name_en: String,
}

/// The terms a cataloguing form and the facet labels need.
#[derive(Debug, Clone, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Vocabularies {
    pub doc_type: Vec<Term>,
    pub election: Vec<Term>,
    pub access: Vec<Term>,
    pub retention: Vec<Term>,
    pub classification: Vec<Term>,
    /// The office's own region with everything below and above it, and any
    /// region a record the caller may read is filed under or suggested for
    /// (a letter about Kab. Bogor in Kota Bogor's archive): the whole tree is
    /// thousands of places, and a place named only by a restricted record is
    /// itself a hint of what that record is about.
    pub region: Vec<Term>,
    pub series: Vec<String>,
}

impl super::Catalogue {
    /// Every vocabulary, with the regions of every live record: for labels
    /// the archive itself prints (handover, harvest of what a caller reads).
    pub fn vocabularies(&self) -> Result<Vocabularies> {
        self.vocabularies_seen_by("r.deleted = 0")
    }

    /// The vocabularies, with regions limited to the office's tree and those
    /// of records matching `visible` (SQL over `record r`, from
    /// `Clearance::visible_sql`).
    pub(crate) fn vocabularies_seen_by(&self, visible: &str) -> Result<Vocabularies> {
        let office = self.office()?.region_code;
        let terms = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<Vec<Term>> {
            let mut stmt = self.conn().prepare(sql)?;
            let rows = stmt.query_map(params, |r| {
                Ok(Term {
                    code: r.get(0)?,
                    name_id: r.get(1)?,
                    name_en: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let series = {
            let mut stmt = self
                .conn()
                .prepare("SELECT name FROM series ORDER BY name")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        Ok(Vocabularies {
            doc_type: terms(
                "SELECT code, name_id, name_en FROM doc_type ORDER BY name_id",
                &[],
            )?,
            election: terms(
                "SELECT code, name, name FROM election ORDER BY year DESC, name",
                &[],
            )?,
            access: terms(
                "SELECT code, name_id, name_en FROM access_level ORDER BY rank",
                &[],
            )?,
            retention: terms(
                "SELECT code, name_id, name_en FROM retention_outcome ORDER BY code",
                &[],
            )?,
            classification: terms(
                "SELECT code, name, name FROM classification ORDER BY code",
                &[],
            )?,
            region: terms(
                &format!(
                    "SELECT code, name, name FROM region
                     WHERE code = ?1 OR code LIKE ?1 || '.%' OR ?1 LIKE code || '.%'
                        OR code IN (SELECT r.region FROM record r WHERE {visible})
                        OR code IN (SELECT s.value FROM suggestion s
                                    JOIN record r ON r.id = s.record_id
                                    WHERE s.field = 'region' AND {visible})
                     ORDER BY code"
                ),
                &[&office],
            )?,
            series,
        })
    }
}

/// Adds the codes a synced record uses that this archive's vocabularies lack
/// (an office may have added its own), named by their code until someone
/// names them: a province must not refuse an office's log over a word list.
pub(crate) fn ensure_codes(tx: &Transaction, s: &crate::sync::segment::RecordState) -> Result<()> {
    if let Some(code) = &s.doc_type {
        tx.execute(
            "INSERT OR IGNORE INTO doc_type (code, name_id, name_en) VALUES (?1, ?1, ?1)",
            [code],
        )?;
    }
    if let Some(code) = &s.retention {
        tx.execute(
            "INSERT OR IGNORE INTO retention_outcome (code, name_id, name_en) VALUES (?1, ?1, ?1)",
            [code],
        )?;
    }
    if let Some(code) = &s.election {
        let year: i64 = code
            .split(|c: char| !c.is_ascii_digit())
            .find(|p| p.len() == 4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(0);
        tx.execute(
            "INSERT OR IGNORE INTO election (code, name, year, kind) VALUES (?1, ?1, ?2, 'lainnya')",
            (code, year),
        )?;
    }
    if let Some(code) = &s.region {
        // Parents first, so each level finds the one above it.
        let parts: Vec<&str> = code.split('.').collect();
        for level in 1..=parts.len().min(4) {
            let this = parts[..level].join(".");
            let parent = (level > 1).then(|| parts[..level - 1].join("."));
            tx.execute(
                "INSERT OR IGNORE INTO region (code, name, level, parent) VALUES (?1, ?1, ?2, ?3)",
                params![this, level as i64, parent],
            )?;
        }
    }
    Ok(())
}

/// A coded field of a record whose codes come from a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coded {
    DocType,
    Election,
    Region,
}

impl super::Catalogue {
    /// The name of a code in its vocabulary (Indonesian), or None when this
    /// archive does not know the code.
    pub fn term_name(&self, field: Coded, code: &str) -> Result<Option<String>> {
        let sql = match field {
            Coded::DocType => "SELECT name_id FROM doc_type WHERE code = ?1",
            Coded::Election => "SELECT name FROM election WHERE code = ?1",
            Coded::Region => "SELECT name FROM region WHERE code = ?1",
        };
        use rusqlite::OptionalExtension;
        Ok(self
            .conn()
            .query_row(sql, [code], |r| r.get(0))
            .optional()?)
    }
}
