//! Result forms (Formulir Model C.Hasil): a ruled table of the votes of
//! each party at one TPS, then the valid, invalid and total lines, as a
//! KPPS fills it in. About one form in four carries an arithmetic mistake
//! of the kind the recapitulation exists to catch (a valid total that is
//! not the sum of the votes, or a grand total that is not valid + invalid);
//! the truth says which.

use rand::prelude::*;
use rand::rngs::StdRng;
use serde::Serialize;

/// What a result form says, and whether its sums agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultTruth {
    /// Each party's label and votes, in the form's order.
    pub votes: Vec<(String, u64)>,
    pub valid: u64,
    pub invalid: u64,
    pub total: u64,
    /// The votes add up to `valid`.
    pub sum_agrees: bool,
    /// `valid + invalid == total`.
    pub total_agrees: bool,
}

/// The lines of a result form (table rows tab-separated, drawn as ruled
/// cells) and its truth.
pub fn result_form(
    rng: &mut StdRng,
    parties: &[&str],
    header: Vec<String>,
    footer: Vec<String>,
) -> (Vec<String>, ResultTruth) {
    let count = rng.random_range(6..=parties.len().clamp(6, 12));
    let chosen: Vec<&&str> = parties.choose_multiple(rng, count).collect();
    let votes: Vec<(String, u64)> = chosen
        .iter()
        .map(|p| ((**p).to_string(), rng.random_range(0..320)))
        .collect();
    let sum: u64 = votes.iter().map(|(_, v)| v).sum();
    let invalid = rng.random_range(0..25);
    let mistake = rng.random_range(0..8);
    let valid = if mistake == 0 {
        sum + rng.random_range(1..=20)
    } else if mistake == 1 {
        sum.saturating_sub(rng.random_range(1..=20))
    } else {
        sum
    };
    let total = if mistake == 2 {
        valid + invalid + rng.random_range(1..=9)
    } else {
        valid + invalid
    };
    let mut lines = header;
    lines.push("No\tPartai Politik\tJumlah Suara".to_string());
    for (i, (party, v)) in votes.iter().enumerate() {
        lines.push(format!("{}\t{party}\t{}", i + 1, thousands(*v)));
    }
    lines.push(format!("\tJumlah suara sah\t{}", thousands(valid)));
    lines.push(format!("\tJumlah suara tidak sah\t{}", thousands(invalid)));
    lines.push(format!(
        "\tJumlah seluruh suara sah dan tidak sah\t{}",
        thousands(total)
    ));
    lines.extend(footer);
    let truth = ResultTruth {
        sum_agrees: sum == valid,
        total_agrees: valid + invalid == total,
        votes,
        valid,
        invalid,
        total,
    };
    (lines, truth)
}

/// A count as Indonesian forms print it: `1.204`.
fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}
