//! Personal data at the source: NIK (Nomor Induk Kependudukan) and KK (Kartu
//! Keluarga) numbers found in page text. Both are 16 digits: a Kemendagri region
//! code (province, kab/kota, kecamatan: 6 digits), a date (6 digits; for a NIK the
//! day of birth plus 40 for women), and a 4-digit serial. Records holding them are
//! flagged; the publik role reads them masked.
//!
//! The module finds *runs*: stretches of text that read as one long number. A
//! character is digit-like when it is an ASCII digit or one of the letters OCR
//! confuses with digits: `O` and `o` read as 0, `l`, `I` and `|` read as 1, `S`
//! reads as 5 and `B` reads as 8. A run must hold at least as many real digits as
//! confused letters and at least 8 real digits, so words such as `SOLO` or a table
//! rule read as `||||||||` never count. A run ends at any other character: a
//! letter that is not a confusion, `_`, punctuation or the end of the text. A
//! letter glued to the front of a number joins the run only if it is itself a
//! confusion, so `NIK3271…` starts at the `3` while `NIB3271…` reads the `B` as 8.
//! When a stretch holds more confused letters than digits, its longest stretches of
//! confused letters are cut out until the parts left are plausible or too short, so
//! the digits of a NIK glued to a block of `I`s are still found.
//!
//! A NIK is often written in groups, and a single space, `.` or `-` between groups
//! joins them into one run when the result looks like a NIK and not like a list of
//! figures. All of these must hold: the same separator is used throughout; the
//! joined number has 15 to 17 digit-like characters; and the group sizes are one of
//! the known writings 4-4-4-4, 6-6-4, 6-10, 2-2-2-6-4 or 2-2-2-2-2-2-4. The last group
//! may be one digit shorter or longer (OCR), and the first group may be one digit
//! longer when that digit reads as 1 (a table rule read as a leading `1` or `|`). A
//! group with no real digit (two digits OCR read as `Ol`) may be part of a writing
//! only when it is at most three characters long, so words like `Solo` between
//! figures do not glue them together. When several such writings overlap, the one
//! holding a valid number wins, then one that begins and ends with real digits, then
//! the earliest. Vote tallies (`120 245 333 412 500`), money (`Rp 12.500.000`), dates
//! (`17-04-2019`), document numbers (`417/PL.01.9-Kpt/3271/2024`) and phone
//! numbers (`0812-3456-7890`) do not match a writing, so they stay visible.
//!
//! Every run of 15 or more digits is masked, whether or not its digits pass the
//! structure check: a NIK that OCR read partly wrong must still be hidden. The
//! structure check only decides which 16-digit windows of a run are reported as
//! personal numbers, which flags the record and lets staff search for it. A run of
//! 17 or more digits reports every 16-digit window that passes the check.

use std::ops::Range;

/// The version of the rules below. Records flagged under an older version are
/// flagged again (`refresh_personal_flags`); raise it whenever the rules change.
pub const RULES: i64 = 1;

/// Province codes in use (Kemendagri), including the Papua provinces of 2022.
const PROVINCES: &[u32] = &[
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
];

/// Group sizes of the ways a NIK is written with separators.
const WRITINGS: &[&[usize]] = &[
    &[4, 4, 4, 4],
    &[6, 6, 4],
    &[6, 10],
    &[2, 2, 2, 6, 4],
    &[2, 2, 2, 2, 2, 2, 4],
];

/// The characters that may join two digit groups of one number.
const SEPARATORS: &[u8] = b" .-";

/// A run of digits found in text, after undoing separators and OCR confusions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberRun {
    /// Byte range in the text, from the first to the last digit-like character of the run.
    pub range: Range<usize>,
    /// The run's digits, separators removed and confusions undone.
    pub digits: String,
    /// The 16-digit windows of `digits` that pass `is_personal_number`, in order, deduplicated.
    pub numbers: Vec<String>,
}

/// One digit-like character: its byte offset, the digit it reads as, and whether it
/// is a real ASCII digit rather than a confused letter.
#[derive(Debug, Clone, Copy)]
struct Ch {
    at: usize,
    digit: char,
    real: bool,
}

/// The digit `c` reads as, and whether it is a real digit.
fn digit_like(c: char) -> Option<(char, bool)> {
    match c {
        '0'..='9' => Some((c, true)),
        'O' | 'o' => Some(('0', false)),
        'l' | 'I' | '|' => Some(('1', false)),
        'S' => Some(('5', false)),
        'B' => Some(('8', false)),
        _ => None,
    }
}

/// A joined writing: see `candidate`.
type Candidate = (bool, bool, usize, usize, Vec<Ch>);

fn real_count(chars: &[Ch]) -> usize {
    chars.iter().filter(|c| c.real).count()
}

/// At least 8 real digits, and at least as many real digits as confused letters.
fn plausible(chars: &[Ch]) -> bool {
    let real = real_count(chars);
    real >= 8 && 2 * real >= chars.len()
}

/// The maximal stretches of digit-like characters in `text` (each is one byte long,
/// so two are neighbours exactly when their offsets differ by one).
fn groups(text: &str) -> Vec<Vec<Ch>> {
    let chars: Vec<Ch> = text
        .char_indices()
        .filter_map(|(at, c)| digit_like(c).map(|(digit, real)| Ch { at, digit, real }))
        .collect();
    chars
        .chunk_by(|a, b| b.at == a.at + 1)
        .map(<[Ch]>::to_vec)
        .collect()
}

/// The separator between a pair of groups, when exactly one separator character lies
/// between them (digit-like characters are ASCII, so each is one byte long).
fn gap(text: &[u8], pair: &[Vec<Ch>]) -> Option<u8> {
    let end = pair.first()?.last()?.at + 1;
    let sep = *text.get(end)?;
    (pair.last()?.first()?.at == end + 1 && SEPARATORS.contains(&sep)).then_some(sep)
}

/// The known NIK writing that starts at group `start`, if any, as a candidate:
/// (holds no valid number, does not begin and end with real digits, start, end, chars).
/// Sorting candidates puts those with a valid number first, then those edged by digits.
fn candidate(groups: &[Vec<Ch>], gaps: &[Option<u8>], start: usize) -> Option<Candidate> {
    WRITINGS.iter().find_map(|writing| {
        let end = start + writing.len();
        let joined = groups.get(start..end)?;
        let sep = (*gaps.get(start)?)?;
        let same_sep = gaps.get(start..end - 1)?.iter().all(|g| *g == Some(sep));
        let last = writing.len() - 1;
        let size_ok = |(j, (g, &want)): (usize, (&Vec<Ch>, &usize))| {
            let n = g.len();
            n == want
                || (j == last && n.abs_diff(want) == 1)
                || (j == 0 && n == want + 1 && g.first().is_some_and(|c| c.digit == '1'))
        };
        let sizes = joined.iter().zip(writing.iter()).enumerate().all(size_ok);
        let words = joined
            .iter()
            .any(|g| g.len() > 3 && !g.iter().any(|c| c.real));
        let chars = joined.concat();
        if !same_sep || !sizes || words || !(15..=17).contains(&chars.len()) || !plausible(&chars) {
            return None;
        }
        let valid = !valid_windows(&digits_of(&chars)).is_empty();
        let has_real = |g: Option<&Vec<Ch>>| g.is_some_and(|g| g.iter().any(|c| c.real));
        let edged = has_real(joined.first()) && has_real(joined.last());
        Some((!valid, !edged, start, end, chars))
    })
}

/// The parts of one group that are runs of 15+ digits: the group itself when it is
/// plausible, otherwise the parts left when its longest stretches of confused letters
/// are cut out, again and again, until they are plausible or too short.
fn pieces(group: &[Ch]) -> Vec<&[Ch]> {
    let (mut todo, mut out) = (vec![group], Vec::new());
    while let Some(part) = todo.pop() {
        if part.len() < 15 || real_count(part) < 8 {
            continue;
        }
        if plausible(part) {
            out.push(part);
            continue;
        }
        let longest = part.split(|c| c.real).map(<[Ch]>::len).max().unwrap_or(0);
        let (mut from, mut i) = (0, 0);
        while i < part.len() {
            let rest = part.get(i..).unwrap_or_default();
            let n = rest.iter().take_while(|c| !c.real).count();
            if n == longest {
                todo.extend(part.get(from..i));
                from = i + n;
            }
            i += n.max(1);
        }
        todo.extend(part.get(from..));
    }
    out
}

fn dedup(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The 16-digit windows of `digits` that pass the structure check, deduplicated.
fn valid_windows(digits: &str) -> Vec<String> {
    let windows = (0..digits.len().saturating_sub(15)).filter_map(|i| digits.get(i..i + 16));
    dedup(
        windows
            .filter(|w| is_personal_number(w))
            .map(str::to_string),
    )
}

fn digits_of(chars: &[Ch]) -> String {
    chars.iter().map(|c| c.digit).collect()
}

fn run_of(chars: &[Ch]) -> Option<NumberRun> {
    let (first, last) = (chars.first()?, chars.last()?);
    let digits = digits_of(chars);
    Some(NumberRun {
        range: first.at..last.at + 1,
        numbers: valid_windows(&digits),
        digits,
    })
}

/// Every run with 15 or more digits (the ones a masked reader must not see).
pub fn number_runs(text: &str) -> Vec<NumberRun> {
    let groups = groups(text);
    let gaps: Vec<Option<u8>> = groups
        .windows(2)
        .map(|pair| gap(text.as_bytes(), pair))
        .collect();
    let mut candidates: Vec<Candidate> = (0..groups.len())
        .filter_map(|start| candidate(&groups, &gaps, start))
        .collect();
    candidates.sort_by_key(|c| (c.0, c.1, c.2));
    let mut used = vec![false; groups.len()];
    let mut runs = Vec::new();
    for (_, _, start, end, chars) in candidates {
        if let Some(span) = used.get_mut(start..end).filter(|s| !s.contains(&true)) {
            span.fill(true);
            runs.extend(run_of(&chars));
        }
    }
    for (group, used) in groups.iter().zip(&used) {
        if !used {
            runs.extend(pieces(group).into_iter().filter_map(run_of));
        }
    }
    runs.sort_by_key(|r| r.range.start);
    runs
}

/// `text` with every digit-like character of every run (15+ digits) replaced by '*';
/// separators and everything else kept, so byte length is unchanged for ASCII runs.
pub fn mask(text: &str) -> String {
    let runs = number_runs(text);
    let mut out = String::with_capacity(text.len());
    let mut runs = runs.iter().peekable();
    for (at, c) in text.char_indices() {
        while runs.peek().is_some_and(|r| r.range.end <= at) {
            runs.next();
        }
        let hide = runs.peek().is_some_and(|r| r.range.contains(&at)) && digit_like(c).is_some();
        out.push(if hide { '*' } else { c });
    }
    out
}

/// True when `mask` would change the text (fail-safe: decides what a masked reader may see).
pub fn has_long_number(text: &str) -> bool {
    !number_runs(text).is_empty()
}

/// All structurally valid NIK/KK numbers in the text (the `numbers` of every run),
/// deduplicated, in order of first appearance.
pub fn personal_numbers(text: &str) -> Vec<String> {
    dedup(number_runs(text).into_iter().flat_map(|r| r.numbers))
}

/// True when the text holds at least one structurally valid NIK/KK number (decides
/// the record's "personal data" flag).
pub fn contains_personal_data(text: &str) -> bool {
    number_runs(text).iter().any(|r| !r.numbers.is_empty())
}

fn digits(s: &str, from: usize, len: usize) -> u32 {
    let field = s.get(from..from + len);
    field.and_then(|d| d.parse().ok()).unwrap_or(0)
}

/// True when 16 digits have the structure of a NIK or KK number.
pub fn is_personal_number(s: &str) -> bool {
    if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let province = digits(s, 0, 2);
    let regency = digits(s, 2, 2);
    let district = digits(s, 4, 2);
    let day = digits(s, 6, 2);
    let month = digits(s, 8, 2);
    let serial = digits(s, 12, 4);
    let day_ok = (1..=31).contains(&day) || (41..=71).contains(&day);
    PROVINCES.contains(&province)
        && regency > 0
        && district > 0
        && day_ok
        && (1..=12).contains(&month)
        && serial > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, personal: bool) {
        assert_eq!(is_personal_number(input), personal, "{input}");
    }

    #[test]
    fn nik_structure() {
        check("3271046504930002", true); // Kota Bogor, woman born 25-04-93
        check("3271042504930002", true); // man born 25-04-93
        check("3271010101090001", true); // KK issued 01-01-09
        check("3271049904930002", false); // day 99
        check("3271042513930002", false); // month 13
        check("9971042504930002", false); // no such province
        check("3271042504930000", false); // serial 0000
        check("327104250493000", false); // 15 digits
    }

    const W: &str = "3271046504930002";
    const M: &str = "3271010101900001";

    /// Each line: text => masked # numbers found (W and M stand for the NIKs above, - for none).
    const MASKED: &str = "
        3271046504930002 => **************** # W
        NIK:3271046504930002 => NIK:**************** # W
        NIK3271046504930002 => NIK**************** # W
        NIK 3271046504930002 => NIK **************** # W
        (3271046504930002), => (****************), # W
        dpt_3271010101900001.jpg => dpt_****************.jpg # M
        KK 3271010101090001 => KK **************** # 3271010101090001
        NIB3271010101900001 => N****************** # 1832710101019000 M
        No. 1234567890123456 => No. **************** # -
        3271-0101-0190-0001 => ****-****-****-**** # M
        NIK: 3271 0101 0190 0001. => NIK: **** **** **** ****. # M
        3271.0101.0190.0001 => ****.****.****.**** # M
        327101 010190 0001 => ****** ****** **** # M
        327101-0101900001 => ******-********** # M
        32.71.01.010190.0001 => **.**.**.******.**** # M
        32 71 01 01 01 90 0001 => ** ** ** ** ** ** **** # M
        3271-0101-0190-001 => ****-****-****-*** # -
        3271.0101.0190.00012 => ****.****.****.***** # M
        13271 0101 0190 0001 => ***** **** **** **** # M
        |3271-0101-0190-0001 => *****-****-****-**** # M
        No.3271.0101.0190.0001 => No.****.****.****.**** # M
        TPS 005 3271 0101 0190 0001 RT 03 => TPS 005 **** **** **** **** RT 03 # M
        tahun 2024 3271 0101 0190 0001 => tahun 2024 **** **** **** **** # M
        3271 0101 0190 0001 2024 => **** **** **** **** 2024 # M
        Solo 3271 0101 0190 0001 => Solo **** **** **** **** # M
        32.71.Ol.010190.0001 => **.**.**.******.**** # M
        2019 2020 2021 2022 => **** **** **** **** # -
        327lO465O493OOO2 => **************** # W
        3271O4S5O4930002 => **************** # 3271045504930002
        32710465049300O2 => **************** # W
        327104650493001O.jpg => ****************.jpg # 3271046504930010
        13271046504930002 => ***************** # W
        |3271046504930002 => ***************** # W
        NIK 32710465049300021 ya => NIK ***************** ya # W
        9971042504930002 => **************** # -
        3271049904930002 => **************** # -
        327104650493000 => *************** # -
        IIIIIIIIIIIIIIIIII3271046504930002 => IIIIIIIIIIIIIIIIII**************** # W
        1IIIIIIIIIIIIIIIIIII3271046504930002x => 1IIIIIIIIIIIIIIIIIII****************x # W
        Daftar — NIK 3271046504930002 — “Bogor” => Daftar — NIK **************** — “Bogor” # W
        é3271046504930002é => é****************é # W
        漢字3271 0101 0190 0001漢字 => 漢字**** **** **** ****漢字 # M";

    /// Public figures and prose, separated by ';': nothing masked, nothing flagged.
    const KEPT: &str = "120 245 333 412 500; 1.234.567 2.345.678; Rp 12.500.000; 17-04-2019;\
        TPS 005 RW 02 RT 03; 417/PL.01.9-Kpt/3271/2024; 0812-3456-7890; +62 812 3456 7890;\
        ||||||||||||||||; IIIIIIII IIIIIIII; lOOOOOOOOOOOOOOOOOOO; SOLO Bogor BOSS Solo;\
        32710465049300; NIK 3271 0465 0493 00; 3271-0101 0190-0001 (mixed separators);\
        17-04-2019 Solo Solo 0812-3456-7890; 2019 Solo 0812 3456;\
        Rekapitulasi suara di TPS 005 Kelurahan Sukasari, Kota Bogor.;";

    /// `text` masks to `masked` and holds exactly `numbers`.
    fn masks(text: &str, masked: &str, numbers: &[String]) {
        assert_eq!(mask(text), masked, "mask of {text:?}");
        assert_eq!(personal_numbers(text), numbers, "numbers of {text:?}");
        assert_eq!(has_long_number(text), masked != text, "{text:?}");
        let flagged = contains_personal_data(text);
        assert_eq!(flagged, !numbers.is_empty(), "{text:?}");
    }

    #[test]
    fn masked_shapes() {
        for line in MASKED.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (text, rest) = line.split_once(" => ").unwrap();
            let (masked, numbers) = rest.split_once(" # ").unwrap();
            let expand = |n: &str| n.replace('W', W).replace('M', M);
            let numbers: Vec<String> = numbers
                .split(' ')
                .filter(|n| *n != "-")
                .map(expand)
                .collect();
            masks(text, masked, &numbers);
        }
    }

    #[test]
    fn public_text_stays_visible() {
        for text in KEPT.split(';').map(str::trim) {
            masks(text, text, &[]);
        }
    }

    #[test]
    fn runs_report_ranges_and_digits() {
        let runs = number_runs("— 3271-0101-0190-0001 dan 1.3271046504930002");
        let got: Vec<_> = runs.iter().map(|r| (r.range.clone(), &*r.digits)).collect();
        let want = [(4..23, "3271010101900001"), (30..46, "3271046504930002")];
        assert_eq!(got, want);
        assert_eq!(runs[1].numbers, [W]);
    }

    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len())]
        }
    }

    fn random_nik(rng: &mut Rng) -> String {
        let province = rng.pick(PROVINCES);
        let day = rng.pick(&[1, 41]) + rng.below(31);
        let (regency, district) = (1 + rng.below(99), 1 + rng.below(99));
        let (month, year, serial) = (1 + rng.below(12), rng.below(100), 1 + rng.below(9999));
        format!("{province:02}{regency:02}{district:02}{day:02}{month:02}{year:02}{serial:04}")
    }

    /// The NIK's body in a random shape: 1-3 confusions, a leading rule, a writing.
    fn render(rng: &mut Rng, nik: &str) -> String {
        let mut chars: Vec<char> = nik.chars().collect();
        for _ in 0..rng.pick(&[0, 0, 0, 1, 2, 3]) {
            let i = rng.below(16);
            chars[i] = match chars[i] {
                '0' => rng.pick(&['O', 'o']),
                '1' => rng.pick(&['l', 'I']),
                '5' => 'S',
                '8' => 'B',
                c => c,
            };
        }
        let mut body: String = rng.pick(&["", "", "", "1", "|"]).into();
        let writing = if rng.below(2) == 0 {
            &[16]
        } else {
            rng.pick(WRITINGS)
        };
        let sep = rng.pick(&[' ', '.', '-']);
        let mut at = 0;
        for n in writing {
            if at > 0 {
                body.push(sep);
            }
            body.extend(&chars[at..at + n]);
            at += n;
        }
        body
    }

    const WORDS: &str = "Rekapitulasi;suara;di;TPS 005;RT 03;RW 12;Kelurahan;Sukasari,;Kota;\
        Bogor;Solo;pemilih;tetap;tahun 2024;Rp 12.500.000;17-04-2019;—;“DPT”;nomor;0812-3456-7890";
    const AFFIXES: &str = "/;NIK/;NIK:/;NIK /;dpt_/.jpg;(/),";

    #[test]
    fn generated_niks_are_masked_and_found() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..5000 {
            let nik = random_nik(&mut rng);
            assert!(is_personal_number(&nik), "{nik}");
            let body = render(&mut rng, &nik);
            let words: Vec<&str> = WORDS.split(';').collect();
            let affixes: Vec<&str> = AFFIXES.split(';').collect();
            let (prefix, suffix) = rng.pick(&affixes).split_once('/').unwrap();
            let mut text = String::new();
            for _ in 0..rng.below(5) {
                text = text + rng.pick(&words) + " ";
            }
            text += prefix;
            let (start, end) = (text.len(), text.len() + body.len());
            text = text + &body + suffix;
            for _ in 0..rng.below(5) {
                text = text + " " + rng.pick(&words);
            }
            let masked = mask(&text);
            // (a) every digit-like character of the NIK became '*', separators stayed.
            let star = |c| if " .-".contains(c) { c } else { '*' };
            assert_eq!(
                masked[start..end],
                body.chars().map(star).collect::<String>()
            );
            // (c) the text around it is unchanged.
            assert_eq!(masked[..start], text[..start], "{text:?}");
            assert_eq!(masked[end..], text[end..], "{text:?}");
            // (b) the NIK is found, confusions undone.
            assert!(personal_numbers(&text).contains(&nik), "{nik} in {text:?}");
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_only_masks_digits() {
        let alphabet: Vec<char> = "0123456789OolI|SB .-_/:,NIK—“é漢\n".chars().collect();
        let mut rng = Rng(42);
        for _ in 0..3000 {
            let len = rng.below(80);
            let text: String = (0..len).map(|_| rng.pick(&alphabet)).collect();
            let masked = mask(&text);
            assert_eq!(masked.len(), text.len(), "{text:?}");
            for (a, b) in text.chars().zip(masked.chars()) {
                assert!(a == b || (b == '*' && digit_like(a).is_some()), "{text:?}");
            }
            assert_eq!(has_long_number(&text), masked != text, "{text:?}");
            for run in number_runs(&text) {
                assert!(run.digits.len() >= 15 && text.get(run.range.clone()).is_some());
            }
            let numbers = personal_numbers(&text);
            assert!(numbers.iter().all(|n| is_personal_number(n)), "{text:?}");
        }
    }
}
