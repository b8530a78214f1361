//! `GET /oai`: an OAI-PMH 2.0 provider of public records in Dublin Core, so
//! any harvester (the national archive network's, a library's) reads the
//! archive's public metadata. Every request is the public: Terbuka records
//! only, personal data masked, whoever asks. Series are the sets. Lists come
//! a page at a time with a resumption token that carries the cursor (the last
//! record's change time and id) and the request's arguments.

use crate::AppState;
use arsip_core::harvest::{HarvestQuery, Harvested};
use arsip_core::{Clearance, ErrorCode, RecordId};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// Records per list response.
pub const PAGE: usize = 100;
const PREFIX: &str = "oai_dc";
const ID_PREFIX: &str = "oai:rpp-arsip:";

fn public() -> Clearance {
    Clearance::public()
}

/// An OAI-PMH error: its code and a message.
struct OaiError(&'static str, String);

fn bad(msg: impl Into<String>) -> OaiError {
    OaiError("badArgument", msg.into())
}

pub async fn provider(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(args): Query<Vec<(String, String)>>,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .to_string();
    let base = format!("http://{host}/oai");
    let request_attrs = args
        .iter()
        .filter(|(k, _)| is_argument(k))
        .map(|(k, v)| format!(" {k}=\"{}\"", esc(v)))
        .collect::<String>();
    let archive = state.archive.clone();
    let host_for_call = host.clone();
    let body = tokio::task::spawn_blocking(move || answer(&archive, &args, &host_for_call))
        .await
        .unwrap_or_else(|e| Err(OaiError("badArgument", e.to_string())));
    let (attrs, inner) = match body {
        Ok(xml) => (request_attrs, xml),
        Err(OaiError(code, msg)) => {
            // Per the protocol, a badVerb or badArgument echoes no arguments.
            let attrs = if matches!(code, "badVerb" | "badArgument") {
                String::new()
            } else {
                request_attrs
            };
            (
                attrs,
                format!("<error code=\"{code}\">{}</error>", esc(&msg)),
            )
        }
    };
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\
         <responseDate>{}</responseDate><request{attrs}>{}</request>{inner}</OAI-PMH>\n",
        now(),
        esc(&base),
    );
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

fn is_argument(k: &str) -> bool {
    matches!(
        k,
        "verb" | "identifier" | "metadataPrefix" | "from" | "until" | "set" | "resumptionToken"
    )
}

fn now() -> String {
    arsip_core::clock::now_rfc3339()
}

fn answer(
    archive: &arsip_core::Archive,
    args: &[(String, String)],
    host: &str,
) -> Result<String, OaiError> {
    let mut seen = std::collections::HashSet::new();
    for (k, _) in args {
        if !seen.insert(k.as_str()) {
            return Err(bad(format!("'{k}' is repeated")));
        }
    }
    let get = |k: &str| arg(args, k);
    let verb = get("verb").ok_or_else(|| OaiError("badVerb", "no verb".into()))?;
    let allowed: &[&str] = match verb {
        "Identify" => &[],
        "ListMetadataFormats" => &["identifier"],
        "ListSets" => &["resumptionToken"],
        "GetRecord" => &["identifier", "metadataPrefix"],
        "ListIdentifiers" | "ListRecords" => {
            &["metadataPrefix", "from", "until", "set", "resumptionToken"]
        }
        other => {
            return Err(OaiError(
                "badVerb",
                format!("'{other}' is not an OAI-PMH verb"),
            ))
        }
    };
    for (k, _) in args {
        if k != "verb" && !allowed.contains(&k.as_str()) {
            return Err(bad(format!("'{k}' is not an argument of {verb}")));
        }
    }
    match verb {
        "Identify" => identify(archive, host),
        "ListMetadataFormats" => {
            if let Some(id) = get("identifier") {
                harvested(archive, id)?;
            }
            Ok(
                "<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix>\
                <schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>\
                <metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace>\
                </metadataFormat></ListMetadataFormats>"
                    .into(),
            )
        }
        "ListSets" => {
            if let Some(t) = get("resumptionToken") {
                return Err(OaiError(
                    "badResumptionToken",
                    format!("'{t}': sets come in one list"),
                ));
            }
            let sets = archive.series_sets(&public()).map_err(internal)?;
            let mut out = String::from("<ListSets>");
            for (id, name) in sets {
                out.push_str(&format!(
                    "<set><setSpec>seri-{id}</setSpec><setName>{}</setName></set>",
                    esc(&name)
                ));
            }
            out.push_str("</ListSets>");
            Ok(out)
        }
        "GetRecord" => {
            let id = get("identifier").ok_or_else(|| bad("identifier is required"))?;
            prefix_ok(get("metadataPrefix").ok_or_else(|| bad("metadataPrefix is required"))?)?;
            let h = harvested(archive, id)?;
            Ok(format!("<GetRecord>{}</GetRecord>", record_xml(&h, true)))
        }
        _ => list(archive, verb, args),
    }
}

fn identify(archive: &arsip_core::Archive, host: &str) -> Result<String, OaiError> {
    let office = archive.office_name().map_err(internal)?;
    let earliest = archive
        .harvest_earliest(&public())
        .map_err(internal)?
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
    let domain = host.split(':').next().unwrap_or("localhost");
    Ok(format!(
        "<Identify><repositoryName>{} — RPP Arsip</repositoryName><baseURL>http://{}/oai</baseURL>\
         <protocolVersion>2.0</protocolVersion><adminEmail>arsip@{}</adminEmail>\
         <earliestDatestamp>{earliest}</earliestDatestamp><deletedRecord>no</deletedRecord>\
         <granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>",
        esc(&office),
        esc(host),
        esc(domain),
    ))
}

fn prefix_ok(prefix: &str) -> Result<(), OaiError> {
    if prefix == PREFIX {
        Ok(())
    } else {
        Err(OaiError(
            "cannotDisseminateFormat",
            format!("'{prefix}': only oai_dc"),
        ))
    }
}

fn harvested(archive: &arsip_core::Archive, identifier: &str) -> Result<Harvested, OaiError> {
    let missing = || OaiError("idDoesNotExist", identifier.to_string());
    let id = identifier
        .strip_prefix(ID_PREFIX)
        .and_then(|i| RecordId::parse(i).ok())
        .ok_or_else(missing)?;
    archive.harvested(&id, &public()).map_err(|e| {
        if e.code == ErrorCode::NotFound {
            missing()
        } else {
            internal(e)
        }
    })
}

/// The arguments a list request carries from page to page.
#[derive(Default)]
struct ListArgs {
    from: Option<String>,
    until: Option<String>,
    set: Option<String>,
    after: Option<(String, String)>,
}

impl ListArgs {
    fn token(&self, after: (String, String)) -> String {
        let fields = [
            after.0,
            after.1,
            self.from.clone().unwrap_or_default(),
            self.until.clone().unwrap_or_default(),
            self.set.clone().unwrap_or_default(),
        ];
        hex::encode(fields.join("\n"))
    }

    fn from_token(token: &str) -> Option<ListArgs> {
        let text = String::from_utf8(hex::decode(token).ok()?).ok()?;
        let f: Vec<&str> = text.split('\n').collect();
        let [at, id, from, until, set] = f.as_slice() else {
            return None;
        };
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Some(ListArgs {
            from: opt(from),
            until: opt(until),
            set: opt(set),
            after: Some((at.to_string(), id.to_string())),
        })
    }
}

fn arg<'a>(args: &'a [(String, String)], k: &str) -> Option<&'a str> {
    args.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

fn list(
    archive: &arsip_core::Archive,
    verb: &str,
    args: &[(String, String)],
) -> Result<String, OaiError> {
    let get = |k: &str| arg(args, k);
    let args = match get("resumptionToken") {
        Some(token) => {
            if get("metadataPrefix").is_some()
                || get("from").is_some()
                || get("until").is_some()
                || get("set").is_some()
            {
                return Err(bad("resumptionToken is an exclusive argument"));
            }
            ListArgs::from_token(token)
                .ok_or_else(|| OaiError("badResumptionToken", token.to_string()))?
        }
        None => {
            prefix_ok(get("metadataPrefix").ok_or_else(|| bad("metadataPrefix is required"))?)?;
            ListArgs {
                from: get("from").map(str::to_string),
                until: get("until").map(str::to_string),
                set: get("set").map(str::to_string),
                after: None,
            }
        }
    };
    if let (Some(f), Some(u)) = (&args.from, &args.until) {
        if f.len() != u.len() {
            return Err(bad("from and until differ in granularity"));
        }
    }
    let series = match &args.set {
        Some(s) => Some(
            s.strip_prefix("seri-")
                .and_then(|n| n.parse::<i64>().ok())
                .ok_or_else(|| bad(format!("set '{s}'")))?,
        ),
        None => None,
    };
    let query = HarvestQuery {
        from: args.from.clone(),
        until: args.until.clone(),
        series,
        after: args.after.clone(),
        limit: PAGE,
    };
    let page = archive.harvest(&query, &public()).map_err(|e| {
        if e.code == ErrorCode::InvalidInput {
            bad(e.detail)
        } else {
            internal(e)
        }
    })?;
    if page.records.is_empty() {
        return Err(OaiError("noRecordsMatch", "no records match".into()));
    }
    let full = verb == "ListRecords";
    let mut out = format!("<{verb}>");
    for h in &page.records {
        out.push_str(&if full {
            record_xml(h, true)
        } else {
            header_xml(h)
        });
    }
    if page.more || args.after.is_some() {
        let token = match (page.more, page.records.last()) {
            (true, Some(last)) => {
                args.token((last.record.updated_at.clone(), last.record.id.to_string()))
            }
            _ => String::new(),
        };
        out.push_str(&format!(
            "<resumptionToken completeListSize=\"{}\">{token}</resumptionToken>",
            page.total
        ));
    }
    out.push_str(&format!("</{verb}>"));
    Ok(out)
}

fn header_xml(h: &Harvested) -> String {
    let set = h
        .series_id
        .map(|id| format!("<setSpec>seri-{id}</setSpec>"))
        .unwrap_or_default();
    format!(
        "<header><identifier>{ID_PREFIX}{}</identifier><datestamp>{}</datestamp>{set}</header>",
        h.record.id,
        esc(&h.record.updated_at)
    )
}

fn record_xml(h: &Harvested, with_metadata: bool) -> String {
    let r = &h.record;
    let mut dc = String::new();
    let mut el = |name: &str, value: &Option<String>| {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            dc.push_str(&format!("<dc:{name}>{}</dc:{name}>", esc(v)));
        }
    };
    el("title", &Some(r.title.clone()));
    el("creator", &Some(h.office.clone()));
    el("publisher", &Some(h.office.clone()));
    el("subject", &h.election);
    el("subject", &h.doc_type);
    el("description", &r.description);
    el("date", &r.doc_date);
    el("type", &h.doc_type);
    for m in &h.media_types {
        el("format", &Some(m.clone()));
    }
    el("identifier", &r.number);
    el("identifier", &Some(format!("{ID_PREFIX}{}", r.id)));
    el("language", &Some("id".into()));
    el("coverage", &h.region);
    el("rights", &Some(h.access.clone()));
    let metadata = if with_metadata {
        format!(
            "<metadata><oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">\
             {dc}</oai_dc:dc></metadata>"
        )
    } else {
        String::new()
    };
    format!("<record>{}{metadata}</record>", header_xml(h))
}

fn internal(e: arsip_core::Error) -> OaiError {
    eprintln!("arsip-api: oai: {e}");
    OaiError("badArgument", "the archive could not answer".into())
}

/// XML text and attribute escaping.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
