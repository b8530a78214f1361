//! Personal data at the source: NIK (Nomor Induk Kependudukan) and KK (Kartu
//! Keluarga) numbers found in page text. Both are 16 digits: a Kemendagri region
//! code (province, kab/kota, kecamatan: 6 digits), a date (6 digits; for a NIK the
//! day of birth plus 40 for women), and a 4-digit serial. Records holding them are
//! flagged; the publik role reads them masked.
//!
//! The module finds *runs*: stretches of text that read as one long number.
//!
//! **Characters.** A character is digit-like when it is a digit or one of the
//! letters OCR confuses with digits. Digits are the ASCII ones, the full-width
//! `０`–`９`, the Arabic-Indic `٠`–`٩` and `۰`–`۹` and the mathematical `𝟎`–`𝟿`;
//! a run's `digits` holds them as ASCII. The confusions are `O` and `o` read as 0,
//! `l`, `I` and `|` read as 1, `S` read as 5 and `B` read as 8. Invisible
//! characters (zero-width space and joiners, U+FEFF, the soft hyphen, the word
//! joiner, direction marks) are ignored wherever they stand: they neither end a
//! stretch nor count as a separator. A stretch of digit-like characters ends at
//! any other character, so a letter glued to the front of a number joins the run
//! only if it is itself a confusion: `NIK3271…` starts at the `3` while `NIB3271…`
//! reads the `B` as 8.
//!
//! **One stretch** is a run when it is *plausible*: 15 or more characters, at
//! least 8 real digits and at least as many real digits as confused letters, so
//! words such as `SOLO` or a table rule read as `||||||||` never count. It is also
//! a run when it *looks like* a NIK that OCR read with many confusions
//! (`327lOlOl0l9OOOO7`): 15 to 17 characters, at least 6 real digits, beginning or
//! ending with a real digit, and never more than 5 confused letters in a row; this
//! is tried on the stretch, then on it without its leading confused letters,
//! without its trailing ones, and without both. Stretches with no real digit
//! (`IIIIIIIIIIIIIIII`, `lllOOOlllOOOlllO`) never count. Otherwise the stretch's
//! longest stretches of confused letters are cut out until the parts left are runs
//! or too short, so the digits of a NIK glued to a block of `I`s are still found.
//!
//! **Groups.** A NIK is often written in groups. A *separator* is one to three
//! separator characters between two stretches: white space (space, tab, no-break and
//! narrow spaces), a dash (`-`, U+2010 to U+2014, minus), `.`, `,`, `/` or `_`
//! (full-width forms included). Its *kind* is its text with every white space read as a
//! space, runs of spaces read as one and every dash read as `-`. Groups are joined into
//! one run when all of these hold: every separator between them is of the same kind;
//! the joined number has 15 to 17 digit-like characters; it is either 2 to 4 groups of
//! at least 2 characters each, or one of the longer known writings 2-2-2-6-4 and
//! 2-2-2-2-2-2-4 when they hold a valid number (the last group may be one digit shorter
//! or longer, and the first one longer when that digit reads as 1; a row of small
//! tallies ending in a larger figure, `12 34 56 78 90 11 220`, stays visible); no group
//! longer than 3 characters lacks a real digit (so `Solo` between figures does not glue
//! them; a rule read as 1 in front of the first group is not counted); the first and
//! last groups hold a real digit unless the joined number holds a valid one (so
//! `SO 12345 12345678` stays visible while `II 07 10 19 05 11 8182` is a NIK); and the
//! joined characters are plausible or look like a NIK as above. So
//! `3271 0101 0190 0001`, `3271010101 900007`, `3271 - 0101 - 0190 - 0009` and
//! `3271_0101_0190_0008` are runs, while vote tallies (`120 245 333 412 500`,
//! `12 34 56 78 90 11 22 33`), money (`Rp 12.500.000`, `1.234.567 2.345.678`), dates
//! (`17-04-2019`), document numbers (`417/PL.01.9-Kpt/3271/2024`) and phone numbers
//! (`0812-3456-7890`, `+62 812 3456 7890`) stay visible. Four groups of four figures
//! (`2019 2020 2021 2022`) are masked: they cannot be told from a NIK.
//!
//! **Overlaps.** When joinings overlap, those holding a valid number come first,
//! and overlapping ones of those are merged into one run (every digit of each is
//! masked and every valid window reported: which one is the NIK cannot be told). A
//! joining without a valid number is dropped when it overlaps one with, and
//! otherwise merged with the ones it overlaps. So in `TPS 005 3271 0101 0190 0001`
//! the `005` stays visible, and in a row of years every year is masked. A phone
//! number written after `+` (its country code and the groups after it with the
//! same separator, up to 13 digits) is never part of a joining without a valid
//! number, so `+62 812 3456 7890 2024` stays visible.
//!
//! Every run is masked, whether or not its digits pass the structure check: a NIK
//! that OCR read partly wrong must still be hidden. The structure check only
//! decides which 16-digit windows of a run are reported as personal numbers, which
//! flags the record and lets staff search for it. A run of 17 or more digits
//! reports every 16-digit window that passes the check; a run of merged joinings,
//! every such window inside one of them.

use std::ops::{Range, RangeInclusive};

/// The version of the rules below. Records flagged under an older version are
/// flagged again (`refresh_personal_flags`); raise it whenever the rules change.
pub const RULES: i64 = 2;

/// Province codes in use (Kemendagri), including the Papua provinces of 2022.
const PROVINCES: &[u32] = &[
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
];

/// Group sizes of the known NIK writings with more than `MAX_GROUPS` groups.
const WRITINGS: &[&[usize]] = &[&[2, 2, 2, 6, 4], &[2, 2, 2, 2, 2, 2, 4]];

/// Any split into at most this many groups of at least `MIN_GROUP` characters joins.
const MAX_GROUPS: usize = 4;
const MIN_GROUP: usize = 2;
/// The most separator characters between two groups of one number.
const MAX_SEPARATOR: usize = 3;
/// How many digit-like characters a joined number or a look-alike has.
const NIK_LENGTH: RangeInclusive<usize> = 15..=17;
/// The most digits of a phone number after its country code.
const PHONE_DIGITS: usize = 13;
/// A look-alike's fewest real digits and most confused letters in a row.
const LOOKALIKE_REAL: usize = 6;
const LOOKALIKE_CONFUSED: usize = 5;

/// A run of digits found in text, after undoing separators and OCR confusions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberRun {
    /// Byte range in the text, from the first to the last digit-like character of the run.
    pub range: Range<usize>,
    /// The run's digits as ASCII, separators and invisible characters removed and
    /// confusions undone.
    pub digits: String,
    /// The 16-digit windows of `digits` that pass `is_personal_number`, in order, deduplicated.
    pub numbers: Vec<String>,
}

/// One digit-like character: its byte range, the ASCII digit it reads as, and
/// whether it is a real digit rather than a confused letter.
#[derive(Debug, Clone, Copy)]
struct Ch {
    at: usize,
    end: usize,
    digit: char,
    real: bool,
}

/// The ASCII digit `c` reads as, and whether it is a real digit.
fn digit_like(c: char) -> Option<(char, bool)> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        '\u{1D7CE}'..='\u{1D7FF}' => '\u{1D7CE}',
        'O' | 'o' => return Some(('0', false)),
        'l' | 'I' | '|' => return Some(('1', false)),
        'S' => return Some(('5', false)),
        'B' => return Some(('8', false)),
        _ => return None,
    };
    let value = u32::from(c).saturating_sub(u32::from(zero)) % 10;
    char::from_digit(value, 10).map(|d| (d, true))
}

/// The separator character `c` is, as its kind: see the module docs.
fn separator(c: char) -> Option<char> {
    match c {
        ' ' | '\t' | '\u{A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}' | '\u{3000}' => Some(' '),
        '-' | '\u{2010}'..='\u{2014}' | '\u{2212}' | '\u{FF0D}' => Some('-'),
        '.' | '\u{FF0E}' => Some('.'),
        ',' | '\u{FF0C}' => Some(','),
        '/' | '\u{FF0F}' => Some('/'),
        '_' | '\u{FF3F}' => Some('_'),
        _ => None,
    }
}

/// `text` without control characters (line breaks kept when `lines`) and
/// characters that show nothing or turn the text's direction: what a
/// person typed into a field that lists, labels and codes print.
pub(crate) fn visible_text(text: &str, lines: bool) -> String {
    text.chars()
        .filter(|c| !invisible(*c) && (!c.is_control() || (lines && *c == '\n')))
        .collect()
}

/// Characters that show nothing and are skipped wherever they stand.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The kind of the separator characters between two groups, if they make one.
fn kind(seps: &str) -> Option<String> {
    if !(1..=MAX_SEPARATOR).contains(&seps.chars().count()) {
        return None;
    }
    let mut out = String::new();
    for c in seps.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    Some(out)
}

/// The digit-like stretches of a text (see `groups`).
struct Scan {
    /// The maximal stretches of digit-like characters.
    groups: Vec<Vec<Ch>>,
    /// Between each neighbouring pair, the kind of separator joining them (none
    /// when anything but one to three separator characters lies between).
    gaps: Vec<Option<String>>,
    /// For each stretch, whether a `+` stands right before it.
    plus: Vec<bool>,
}

fn groups(text: &str) -> Scan {
    let mut groups: Vec<Vec<Ch>> = Vec::new();
    let (mut gaps, mut plus) = (Vec::new(), Vec::new());
    // The separator characters read since the last group; None once anything else was.
    let mut seps: Option<String> = None;
    let (mut in_group, mut after_plus) = (false, false);
    for (at, c) in text.char_indices() {
        if invisible(c) {
            continue;
        }
        let was_plus = std::mem::replace(&mut after_plus, matches!(c, '+' | '\u{FF0B}'));
        if let Some((digit, real)) = digit_like(c) {
            let ch = Ch {
                at,
                end: at + c.len_utf8(),
                digit,
                real,
            };
            match groups.last_mut() {
                Some(group) if in_group => group.push(ch),
                _ => {
                    if !groups.is_empty() {
                        gaps.push(seps.take().as_deref().and_then(kind));
                    }
                    groups.push(vec![ch]);
                    plus.push(was_plus);
                }
            }
            in_group = true;
        } else if let Some(sep) = separator(c) {
            if in_group {
                seps = Some(String::new());
            }
            in_group = false;
            if let Some(seps) = seps.as_mut() {
                seps.push(sep);
            }
        } else {
            in_group = false;
            seps = None;
        }
    }
    Scan { groups, gaps, plus }
}

/// For each group, whether it belongs to a phone number written after `+`: the
/// country code and the groups after it with the same separator kind, up to
/// `PHONE_DIGITS` digits after the country code.
fn phones(g: &Scan) -> Vec<bool> {
    let mut phone = vec![false; g.groups.len()];
    for (i, _) in g.plus.iter().enumerate().filter(|(_, plus)| **plus) {
        let kind = g.gaps.get(i).and_then(Option::as_ref);
        let mut digits = 0;
        for (j, group) in g.groups.iter().enumerate().skip(i) {
            let joined = j == i || g.gaps.get(j.saturating_sub(1)).and_then(Option::as_ref) == kind;
            if j > i {
                digits += group.len();
            }
            if !joined || digits > PHONE_DIGITS {
                break;
            }
            if let Some(p) = phone.get_mut(j) {
                *p = true;
            }
            if kind.is_none() {
                break;
            }
        }
    }
    phone
}

fn real_count(chars: &[Ch]) -> usize {
    chars.iter().filter(|c| c.real).count()
}

/// 15 or more characters, at least 8 real digits, at least as many real digits as confused letters.
fn plausible(chars: &[Ch]) -> bool {
    let real = real_count(chars);
    chars.len() >= 15 && real >= 8 && 2 * real >= chars.len()
}

/// A NIK read with many confusions: see the module docs.
fn looks_like(chars: &[Ch]) -> bool {
    let edged = chars.first().is_some_and(|c| c.real) || chars.last().is_some_and(|c| c.real);
    let confused = chars.split(|c| c.real).map(<[Ch]>::len).max().unwrap_or(0);
    NIK_LENGTH.contains(&chars.len())
        && real_count(chars) >= LOOKALIKE_REAL
        && edged
        && confused <= LOOKALIKE_CONFUSED
}

/// The part of a stretch that looks like a NIK: the stretch itself, or it without
/// its leading confused letters, its trailing ones, or both.
fn looks_like_part(part: &[Ch]) -> Option<&[Ch]> {
    let first = part.iter().position(|c| c.real)?;
    let last = part.iter().rposition(|c| c.real)?;
    [
        part.get(..),
        part.get(first..),
        part.get(..=last),
        part.get(first..=last),
    ]
    .into_iter()
    .flatten()
    .find(|p| looks_like(p))
}

/// A joining of groups `start..end` (see `candidates`).
#[derive(Debug)]
struct Candidate {
    /// Holds no valid number, is not 16 long, does not begin and end with real
    /// digits, start: sorting puts the best first.
    key: (bool, bool, bool, usize, usize),
    valid: bool,
    start: usize,
    end: usize,
}

/// The groups `start..end` joined, when they read as one number: one separator kind,
/// 15-17 characters, no word among them, plausible or looking like a NIK.
fn joined(
    groups: &[Vec<Ch>],
    gaps: &[Option<String>],
    start: usize,
    end: usize,
) -> Option<Vec<Ch>> {
    let joined = groups.get(start..end)?;
    let sep = gaps.get(start)?.as_ref()?;
    let same_sep = gaps
        .get(start..end.checked_sub(1)?)?
        .iter()
        .all(|g| g.as_ref() == Some(sep));
    // A word: more than 3 characters, none a real digit (not counting a rule read
    // as 1 in front of the first group).
    let words = joined.iter().enumerate().any(|(j, g)| {
        let rule = j == 0 && g.first().is_some_and(|c| !c.real && c.digit == '1');
        g.len().saturating_sub(usize::from(rule)) > 3 && !g.iter().any(|c| c.real)
    });
    let chars = joined.concat();
    let reads = plausible(&chars) || looks_like(&chars);
    (same_sep && !words && NIK_LENGTH.contains(&chars.len()) && reads).then_some(chars)
}

/// Every joining of groups that reads as one number (see the module docs).
fn candidates(g: &Scan) -> Vec<Candidate> {
    let (groups, gaps) = (&g.groups, &g.gaps);
    let phone = phones(g);
    let mut out = Vec::new();
    for start in 0..groups.len() {
        let generic = (2..=MAX_GROUPS).filter(|n| {
            groups
                .get(start..start + n)
                .is_some_and(|g| g.iter().all(|g| g.len() >= MIN_GROUP))
        });
        let known = WRITINGS.iter().filter(|writing| {
            let Some(joined) = groups.get(start..start + writing.len()) else {
                return false;
            };
            let last = writing.len().saturating_sub(1);
            joined
                .iter()
                .zip(writing.iter())
                .enumerate()
                .all(|(j, (g, &want))| {
                    let n = g.len();
                    n == want
                        || (j == last && n.abs_diff(want) == 1)
                        || (j == 0 && n == want + 1 && g.first().is_some_and(|c| c.digit == '1'))
                })
        });
        for end in generic.chain(known.map(|w| w.len())).map(|n| start + n) {
            let long = end - start > MAX_GROUPS;
            let Some(chars) = joined(groups, gaps, start, end) else {
                continue;
            };
            let valid = !valid_windows(&digits_of(&chars)).is_empty();
            let has_real = |g: Option<&Vec<Ch>>| g.is_some_and(|g| g.iter().any(|c| c.real));
            let edged = has_real(groups.get(start)) && has_real(groups.get(end.saturating_sub(1)));
            let in_phone = phone.get(start..end).is_some_and(|p| p.contains(&true));
            if !valid && (long || !edged || in_phone) {
                continue;
            }
            let key = (!valid, chars.len() != 16, !edged, start, end);
            out.push(Candidate {
                key,
                valid,
                start,
                end,
            });
        }
    }
    out
}

/// Joinings merged into one run: the group range it covers, and the group ranges
/// of the joinings in it.
type Merged = (Range<usize>, Vec<Range<usize>>);

/// The root of `i` among merged joinings (union-find with path halving).
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&up) = parent.get(i) {
        if up == i {
            break;
        }
        let grand = parent.get(up).copied().unwrap_or(up);
        if let Some(p) = parent.get_mut(i) {
            *p = grand;
        }
        i = up;
    }
    i
}

/// The runs made of joined groups: candidates taken best first, merged with the
/// ones they overlap (see the module docs).
fn chosen(groups: usize, mut candidates: Vec<Candidate>) -> Vec<Merged> {
    candidates.sort_by_key(|c| c.key);
    // For each group, the taken joining it first belonged to; for each taken joining,
    // its parent in the union-find, whether it holds a valid number, and its groups.
    let mut owner: Vec<Option<usize>> = vec![None; groups];
    let mut parent: Vec<usize> = Vec::new();
    let mut valid: Vec<bool> = Vec::new();
    let mut taken: Vec<Range<usize>> = Vec::new();
    for c in candidates {
        let owners: Vec<usize> = owner
            .get(c.start..c.end)
            .unwrap_or_default()
            .iter()
            .flatten()
            .copied()
            .collect();
        let roots: Vec<usize> = dedup_by_value(owners.into_iter().map(|o| root(&mut parent, o)));
        let valid_overlap = roots
            .iter()
            .any(|&r| valid.get(r).copied().unwrap_or(false));
        if !c.valid && valid_overlap {
            continue;
        }
        let id = taken.len();
        parent.push(id);
        valid.push(c.valid);
        taken.push(c.start..c.end);
        for r in roots {
            if let Some(p) = parent.get_mut(r) {
                *p = id;
            }
        }
        for o in owner.get_mut(c.start..c.end).unwrap_or_default() {
            o.get_or_insert(id);
        }
    }
    let mut merged: Vec<Option<Merged>> = vec![None; taken.len()];
    for (id, member) in taken.iter().enumerate() {
        let r = root(&mut parent, id);
        if let Some(slot) = merged.get_mut(r) {
            let (span, members) = slot.get_or_insert_with(|| (member.clone(), Vec::new()));
            *span = span.start.min(member.start)..span.end.max(member.end);
            members.push(member.clone());
        }
    }
    merged.into_iter().flatten().collect()
}

fn dedup_by_value(items: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The run of merged joinings: all their characters, and the valid 16-digit
/// windows that lie inside one of the joinings (a window across the seam of two
/// is no one's number).
fn merged_run(groups: &[Vec<Ch>], (span, members): &Merged) -> Option<NumberRun> {
    let joined = groups.get(span.clone())?;
    // Digit offset of each group boundary within the run.
    let mut offsets = vec![0];
    for g in joined {
        offsets.push(offsets.last().copied().unwrap_or(0) + g.len());
    }
    let offset = |g: usize| {
        offsets
            .get(g.saturating_sub(span.start))
            .copied()
            .unwrap_or(0)
    };
    let mut inside: Vec<Range<usize>> = members
        .iter()
        .map(|m| offset(m.start)..offset(m.end))
        .collect();
    inside.sort_by_key(|r| r.start);
    let mut run = run_of(&joined.concat())?;
    let (mut next, mut reach) = (inside.iter().peekable(), 0);
    let mut windows = Vec::new();
    for at in 0..run.digits.len().saturating_sub(15) {
        while let Some(r) = next.next_if(|r| r.start <= at) {
            reach = reach.max(r.end);
        }
        let window = run
            .digits
            .get(at..at + 16)
            .filter(|w| is_personal_number(w));
        if let Some(w) = window.filter(|_| at + 16 <= reach) {
            windows.push(w.to_string());
        }
    }
    run.numbers = dedup(windows);
    Some(run)
}

/// The parts of one group that are runs: the group itself when it is plausible or
/// looks like a NIK, otherwise the parts left when its longest stretches of
/// confused letters are cut out, again and again, until they are runs or too short.
fn pieces(group: &[Ch]) -> Vec<&[Ch]> {
    let (mut todo, mut out) = (vec![group], Vec::new());
    while let Some(part) = todo.pop() {
        if plausible(part) {
            out.push(part);
            continue;
        }
        if let Some(like) = looks_like_part(part) {
            out.push(like);
            continue;
        }
        if part.len() < 15 || real_count(part) < LOOKALIKE_REAL {
            continue;
        }
        let longest = part.split(|c| c.real).map(<[Ch]>::len).max().unwrap_or(0);
        if longest == 0 {
            continue;
        }
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
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(item.clone()))
        .collect()
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
        range: first.at..last.end,
        numbers: valid_windows(&digits),
        digits,
    })
}

/// Every run (the stretches a masked reader must not see), in text order, not overlapping.
pub fn number_runs(text: &str) -> Vec<NumberRun> {
    let found = groups(text);
    let groups = &found.groups;
    let mut used = vec![false; groups.len()];
    let mut runs = Vec::new();
    for merged in chosen(groups.len(), candidates(&found)) {
        if let Some(used) = used.get_mut(merged.0.clone()) {
            used.fill(true);
        }
        runs.extend(merged_run(groups, &merged));
    }
    for (group, used) in groups.iter().zip(&used) {
        if !used {
            runs.extend(pieces(group).into_iter().filter_map(run_of));
        }
    }
    runs.sort_by_key(|r| r.range.start);
    runs
}

/// `text` with every digit-like character of every run replaced by one '*';
/// separators, invisible characters and everything else kept. Byte length is kept
/// when the masked characters are ASCII; a full-width, Arabic-Indic or
/// mathematical digit (2 to 4 bytes) becomes a one-byte '*'.
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

    /// Each line: text => masked # numbers found (W and M stand for the NIKs above,
    /// N for 32710101019000 followed by the two digits after it, - for none).
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
        漢字3271 0101 0190 0001漢字 => 漢字**** **** **** ****漢字 # M
        NIK 3271010101 900007 => NIK ********** ****** # N07
        32 71010101900007 => ** ************** # N07
        327 1010101 900007 => *** ******* ****** # N07
        32 7101 0101900007 => ** **** ********** # N07
        3271010 10190 0007 => ******* ***** **** # N07
        32710101019 00007 => *********** ***** # N07
        3271_0101_0190_0008 => ****_****_****_**** # N08
        dpt_3271_0101_0190_0008.jpg => dpt_****_****_****_****.jpg # N08
        3271/0101/0190/0010 => ****/****/****/**** # N10
        No. 3271/0101/0190/0010/2024 => No. ****/****/****/****/2024 # N10
        3271,0101,0190,0011 => ****,****,****,**** # N11
        3271–0101–0190–0012 => ****–****–****–**** # N12
        3271—0101—0190—0012 => ****—****—****—**** # N12
        3271‐0101‐0190‐0012 => ****‐****‐****‐**** # N12
        3271-0101–0190‐0012 => ****-****–****‐**** # N12
        3271\u{A0}0101\u{A0}0190\u{A0}0013 => ****\u{A0}****\u{A0}****\u{A0}**** # N13
        3271\t0101\t0190\t0013 => ****\t****\t****\t**** # N13
        3271 - 0101 - 0190 - 0009 => **** - **** - **** - **** # N09
        3271  0101  0190  0013 => ****  ****  ****  **** # N13
        3271 0101  0190 0013 => **** ****  **** **** # N13
        3271 ‐ 0101 – 0190 — 0014 => **** ‐ **** – **** — **** # N14
        32\u{200B}71\u{200C}0101\u{200D}0190\u{FEFF}00\u{AD}14 => **\u{200B}**\u{200C}****\u{200D}****\u{FEFF}**\u{AD}** # N14
        3271\u{AD} 0101\u{200B} 0190 \u{2060}0014 => ****\u{AD} ****\u{200B} **** \u{2060}**** # N14
        ３２７１０１０１０１９０００１５ => **************** # N15
        NIK ３２７１ ０１０１ ０１９０ ００１５ => NIK **** **** **** **** # N15
        ٣٢٧١٠١٠١٠١٩٠٠٠١٦ => **************** # N16
        \u{200F}٣٢٧١-٠١٠١-٠١٩٠-٠٠١٦\u{200F} => \u{200F}****-****-****-****\u{200F} # N16
        ۳۲۷۱۰۱۰۱۰۱۹۰۰۰۱۷ => **************** # N17
        32７1٠1۰1𝟎1９0٠0۱7 => **************** # N17
        𝟑𝟐𝟕𝟏𝟎𝟏𝟎𝟏𝟎𝟏𝟗𝟎𝟎𝟎𝟏𝟖 => **************** # N18
        327lOlOl0l9OOOO7 => **************** # N07
        NIK:327lOlOl0l9OOOO7. => NIK:****************. # N07
        IIIIIIIIIIII327lOlOl0l9OOOO7IIIIIIII => IIIIIIIIIIII****************IIIIIIII # N07
        ||327lOlOl0l9OOOO7 => ||**************** # N07
        327lO lOl0 l9OO OO7 => ***** **** **** *** # N07
        RW 12 3271 0101 010190 01 => RW ** **** **** ****** ** # 1232710101010190 3271010101019001
        2019 2020 2021 2022 2023 => **** **** **** **** **** # -
        II 07 10 19 05 11 8182 => ** ** ** ** ** ** **** # 1107101905118182
        32710101019000 Ol => ************** ** # M
        |lSO-657060-83-60683 => ****-******-**-***** # 1506570608360683
        +62 3271 0101 0190 0001 => +62 **** **** **** **** # M
        +62 812 3456 7890 2024 2025 2026 2027 => +62 812 3456 7890 **** **** **** **** # -";

    /// Public figures and prose, separated by ';': nothing masked, nothing flagged.
    const KEPT: &str = "120 245 333 412 500; 1.234.567 2.345.678; Rp 12.500.000; 17-04-2019;\
        TPS 005 RW 02 RT 03; 417/PL.01.9-Kpt/3271/2024; 0812-3456-7890; +62 812 3456 7890;\
        ||||||||||||||||; IIIIIIII IIIIIIII; lOOOOOOOOOOOOOOOOOOO; SOLO Bogor BOSS Solo;\
        32710465049300; NIK 3271 0465 0493 00; 3271-0101 0190-0001 (mixed separators);\
        17-04-2019 Solo Solo 0812-3456-7890; 2019 Solo 0812 3456;\
        Rekapitulasi suara di TPS 005 Kelurahan Sukasari, Kota Bogor.;\
        12 34 56 78 90 11 22 33; 12_34_56_78_90_11_22_33; 12,34,56,78,90,11,22,33;\
        120\u{A0}245\u{A0}333\u{A0}412\u{A0}500; 120 - 245 - 333 - 412 - 500; 120, 245, 333, 412, 500;\
        IIIIIIIIIIIIIIII; lllOOOlllOOOlllO; SOLO BOBO lOl; SOLOBOBOlOlSOLOBOBO;\
        |||||12345678||||; IIIIIIIII1234567; 1234567IIIIIIIII; lOlOlO123456lOlOlO;\
        Rp 12.500.000,00; Rp 1.250.000.000.000; 17/04/2019; 17–04–2019 – 18–04–2019;\
        417/PL.01.9-Kpt/3271/2024 dan 418/PL.01.9-Kpt/3271/2024; 0812 3456 7890 / 0813 4567 8901;\
        ０８１２-３４５６-７８９０; ٠٨١٢٣٤٥٦٧٨٩; 17\u{200B}-04-2019; TPS 005\tRW 02\tRT 03;\
        Pemilu 2024: 204.807.222 pemilih, 820.161 TPS; jam 07.00 - 13.00 WIB;\
        12 34 56 78 90 11 lOl; 12 34 56 78 90 11 220; 12 34 56 78 12 34 56 78 417/PL.01;\
        SO 12345 12345678; 2019 2020 Solo 2021 2022; +62 812 3456 7890 2024;\
        Telp. +62 812 3456 7890 0812-3456-7890; +62 812 3456 7890 2024 12;";

    /// `text` masks to `masked` and holds exactly `numbers`.
    fn masks(text: &str, masked: &str, numbers: &[String]) {
        assert_eq!(mask(text), masked, "mask of {text:?}");
        assert_eq!(personal_numbers(text), numbers, "numbers of {text:?}");
        assert_eq!(has_long_number(text), masked != text, "{text:?}");
        let flagged = contains_personal_data(text);
        assert_eq!(flagged, !numbers.is_empty(), "{text:?}");
    }

    /// The escapes `\u{…}` and `\t` in a table row.
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('\\') {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            if let Some(r) = rest.strip_prefix("\\t") {
                out.push('\t');
                rest = r;
            } else {
                let close = rest.find('}').unwrap();
                let code = u32::from_str_radix(&rest[3..close], 16).unwrap();
                out.push(char::from_u32(code).unwrap());
                rest = &rest[close + 1..];
            }
        }
        out + rest
    }

    #[test]
    fn masked_shapes() {
        let mut rows = 0;
        for line in MASKED.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (text, rest) = line.split_once(" => ").unwrap();
            let (masked, numbers) = rest.split_once(" # ").unwrap();
            let expand = |n: &str| match n.strip_prefix('N') {
                Some(serial) => format!("32710101019000{serial}"),
                None => n.replace('W', W).replace('M', M),
            };
            let numbers: Vec<String> = numbers
                .split(' ')
                .filter(|n| *n != "-")
                .map(expand)
                .collect();
            masks(&unescape(text), &unescape(masked), &numbers);
            rows += 1;
        }
        assert_eq!(rows, 84);
    }

    #[test]
    fn public_text_stays_visible() {
        for text in KEPT.split(';').map(str::trim) {
            masks(&unescape(text), &unescape(text), &[]);
        }
    }

    #[test]
    fn runs_report_ranges_and_digits() {
        let runs = number_runs("— 3271-0101-0190-0001 dan 1.3271046504930002");
        let got: Vec<_> = runs.iter().map(|r| (r.range.clone(), &*r.digits)).collect();
        let want = [(4..23, "3271010101900001"), (30..46, "3271046504930002")];
        assert_eq!(got, want);
        assert_eq!(runs[1].numbers, [W]);
        // Non-ASCII digits: the range covers their bytes, the digits are ASCII.
        let runs = number_runs("No ３２７１ ０１０１ ０１９０ ０００１.");
        let got: Vec<_> = runs.iter().map(|r| (r.range.clone(), &*r.digits)).collect();
        assert_eq!(got, [(3..54, M)]);
        assert_eq!(runs[0].numbers, [M]);
        assert_eq!(mask("No ３２７１."), "No ３２７１.");
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

    fn confuse(rng: &mut Rng, c: char) -> char {
        match c {
            '0' => rng.pick(&['O', 'o']),
            '1' => rng.pick(&['l', 'I']),
            '5' => 'S',
            '8' => 'B',
            c => c,
        }
    }

    /// Many confusions at once, when the result still looks like a NIK.
    fn heavy(rng: &mut Rng, nik: &[char]) -> Option<Vec<char>> {
        let chars: Vec<char> = nik
            .iter()
            .map(|&c| if rng.below(3) > 0 { confuse(rng, c) } else { c })
            .collect();
        let real = |c: &char| c.is_ascii_digit();
        let confused = chars.split(real).map(<[char]>::len).max().unwrap_or(0);
        let edged = real(&chars[0]) || real(&chars[15]);
        let enough = chars.iter().filter(|c| real(c)).count() >= 6;
        (edged && enough && confused <= 5).then_some(chars)
    }

    /// Any split of 16 characters into 2-4 groups of at least 2.
    fn split(rng: &mut Rng) -> Vec<usize> {
        loop {
            let n = 2 + rng.below(3);
            let mut cuts: Vec<usize> = (0..n - 1).map(|_| 2 + rng.below(13)).collect();
            cuts.sort();
            cuts.insert(0, 0);
            cuts.push(16);
            let sizes: Vec<usize> = cuts.windows(2).map(|w| w[1] - w[0]).collect();
            if sizes.iter().all(|&s| s >= 2) {
                return sizes;
            }
        }
    }

    const SEPARATORS: &[&str] = &[
        " ",
        ".",
        "-",
        "_",
        "/",
        ",",
        "\u{2013}",
        "\u{2014}",
        "\u{2010}",
        "\u{A0}",
        "\t",
        " - ",
        "  ",
        ", ",
        " / ",
        " \u{2013} ",
    ];
    const INVISIBLE: &[char] = &['\u{200B}', '\u{200C}', '\u{200D}', '\u{FEFF}', '\u{AD}'];

    /// The digit `c` in the script whose zero is `zero` (0: ASCII).
    fn script(c: char, zero: u32) -> char {
        match c.to_digit(10) {
            Some(d) if zero > 0 => char::from_u32(zero + d).unwrap(),
            _ => c,
        }
    }

    /// The NIK's body in a random shape: confusions (a few, or many in one stretch),
    /// a leading rule, a writing with a separator, other scripts, invisible characters.
    fn render(rng: &mut Rng, nik: &str) -> String {
        let digits: Vec<char> = nik.chars().collect();
        let writing = match rng.below(6) {
            0 | 1 => vec![16],
            2 => rng
                .pick(&[&[4, 4, 4, 4][..], &[6, 6, 4], &[6, 10], &[10, 6]])
                .to_vec(),
            3 => rng.pick(WRITINGS).to_vec(),
            _ => split(rng),
        };
        let many = (writing.len() == 1 && rng.below(3) == 0)
            .then(|| heavy(rng, &digits))
            .flatten();
        let chars = many.clone().unwrap_or_else(|| {
            let mut chars = digits.clone();
            for _ in 0..rng.pick(&[0, 0, 0, 1, 2, 3]) {
                let i = rng.below(16);
                chars[i] = confuse(rng, chars[i]);
            }
            chars
        });
        let zeros = [0, 0, 0, 0xFF10, 0x0660, 0x06F0, 0x1D7CE];
        let zero = rng.pick(&zeros);
        let mixed = rng.below(4) == 0;
        let chars: Vec<char> = chars
            .iter()
            .map(|&c| script(c, if mixed { rng.pick(&zeros) } else { zero }))
            .collect();
        let rule = if many.is_some() {
            ""
        } else {
            rng.pick(&["", "", "", "1", "|"])
        };
        let mut body = String::from(rule);
        let sep = rng.pick(SEPARATORS);
        let mut at = 0;
        for n in writing {
            if at > 0 {
                body.push_str(sep);
            }
            for c in &chars[at..at + n] {
                if !body.is_empty() && rng.below(12) == 0 {
                    body.push(rng.pick(INVISIBLE));
                }
                body.push(*c);
            }
            at += n;
        }
        body
    }

    const WORDS: &str = "Rekapitulasi;suara;di;TPS 005;RT 03;RW 12;Kelurahan;Sukasari,;Kota;\
        Bogor;Solo;pemilih;tetap;tahun 2024;Rp 12.500.000;17-04-2019;—;“DPT”;nomor;0812-3456-7890;\
        120 245 333 412 500;12 34 56 78;417/PL.01.9-Kpt/3271/2024;SOLO;lOl;BOBO";
    const AFFIXES: &str = "/;NIK/;NIK:/;NIK /;dpt_/.jpg;(/),";

    #[test]
    fn generated_niks_are_masked_and_found() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let words: Vec<&str> = WORDS.split(';').collect();
        let affixes: Vec<&str> = AFFIXES.split(';').collect();
        let mut merged = 0;
        for _ in 0..5000 {
            let nik = random_nik(&mut rng);
            assert!(is_personal_number(&nik), "{nik}");
            let body = render(&mut rng, &nik);
            let (prefix, suffix) = rng.pick(&affixes).split_once('/').unwrap();
            let mut before = String::new();
            for _ in 0..rng.below(5) {
                before = before + rng.pick(&words) + " ";
            }
            before += prefix;
            let mut after = String::from(suffix);
            for _ in 0..rng.below(5) {
                after = after + " " + rng.pick(&words);
            }
            let text = format!("{before}{body}{after}");
            let masked = mask(&text);
            // (a) every digit-like character of the NIK became '*', all else stayed.
            let star = |c| if digit_like(c).is_some() { '*' } else { c };
            let want_body: String = body.chars().map(star).collect();
            let want = format!("{before}{want_body}{after}");
            // (c) the text around it is unchanged, unless a neighbouring figure
            // joined the NIK into a second valid number (then both are masked).
            if masked != want {
                let found = personal_numbers(&text);
                assert!(found.len() > 1, "{text:?} masked {masked:?}");
                let (m, w): (Vec<char>, Vec<char>) =
                    (masked.chars().collect(), want.chars().collect());
                assert_eq!(m.len(), w.len(), "{text:?}");
                for (a, b) in m.iter().zip(&w) {
                    assert!(
                        a == b || (*a == '*' && digit_like(*b).is_some()),
                        "{text:?}"
                    );
                }
                merged += 1;
            }
            // (b) the NIK is found, confusions undone.
            assert!(personal_numbers(&text).contains(&nik), "{nik} in {text:?}");
        }
        assert!(merged < 50, "{merged} merged");
        eprintln!("merged {merged}");
    }

    #[test]
    fn arbitrary_text_never_panics_and_only_masks_digits() {
        let alphabet: Vec<char> = "0123456789OolI|SB .-_/:,NIK—“é漢\n０٣۷𝟗\u{200B}\u{AD}\t\u{A0}–"
            .chars()
            .collect();
        let mut rng = Rng(42);
        for _ in 0..3000 {
            let len = rng.below(80);
            let text: String = (0..len).map(|_| rng.pick(&alphabet)).collect();
            let masked = mask(&text);
            assert_eq!(masked.chars().count(), text.chars().count(), "{text:?}");
            for (a, b) in text.chars().zip(masked.chars()) {
                assert!(a == b || (b == '*' && digit_like(a).is_some()), "{text:?}");
            }
            assert_eq!(has_long_number(&text), masked != text, "{text:?}");
            let runs = number_runs(&text);
            for run in &runs {
                assert!(run.digits.len() >= 15 && text.get(run.range.clone()).is_some());
                assert!(run.digits.bytes().all(|b| b.is_ascii_digit()), "{text:?}");
            }
            for pair in runs.windows(2) {
                assert!(pair[0].range.end <= pair[1].range.start, "{text:?}");
            }
            let numbers = personal_numbers(&text);
            assert!(numbers.iter().all(|n| is_personal_number(n)), "{text:?}");
        }
    }
}
