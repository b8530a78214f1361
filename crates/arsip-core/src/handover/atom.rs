//! AtoM's archival description CSV (ISAD(G) template, AtoM 2.x): one row for
//! the office as the fonds, one per series, one per berkas (file), one per
//! record (item), linked by `legacyId`/`parentId`, so an AtoM import
//! rebuilds the hierarchy fonds → series → berkas → item. Written
//! without a byte-order mark (AtoM reads the first header cell literally) and
//! without formula defusing (AtoM imports the text as it is).

use super::{Item, Labels, Scope};
use crate::access::{AccessLevel, Clearance};
use crate::archive::Archive;
use crate::error::Result;
use crate::export::csv_cell;

/// The columns of AtoM's ISAD(G) CSV import template, in its order.
pub const ATOM_COLUMNS: [&str; 56] = [
    "legacyId",
    "parentId",
    "qubitParentSlug",
    "identifier",
    "title",
    "eventActors",
    "eventActorHistories",
    "eventTypes",
    "eventDates",
    "eventStartDates",
    "eventEndDates",
    "levelOfDescription",
    "extentAndMedium",
    "repository",
    "archivalHistory",
    "acquisition",
    "scopeAndContent",
    "appraisal",
    "accruals",
    "arrangement",
    "accessConditions",
    "reproductionConditions",
    "language",
    "script",
    "languageNote",
    "physicalCharacteristics",
    "findingAids",
    "locationOfOriginals",
    "locationOfCopies",
    "relatedUnitsOfDescription",
    "publicationNote",
    "generalNote",
    "subjectAccessPoints",
    "placeAccessPoints",
    "nameAccessPoints",
    "genreAccessPoints",
    "descriptionIdentifier",
    "institutionIdentifier",
    "rules",
    "descriptionStatus",
    "levelOfDetail",
    "revisionHistory",
    "languageOfDescription",
    "scriptOfDescription",
    "sources",
    "archivistNote",
    "publicationStatus",
    "physicalObjectName",
    "physicalObjectLocation",
    "physicalObjectType",
    "alternativeIdentifiers",
    "alternativeIdentifierLabels",
    "digitalObjectPath",
    "digitalObjectURI",
    "digitalObjectChecksum",
    "culture",
];

/// One row: cells by column name; the rest stay empty.
struct Row(Vec<(&'static str, String)>);

impl Row {
    fn line(&self) -> String {
        ATOM_COLUMNS
            .iter()
            .map(|col| {
                let v = self
                    .0
                    .iter()
                    .find(|(c, _)| c == col)
                    .map(|(_, v)| v.as_str())
                    .unwrap_or("");
                csv_cell(v)
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl Archive {
    /// The records of `scope` the clearance may read, as AtoM's archival
    /// description CSV. The admin's; audited.
    pub fn export_atom_csv(&self, scope: Scope, clearance: &Clearance) -> Result<String> {
        let (items, labels) = self.handover_items(scope, clearance)?;
        let office = self.with_catalogue(|c| c.office())?;
        let out = atom_csv(&items, &labels, &office);
        let detail = format!(
            "{} {} n={}",
            clearance.role().code(),
            scope.described(),
            items.len()
        );
        self.audit_always(clearance, "export.atom", "", &detail)?;
        Ok(out)
    }
}

/// The description of `items` under `office` as the fonds (a bag carries
/// it as `data/atom.csv`).
pub(super) fn atom_csv(
    items: &[Item],
    labels: &Labels,
    office: &crate::catalogue::Office,
) -> String {
    let mut rows = vec![Row(vec![
        ("legacyId", "fonds".into()),
        ("identifier", office.region_code.clone()),
        ("title", office.name.clone()),
        ("levelOfDescription", "Fonds".into()),
        ("repository", office.name.clone()),
        ("eventActors", office.name.clone()),
        ("eventTypes", "Creation".into()),
        ("language", "id".into()),
        ("script", "Latn".into()),
        ("culture", "id".into()),
    ])];
    let mut series_rows: Vec<String> = Vec::new();
    let mut berkas_rows: Vec<String> = Vec::new();
    for item in items {
        if let Some(s) = &item.record.series {
            if !series_rows.contains(s) {
                series_rows.push(s.clone());
                rows.push(Row(vec![
                    ("legacyId", format!("series-{}", series_rows.len())),
                    ("parentId", "fonds".into()),
                    ("title", s.clone()),
                    ("levelOfDescription", "Series".into()),
                    ("repository", office.name.clone()),
                    ("culture", "id".into()),
                ]));
            }
        }
        let mut parent = match &item.record.series {
            Some(s) => format!(
                "series-{}",
                series_rows.iter().position(|x| x == s).unwrap_or(0) + 1
            ),
            None => "fonds".into(),
        };
        // A berkas sits under the series of the first record of it
        // met; its records under it.
        if let Some(b) = &item.berkas {
            let legacy = format!("berkas-{}", b.id);
            if !berkas_rows.contains(&legacy) {
                berkas_rows.push(legacy.clone());
                rows.push(berkas_row(b, &legacy, parent, &office.name));
            }
            parent = legacy;
        }
        rows.push(item_row(item, labels, parent, &office.name));
    }
    let mut out = ATOM_COLUMNS.join(",");
    out.push('\n');
    for row in rows {
        out.push_str(&row.line());
        out.push('\n');
    }
    out
}

/// A berkas as AtoM's "File": its number, title, years and where its
/// paper is.
fn berkas_row(
    b: &crate::catalogue::berkas::Berkas,
    legacy: &str,
    parent: String,
    repository: &str,
) -> Row {
    let mut cells = vec![
        ("legacyId", legacy.to_string()),
        ("parentId", parent),
        ("identifier", b.number.clone()),
        ("title", b.title.clone()),
        ("levelOfDescription", "File".into()),
        ("repository", repository.to_string()),
        ("extentAndMedium", format!("{} arsip", b.records)),
        ("language", "id".into()),
        ("script", "Latn".into()),
        ("culture", "id".into()),
    ];
    if let Some(code) = &b.classification {
        cells.push(("arrangement", format!("Kode klasifikasi {code}")));
    }
    if let (Some(from), Some(to)) = (b.year_from.or(b.year_to), b.year_to.or(b.year_from)) {
        cells.extend([
            ("eventTypes", "Creation".to_string()),
            (
                "eventDates",
                crate::print::formal::period(Some(from), Some(to)),
            ),
            ("eventStartDates", format!("{from}-01-01")),
            ("eventEndDates", format!("{to}-12-31")),
        ]);
    }
    if let Some(x) = &b.in_box {
        cells.extend([
            ("physicalObjectName", format!("Boks {}", x.number)),
            ("physicalObjectLocation", x.place_path.clone()),
            ("physicalObjectType", "Box".to_string()),
        ]);
    }
    Row(cells)
}

fn item_row(item: &Item, labels: &Labels, parent: String, repository: &str) -> Row {
    let r = &item.record;
    let date = r.doc_date.clone().unwrap_or_default();
    let shelf = [
        ("Gedung", &r.location.building),
        ("Rak", &r.location.shelf),
        ("Boks", &r.location.box_no),
        ("Map", &r.location.folder),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
    .collect::<Vec<_>>()
    .join(", ");
    let pages = item.pages.len();
    let media: Vec<&str> = item.files.iter().map(|f| f.media_type.as_str()).collect();
    let public = r.access == AccessLevel::Terbuka;
    let mut cells = vec![
        ("legacyId", r.id.to_string()),
        ("parentId", parent),
        (
            "identifier",
            r.number.clone().unwrap_or_else(|| r.id.to_string()),
        ),
        ("title", r.title.clone()),
        ("levelOfDescription", "Item".into()),
        (
            "extentAndMedium",
            format!("{pages} halaman; {}", media.join(", ")),
        ),
        ("repository", repository.to_string()),
        (
            "archivalHistory",
            format!(
                "Dikatalogkan di RPP Arsip oleh {} pada {}",
                r.created_by, r.created_at
            ),
        ),
        ("scopeAndContent", r.description.clone().unwrap_or_default()),
        (
            "accessConditions",
            labels.name("access", &Some(r.access.code().to_string())),
        ),
        ("language", "id".into()),
        ("script", "Latn".into()),
        ("subjectAccessPoints", labels.name("election", &r.election)),
        ("placeAccessPoints", labels.name("region", &r.region)),
        ("genreAccessPoints", labels.name("doc_type", &r.doc_type)),
        ("generalNote", general_note(r, labels)),
        ("descriptionStatus", "Final".into()),
        ("levelOfDetail", "Partial".into()),
        (
            "publicationStatus",
            if public { "Published" } else { "Draft" }.into(),
        ),
        ("alternativeIdentifiers", r.id.to_string()),
        ("alternativeIdentifierLabels", "ID RPP Arsip".into()),
        ("culture", "id".into()),
    ];
    if !date.is_empty() {
        cells.extend([
            ("eventTypes", "Creation".to_string()),
            ("eventDates", date.clone()),
            ("eventStartDates", date.clone()),
            ("eventEndDates", date),
        ]);
    }
    if !shelf.is_empty() {
        cells.extend([
            (
                "physicalObjectName",
                r.location
                    .box_no
                    .clone()
                    .map(|b| format!("Boks {b}"))
                    .unwrap_or_else(|| shelf.clone()),
            ),
            ("physicalObjectLocation", shelf),
            ("physicalObjectType", "Box".to_string()),
        ]);
    }
    if let Some(f) = item.files.first() {
        cells.push(("digitalObjectChecksum", f.sha256.to_hex()));
    }
    Row(cells)
}

/// What ISAD(G) has no field for: stage, TPS, classification code, retention.
fn general_note(r: &crate::model::Record, labels: &Labels) -> String {
    [
        ("Tahapan", r.stage.clone()),
        ("TPS", r.tps.clone()),
        ("Kode klasifikasi", r.classification.clone()),
        (
            "Retensi",
            Some(labels.name("retention", &r.retention)).filter(|s| !s.is_empty()),
        ),
        ("Simpan sampai", r.retain_until.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| format!("{k}: {v}")))
    .collect::<Vec<_>>()
    .join("; ")
}
